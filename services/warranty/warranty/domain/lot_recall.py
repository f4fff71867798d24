"""Lots the parts service quarantined (批次隔离/召回), as warranty keeps them: a campaign-like
view of which vehicles got parts from a suspect lot.

The parts service announces a quarantine with the VINs it knows the lot went into, and later
the release. Warranty keeps one record per lot: the part, supplier, reason, when it was
quarantined and released, and the VINs named. A lot may be quarantined again after a release.

The two events travel on different queues, so a release may arrive before its quarantine:
the lot's `sequence` decides which state is newest, as for catalog facts; an older event
still adds what it knows (part, supplier, VINs) but never rolls the state back. VINs are only
ever added: a vehicle that got a part from the lot stays affected.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from shared.model import DealerOwned

OPEN = "open"
RELEASED = "released"
LOT_RECALL_STATUSES = (OPEN, RELEASED)


class AffectedVehicle(DealerOwned):
    """A VIN the parts service named when it quarantined the lot."""

    def __init__(self, dealer: str, vin: str):
        self.dealer = dealer
        self.vin = vin


class LotRecall(DealerOwned):
    affected: list[AffectedVehicle]

    def __init__(self, dealer: str, lot: str, *, part_number: str, supplier: str):
        self.dealer = dealer
        self.lot = lot
        self.part_number = part_number
        self.supplier = supplier
        self.supplier_lot: str | None = None
        self.status = OPEN
        self.reason: str | None = None
        self.quarantined_at: datetime | None = None
        self.quarantined_by: str | None = None
        self.release_reason: str | None = None
        self.released_at: datetime | None = None
        self.released_by: str | None = None
        self.sequence = 0
        self.affected = []

    @property
    def affected_vins(self) -> list[str]:
        return sorted(vehicle.vin for vehicle in self.affected)

    def quarantined(self, *, sequence: int | None, supplier_lot: str | None, reason: str,
                    affected_vins: Iterable[str], at: datetime, by: str) -> None:
        """The lot was put on hold. Its VINs are added whatever the order of arrival."""
        self._name(affected_vins)
        if self.supplier_lot is None:
            self.supplier_lot = supplier_lot
        if not self._newest(sequence):
            if self.quarantined_at is None:  # the release overtook it: still say when and why
                self.reason, self.quarantined_at, self.quarantined_by = reason, at, by
            return
        self.status = OPEN
        self.supplier_lot = supplier_lot or self.supplier_lot
        self.reason, self.quarantined_at, self.quarantined_by = reason, at, by
        self.release_reason = self.released_at = self.released_by = None

    def released(self, *, sequence: int | None, reason: str, at: datetime, by: str) -> None:
        """The hold was lifted: the lot's vehicles are no longer called in."""
        if not self._newest(sequence):
            return
        self.status = RELEASED
        self.release_reason, self.released_at, self.released_by = reason, at, by

    def _newest(self, sequence: int | None) -> bool:
        """Take an event as the lot's newest state unless an equal or later one came first; one
        without a sequence is taken as the newest."""
        if sequence is not None and sequence <= self.sequence:
            return False
        self.sequence = sequence if sequence is not None else self.sequence + 1
        return True

    def _name(self, vins: Iterable[str]) -> None:
        known = {vehicle.vin for vehicle in self.affected}
        for vin in sorted({vin.strip().upper() for vin in vins} - known):
            self.affected.append(AffectedVehicle(self.dealer, vin))
