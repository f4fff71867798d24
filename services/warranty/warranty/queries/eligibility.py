"""Answering "is this covered?" at write-up: one read of the vehicle, its plans, its parts and
the open lot recalls that concern it, then the domain's assessment. Nothing is written, so
asking is safe and fast.

Four statements, each built once (the vehicle with its readings; the parts fitted to it and
the part asked about, with what the catalog says of each; the plans; the open recalls), read
as plain rows: the
vehicle and the plans are judged as views carrying the domain's own rules (`VehicleFacts`,
`ReadingFacts`, `PlanTerms`), not loaded as aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, bindparam, inspect, null, select, union_all
from sqlalchemy.orm import Session

from warranty.domain.catalog import CatalogPart
from warranty.domain.coverage import CoveragePlan, PlanTerms
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.eligibility import Concern, Eligibility, Fitted, Question, assess, check_date
from warranty.domain.errors import ComponentNotKnown, VehicleNotFound
from warranty.domain.installation import InstalledPart
from warranty.domain.vehicle import OdometerReading, ReadingFacts, Vehicle, VehicleFacts
from warranty.domain.vin import normalise_vin
from warranty.queries.lot_recalls import open_recalls_of


def eligibility(
    session: Session,
    *,
    vin: str,
    odometer: int,
    part_number: str | None = None,
    component_group: str | None = None,
    estimated_cost: Decimal | None = None,
    date: date | None = None,  # noqa: A002 (the API's word)
    now: datetime,
    today: date,
    days_ahead: int,
    default_pre_authorisation_above: Decimal,
    verify_check_digit: bool,
) -> Eligibility:
    """`days_ahead`: how far ahead an appointment may be asked about; the default limit applies
    to plans without a pre-authorisation limit of their own. A VIN that cannot be one is 422
    invalid_vin."""
    on = date or today
    check_date(on, today=today, days_ahead=days_ahead)
    found = _vehicle(session, normalise_vin(vin, verify_check_digit=verify_check_digit))
    fitted, asked = _parts(session, found.vin, part_number)
    question = Question(on=on, odometer=odometer, concern=_concern(part_number, component_group, asked),
                        estimated_cost=estimated_cost)
    # A dealer whose plans were never loaded (vehicles from before coverage existed) is
    # answered from the defaults it would get.
    plans = [PlanView(row._mapping) for row in session.execute(_statements().plans)] or default_plans(found.dealer, now)
    return assess(found, plans, question, fitted, open_recalls_of(session, found.vin),
                  default_pre_authorisation_above=default_pre_authorisation_above)


class VehicleView(VehicleFacts):
    """A vehicle as read, with its readings in the order they were read."""

    def __init__(self, columns, readings: list):
        self.__dict__.update(columns)
        self.readings = readings


class ReadingView(ReadingFacts):
    def __init__(self, read_on: date, km: int, reference: str | None):
        self.read_on = read_on
        self.km = km
        self.reference = reference


class PlanView(PlanTerms):
    """A coverage plan as read."""

    def __init__(self, columns):
        self.__dict__.update(columns)


def _vehicle(session: Session, vin: str) -> VehicleView:
    """The vehicle and its readings (one row per reading, the vehicle's columns on each)."""
    rows = session.execute(_statements().vehicle, {"vin": vin}).all()
    if not rows:
        raise VehicleNotFound(vin)
    readings = [ReadingView(row.reading_read_on, row.reading_km, row.reading_reference)
                for row in rows if row.reading_id is not None]
    return VehicleView({key: rows[0]._mapping[key] for key in _VEHICLE_KEYS}, readings)


def _parts(session: Session, vin: str, part_number: str | None) -> tuple[list[Fitted], object | None]:
    """The parts still on the vehicle (in the order they were recorded) and the catalog's facts
    of the part asked about (None if the catalog does not know it, or none was asked about)."""
    fitted, asked = [], None
    for row in session.execute(_statements().parts, {"vin": vin, "part_number": part_number}):
        if row.fitting is None:
            asked = row
        else:
            fitted.append(_fitted(row))
    return fitted, asked


def _concern(part_number: str | None, component_group: str | None, known) -> Concern:
    if part_number is None:
        return Concern(component=component_group)
    if known is None:
        if component_group is None:
            raise ComponentNotKnown(part_number)
        return Concern(component=component_group, part_number=part_number)
    return Concern(component=component_group or known.category, part_number=part_number,
                   source=known.catalog_source, safety_critical=known.safety_critical)


def _fitted(row) -> Fitted:
    """A part on the vehicle with what the catalog says of it (its source: the issue's, else
    the catalog's)."""
    return Fitted(part_number=row.part_number, component=row.category, source=row.source or row.catalog_source,
                  safety_critical=bool(row.safety_critical), installed_on=row.installed_on, odometer=row.odometer,
                  repair_order=row.repair_order)


_VEHICLE_KEYS = ("dealer", "vin", "make", "model", "model_year", "in_service_date", "owner_count", "title_status",
                 "rollback_suspected")


@dataclass(frozen=True)
class _Statements:
    vehicle: Select  # by :vin, one row per reading
    parts: Select  # the parts still on :vin with their catalog facts, then the catalog's :part_number
    plans: Select  # every plan of the dealer


@cache
def _statements() -> _Statements:
    """Built once (after the mappers): every question sends the same statements, so the dealer
    scoping and SQLAlchemy's cache key are worked out once."""
    vin = bindparam("vin")
    readings = [getattr(OdometerReading, name).label(f"reading_{name}")
                for name in ("id", "read_on", "km", "reference")]
    fitted = (
        select(InstalledPart.id.label("fitting"), InstalledPart.part_number, InstalledPart.source,
               InstalledPart.installed_on, InstalledPart.odometer, InstalledPart.repair_order, CatalogPart.category,
               CatalogPart.source.label("catalog_source"), CatalogPart.safety_critical)
        .outerjoin(CatalogPart, CatalogPart.part_number == InstalledPart.part_number)
        .where(InstalledPart.vin == vin, InstalledPart.installed_on.is_not(None),
               InstalledPart.issued_quantity > InstalledPart.returned_quantity)
    )
    asked = select(null(), CatalogPart.part_number, null(), null(), null(), null(), CatalogPart.category,
                   CatalogPart.source, CatalogPart.safety_critical).where(
        CatalogPart.part_number == bindparam("part_number"))
    parts = union_all(fitted, asked)
    return _Statements(
        vehicle=select(*(getattr(Vehicle, key) for key in _VEHICLE_KEYS), *readings)
        .outerjoin(OdometerReading, OdometerReading.vehicle_id == Vehicle.id)
        .where(Vehicle.vin == vin)
        .order_by(OdometerReading.read_on, OdometerReading.id),  # as the aggregate's readings
        parts=parts.order_by(parts.selected_columns.fitting),
        plans=select(*(attribute.class_attribute for attribute in inspect(CoveragePlan).column_attrs)),
    )
