"""Issuing parts to a technician against a repair order (领料出库) and taking back what was not
used (退料)."""

from __future__ import annotations

from shared.auth import Caller

from parts.adapters.unit_of_work import PartsUnitOfWork
from parts.domain.documents import IssueLine, IssueSlip
from parts.domain.errors import IssueNotFound, LocationNotFound, LotNotFound, PartNotFound, ReservationNotFound
from parts.service.numbers import new_number


def issue(uow: PartsUnitOfWork, caller: Caller, *, repair_order: str, vin: str, technician: str,
          lines: list[dict]) -> IssueSlip:
    """Every line takes its reservation's lots, or else the oldest available lots. All lines
    are issued or none."""
    rules = uow.rules
    with uow:
        now = uow.now()
        slip = IssueSlip(caller.dealer, new_number("IS", now), repair_order=repair_order, vin=vin.upper(),
                         technician=technician, issued_at=now, issued_by=caller.sub)
        planned = []
        for index, line in enumerate(lines):
            part = uow.parts.get(line["part_number"])
            if part is None:
                raise PartNotFound(line["part_number"], field=f"lines.{index}.part_number")
            part.check_quantity(line["quantity"], field=f"lines.{index}.quantity")
            planned.append((part, line.get("location") or rules.default_location, line))
        # Lock in a stable order (no two issues wait on each other), issue in the slip's order.
        stocks = {key: uow.stock.get_for_update(*key)
                  for key in sorted({(part.part_number, location) for part, location, _ in planned})}
        for part, location, line in planned:
            stock = stocks[(part.part_number, location)]
            if stock is None:
                if line.get("reservation"):
                    raise ReservationNotFound(line["reservation"])
                raise LocationNotFound(location)
            picks = stock.issue(line["quantity"], reservation=line.get("reservation"), issue_number=slip.number,
                                repair_order=repair_order, vin=slip.vin, technician=technician,
                                source=part.source.value, at=now, actor=caller.sub)
            for pick in picks:
                slip.lines.append(IssueLine(caller.dealer, part_number=part.part_number, location=location,
                                            lot=pick.lot, supplier=pick.supplier,
                                            quantity=pick.quantity, reservation=line.get("reservation")))
        uow.documents.add(slip)
        uow.commit()
    return slip


def take_back(uow: PartsUnitOfWork, caller: Caller, issue_number: str, *, lines: list[dict]) -> IssueSlip:
    """Unused parts return to the lot they were issued from, at the location they came from."""
    with uow:
        now = uow.now()
        slip = uow.documents.issue_for_update(issue_number)
        if slip is None:
            raise IssueNotFound(issue_number)
        for index, line in enumerate(sorted(lines, key=lambda l: (l["part_number"], l["lot"]))):
            issued = slip.line(line["part_number"], line["lot"])
            if issued is None:
                raise LotNotFound(line["lot"])
            part = uow.parts.get(issued.part_number)
            part.check_quantity(line["quantity"], field=f"lines.{index}.quantity")
            issued.take_back(line["quantity"])
            lot = uow.lots.get(issued.lot)
            stock = uow.stock.get_or_create_for_update(issued.part_number, issued.location)
            stock.return_to_stock(issued.lot, lot.received_at, lot.supplier, line["quantity"], blocked=lot.blocked,
                                  issue_number=slip.number, repair_order=slip.repair_order,
                                  reason=line.get("reason") or "not used", at=now, actor=caller.sub)
        uow.commit()
    return slip
