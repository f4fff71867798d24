"""Receiving supplier deliveries (入库)."""

from __future__ import annotations

from shared.auth import Caller

from parts.adapters.unit_of_work import PartsUnitOfWork
from parts.domain.catalog import Part
from parts.domain.documents import Receipt, ReceiptLine
from parts.domain.errors import LocationNotFound, PartNotFound, SupplierNotFound
from parts.domain.supply import Lot
from parts.service.numbers import new_number


def receive(uow: PartsUnitOfWork, caller: Caller, *, supplier: str, lines: list[dict],
            delivery_note: str | None = None) -> Receipt:
    """Book a delivery: one lot per line, blocked until its inspection has passed."""
    with uow:
        now = uow.now()
        found = uow.suppliers.get(supplier)
        if found is None:
            raise SupplierNotFound(supplier)
        found.may_deliver()
        receipt = Receipt(caller.dealer, new_number("RC", now), supplier=supplier,
                          delivery_note=delivery_note, received_at=now, received_by=caller.sub)
        prepared = [_prepare(uow, line, index) for index, line in enumerate(lines)]
        # Lock in a stable order (no two receipts wait on each other), book in the note's order.
        stocks = {
            key: uow.stock.get_or_create_for_update(*key)
            for key in sorted({(part.part_number, line["location"]) for part, line in prepared})
        }
        for part, line in prepared:
            stock = stocks[(part.part_number, line["location"])]
            lot = Lot(caller.dealer, new_number("LOT", now), part_number=part.part_number, supplier=supplier,
                      supplier_lot=line.get("supplier_lot"), receipt=receipt.number, received_at=now,
                      quantity=line["quantity"], unit_cost=line["unit_cost"], inspection=line["inspection"])
            uow.lots.add(lot)
            stock.receive(lot.code, now, supplier, line["quantity"], blocked=lot.blocked,
                          reference=receipt.number, at=now, actor=caller.sub)
            receipt.lines.append(ReceiptLine(
                caller.dealer, part_number=part.part_number, asked_part_number=line["part_number"],
                location=line["location"], lot=lot.code, quantity=line["quantity"],
                unit_cost=line["unit_cost"], inspection=lot.inspection.value,
            ))
        uow.documents.add(receipt)
        uow.commit()
    return receipt


def _prepare(uow: PartsUnitOfWork, line: dict, index: int) -> tuple[Part, dict]:
    """The part the line is booked to: a superseded number goes to its current number (the
    receipt line keeps the number the delivery note said)."""
    part = uow.parts.current(line["part_number"])
    if part is None:
        raise PartNotFound(line["part_number"], field=f"lines.{index}.part_number")
    part.check_quantity(line["quantity"], field=f"lines.{index}.quantity")
    if uow.locations.get(line["location"]) is None:
        raise LocationNotFound(line["location"])
    return part, line
