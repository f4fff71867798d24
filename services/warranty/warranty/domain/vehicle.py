"""A vehicle under warranty (车辆档案): who owned it, its title, what its odometer said when."""

from __future__ import annotations

from datetime import date, datetime

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from warranty.domain.errors import InServiceDateInFuture, NothingToChange, OdometerReadingInFuture
from warranty.domain.events import LemonLawThresholdReached, OdometerRecorded, VehicleRegistered, VehicleUpdated
from warranty.domain.lemon_law import Exposure

TITLE_STATUSES = ("clean", "salvage", "rebuilt", "flood", "lemon_buyback")
# A title branded by an insurer's total loss ends the manufacturer's warranty; a vehicle bought
# back under 三包 and resold keeps it.
WARRANTY_VOIDING_TITLES = frozenset({"salvage", "rebuilt", "flood"})

ODOMETER_SOURCES = ("repair_order", "pre_delivery", "inspection", "customer", "telematics", "claim")


class ReadingFacts:
    """What a reading says against another: the recorded reading's, and the read path's for a
    reading read as a row (eligibility). Needs `read_on` and `km`."""

    read_on: date
    km: int

    def contradicts(self, read_on: date, km: int) -> bool:
        """An odometer only goes forward: a lower figure on the same day or later, or a higher
        one earlier, cannot both be true."""
        if read_on >= self.read_on:
            return km < self.km
        return km > self.km


class OdometerReading(ReadingFacts, DealerOwned):
    """What the odometer showed on a day, and who said so. Never edited: a wrong reading stays
    on record and a later one is judged against it."""

    def __init__(self, dealer: str, *, read_on: date, km: int, source: str, reference: str | None,
                 rollback_suspected: bool, recorded_at: datetime, recorded_by: str):
        self.dealer = dealer
        self.read_on = read_on
        self.km = km
        self.source = source
        self.reference = reference  # the repair order or inspection it was read for
        self.rollback_suspected = rollback_suspected
        self.recorded_at = recorded_at
        self.recorded_by = recorded_by


class VehicleFacts:
    """What a vehicle's owners, title and odometer history say for its warranty: the
    aggregate's, and the read path's for a vehicle read as rows (eligibility), so both judge
    alike. Needs `owner_count`, `title_status` and `readings` (`ReadingFacts` with `reference`),
    in the order they were read."""

    owner_count: int
    title_status: str
    readings: list

    @property
    def first_owner(self) -> bool:
        return self.owner_count <= 1

    @property
    def title_voids_warranty(self) -> bool:
        return self.title_status in WARRANTY_VOIDING_TITLES

    def contradicts_history(self, read_on: date, km: int) -> bool:
        return any(reading.contradicts(read_on, km) for reading in self.readings)

    def km_at(self, on: date) -> int | None:
        """The highest reading on or before a day: what the odometer showed at least then."""
        return max((r.km for r in self.readings if r.read_on <= on), default=None)

    def km_for(self, reference: str) -> int | None:
        """The reading taken for a repair order (at write-up), if one was."""
        return next((r.km for r in self.readings if r.reference == reference), None)


class Vehicle(VehicleFacts, Aggregate):
    version: int
    readings: list[OdometerReading]

    def __init__(
        self,
        dealer: str,
        vin: str,
        *,
        make: str,
        model: str,
        model_year: int,
        in_service_date: date,
        owner_count: int,
        at: datetime,
        today: date,
        title_status: str = "clean",
    ):
        if in_service_date > today:
            raise InServiceDateInFuture()
        self.dealer = dealer
        self.vin = vin
        self.make = make
        self.model = model
        self.model_year = model_year
        self.in_service_date = in_service_date
        self.owner_count = owner_count
        self.title_status = title_status
        self.odometer_km: int | None = None
        self.odometer_read_on: date | None = None
        self.rollback_suspected = False
        self.lemon_law_reported: list[str] = []
        self.readings = []
        self.registered_at = at
        self.events.append(
            VehicleRegistered(vin, make, model, model_year, in_service_date)
        )

    @property
    def subject(self) -> str:
        return self.vin


    def record_odometer(self, *, km: int, read_on: date, source: str, reference: str | None,
                        today: date, at: datetime, by: str) -> OdometerReading:
        """Keep a reading. One that contradicts an earlier one (a lower figure after a higher
        one) is kept all the same, flagged as a suspected rollback (里程回调): refusing it
        would hide exactly what the warranty desk must see."""
        if read_on > today:
            raise OdometerReadingInFuture()
        suspected = self.contradicts_history(read_on, km)
        reading = OdometerReading(
            self.dealer, read_on=read_on, km=km, source=source, reference=reference,
            rollback_suspected=suspected, recorded_at=at, recorded_by=by,
        )
        self.readings.append(reading)
        if self.odometer_read_on is None or read_on >= self.odometer_read_on:
            self.odometer_km, self.odometer_read_on = km, read_on
        self.rollback_suspected = self.rollback_suspected or suspected
        self.events.append(OdometerRecorded(self.vin, km, read_on, source, reference, suspected))
        return reading


    def change(self, expected_version: int, *, reason: str | None = None, **changes) -> None:
        """A new owner (过户) or a branded title; the reason travels with the event."""
        StaleVersion.check(expected_version, self.version)
        if not changes:
            raise NothingToChange()
        changed = tuple(name for name in ("owner_count", "title_status")
                        if name in changes and changes[name] != getattr(self, name))
        if not changed:
            return
        for name in changed:
            setattr(self, name, changes[name])
        self.events.append(VehicleUpdated(self.vin, self.owner_count, self.title_status, changed, reason))

    def note_lemon_law(self, exposure: Exposure) -> None:
        """Announce each lemon-law threshold the first time it is reached; a threshold already
        announced stays announced, whatever later claims add or take away."""
        new = [count for count in exposure.reached if count.threshold not in self.lemon_law_reported]
        if not new:
            return
        self.lemon_law_reported = sorted({*self.lemon_law_reported, *(count.threshold for count in new)})
        for count in new:
            self.events.append(LemonLawThresholdReached(
                self.vin, count.threshold, count.count, count.limit, count.part_number, count.claim_numbers,
                exposure.in_service_date, exposure.period_ends_on,
            ))
