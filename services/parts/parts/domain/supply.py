"""Where stock comes from and where it lies: suppliers (供应商), locations (库位) and lots (批次)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from parts.domain.errors import (
    AlreadyInspected,
    LotAlreadyOnHold,
    LotNotOnHold,
    SupplierNotQualified,
    SupplierPartListedTwice,
)
from parts.domain.events import (
    LotInspected,
    LotQuarantined,
    LotReleased,
    SupplierCreated,
    SupplierQualityChanged,
    SupplierUpdated,
)
from parts.domain.quality import FIELD_FAILURE, QualityFigures

# What a manager may change about a supplier, besides its part numbers.
SUPPLIER_FIELDS = ("name", "qualified", "lead_time_days")


class Supplier(Aggregate):
    """A supplier; only a qualified one (合格供应商, after supplier review) may deliver. Adding
    and changing one are announced with who did it and why."""

    version: int
    part_numbers: list[SupplierPartNumber]

    def __init__(self, dealer: str, code: str, *, name: str, qualified: bool, lead_time_days: int, at: datetime,
                 by: str, reason: str | None = None, part_numbers: list[dict] = ()):
        self.dealer = dealer
        self.code = code
        self.name = name
        self.qualified = qualified
        self.lead_time_days = lead_time_days
        self.created_at = at
        self.part_numbers = self._listed(part_numbers)
        self.field_failures = 0
        self.incidents = 0
        self.events.append(SupplierCreated(supplier=code, name=name, qualified=qualified,
                                           lead_time_days=lead_time_days, by=by, reason=reason))

    @property
    def subject(self) -> str:
        return self.code

    def may_deliver(self, **context) -> None:
        if not self.qualified:
            raise SupplierNotQualified(self.code, **context)

    def count_incident(self, kind: str, *, by: int = 1) -> None:
        """`by=-1` takes back one that should not have counted (a complaint reclassified)."""
        if kind == FIELD_FAILURE:
            self.field_failures += by
        else:
            self.incidents += by

    def quality_changed(self, figures: QualityFigures, *, cause: str, reference: str) -> None:
        self.events.append(SupplierQualityChanged(
            supplier=self.code, cause=cause, reference=reference, units_issued=figures.units_issued,
            field_failures=figures.field_failures, failures_per_thousand=figures.failures_per_thousand,
            incidents=figures.incidents, lots_inspected=figures.lots_inspected,
            lots_rejected=figures.lots_rejected, rejection_rate=figures.rejection_rate,
        ))

    def change(self, expected_version: int, *, by: str, reason: str | None = None, **changes) -> None:
        """Change what is given; announced only if something really changed (`changed`)."""
        StaleVersion.check(expected_version, self.version)
        listed = self._listed(changes["part_numbers"]) if "part_numbers" in changes else None
        changed = [name for name in SUPPLIER_FIELDS if name in changes and changes[name] != getattr(self, name)]
        for name in changed:
            setattr(self, name, changes[name])
        if listed is not None and _numbers(listed) != _numbers(self.part_numbers):
            changed.append("part_numbers")
            self.part_numbers[:] = listed
        if not changed:
            return
        self.events.append(SupplierUpdated(
            supplier=self.code, name=self.name, qualified=self.qualified, lead_time_days=self.lead_time_days,
            changed=tuple(changed), by=by, reason=reason,
        ))

    def _listed(self, entries: list[dict]) -> list[SupplierPartNumber]:
        """The supplier's numbers for our parts: one per part."""
        listed: dict[str, SupplierPartNumber] = {}
        for index, entry in enumerate(entries):
            if entry["part_number"] in listed:
                raise SupplierPartListedTwice(self.code, entry["part_number"],
                                              field=f"part_numbers.{index}.part_number")
            listed[entry["part_number"]] = SupplierPartNumber(self.dealer, entry["part_number"],
                                                              entry["supplier_part_number"])
        return list(listed.values())


class SupplierPartNumber(DealerOwned):
    """The supplier's own number for one of our parts."""

    def __init__(self, dealer: str, part_number: str, supplier_part_number: str):
        self.dealer = dealer
        self.part_number = part_number
        self.supplier_part_number = supplier_part_number


def _numbers(listed: list[SupplierPartNumber]) -> set[tuple[str, str]]:
    return {(entry.part_number, entry.supplier_part_number) for entry in listed}


class Location(DealerOwned):
    """A place stock lies: warehouse and bin (仓库/货位)."""

    def __init__(self, dealer: str, code: str, *, warehouse: str, bin: str | None, at: datetime):
        self.dealer = dealer
        self.code = code
        self.warehouse = warehouse
        self.bin = bin
        self.created_at = at


class Inspection(str, Enum):
    """Incoming inspection (进货检验): appearance, dimensions, function."""

    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class Lot(Aggregate):
    """What one delivery line brought in: traceable to the supplier's batch and, once issued,
    to every vehicle it went into."""

    version: int

    def __init__(self, dealer: str, code: str, *, part_number: str, supplier: str, supplier_lot: str | None,
                 receipt: str, received_at: datetime, quantity: Decimal, unit_cost: Decimal,
                 inspection: Inspection):
        self.dealer = dealer
        self.code = code
        self.part_number = part_number
        self.supplier = supplier
        self.supplier_lot = supplier_lot
        self.receipt = receipt
        self.received_at = received_at
        self.quantity = quantity
        self.unit_cost = unit_cost
        self.inspection = Inspection(inspection)
        self.inspected_at = received_at if self.inspection is not Inspection.PENDING else None
        self.on_hold = False
        self.hold_reason: str | None = None

    @property
    def subject(self) -> str:
        return self.code

    @property
    def blocked(self) -> bool:
        """Its stock may not be reserved or issued."""
        return self.inspection is not Inspection.PASSED or self.on_hold

    def hold(self, reason: str, *, affected_vins: list[str], at: datetime, actor: str) -> None:
        """Quarantine (质量冻结): recall, supplier notice, quality hold. Its stock stops moving."""
        if self.on_hold:
            raise LotAlreadyOnHold(self.code, self.hold_reason)
        self.on_hold = True
        self.hold_reason = reason
        self.events.append(LotQuarantined(
            lot=self.code, part_number=self.part_number, supplier=self.supplier, supplier_lot=self.supplier_lot,
            reason=reason, affected_vins=tuple(sorted(set(affected_vins))), by=actor,
        ))

    def release_hold(self, reason: str, *, at: datetime, actor: str) -> None:
        if not self.on_hold:
            raise LotNotOnHold(self.code)
        self.on_hold = False
        self.hold_reason = None
        self.events.append(LotReleased(
            lot=self.code, part_number=self.part_number, supplier=self.supplier, reason=reason, by=actor,
        ))

    def inspect(self, result: Inspection, *, note: str | None, at: datetime, actor: str) -> None:
        if self.inspection is not Inspection.PENDING:
            raise AlreadyInspected(self.code, self.inspection.value)
        self.inspection = Inspection(result)
        self.inspected_at = at
        self.events.append(LotInspected(
            lot=self.code, part_number=self.part_number, supplier=self.supplier,
            supplier_lot=self.supplier_lot, result=self.inspection.value, note=note, inspector=actor,
        ))
