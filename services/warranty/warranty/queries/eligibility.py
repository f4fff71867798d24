"""Answering "is this covered?" at write-up: one read of the vehicle, its plans, its parts and
the open lot recalls that concern it, then the domain's assessment. Nothing is written, so
asking is safe and fast."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from warranty.domain.coverage import CoveragePlan
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.eligibility import Concern, Eligibility, Fitted, Question, assess, check_date
from warranty.domain.errors import ComponentNotKnown
from warranty.queries.lot_recalls import open_recalls_of
from warranty.queries.vehicles import catalog_facts, fitted_to, vehicle


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
    found = vehicle(session, vin, verify_check_digit=verify_check_digit)
    question = Question(on=on, odometer=odometer, concern=_concern(session, part_number, component_group),
                        estimated_cost=estimated_cost)
    # A dealer whose plans were never loaded (vehicles from before coverage existed) is
    # answered from the defaults it would get.
    plans = list(session.scalars(select(CoveragePlan))) or default_plans(found.dealer, now)
    fitted = [
        Fitted(part_number=part["part_number"], component=part["component_group"], source=part["source"],
               safety_critical=bool(part["safety_critical"]), installed_on=part["installed_on"],
               odometer=part["odometer"], repair_order=part["repair_order"])
        for part in fitted_to(session, found.vin)
    ]
    return assess(found, plans, question, fitted, open_recalls_of(session, found.vin),
                  default_pre_authorisation_above=default_pre_authorisation_above)


def _concern(session: Session, part_number: str | None, component_group: str | None) -> Concern:
    if part_number is None:
        return Concern(component=component_group)
    known = catalog_facts(session, {part_number}).get(part_number)
    if known is None:
        if component_group is None:
            raise ComponentNotKnown(part_number)
        return Concern(component=component_group, part_number=part_number)
    return Concern(component=component_group or known.category, part_number=part_number,
                   source=known.source, safety_critical=known.safety_critical)
