"""A vehicle's lemon-law (三包) exposure, counted from its claims as the domain counts it.
Sessions are dealer-scoped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from warranty.domain.claim import Claim
from warranty.domain.lemon_law import LemonLawRules, exposure_of
from warranty.queries.vehicles import catalog_facts, vehicle


def lemon_law(session: Session, vin: str, *, verify_check_digit: bool, rules: LemonLawRules, today: date) -> dict:
    found = vehicle(session, vin, verify_check_digit=verify_check_digit)
    claims = session.scalars(
        select(Claim).where(Claim.vin == found.vin).options(lazyload(Claim.history))
    ).all()
    catalog = catalog_facts(session, {claim.causal_part_number for claim in claims if claim.causal_part_number})
    exposure = exposure_of(found.in_service_date, claims, catalog, rules)
    within_km = found.odometer_km is None or found.odometer_km <= exposure.period_km
    return {
        "vin": found.vin,
        "in_service_date": exposure.in_service_date,
        "period_ends_on": exposure.period_ends_on,
        "period_km": exposure.period_km,
        "early_ends_on": exposure.early_ends_on,
        "early_km": exposure.early_km,
        "period_open": exposure.in_period_on(today) and within_km,
        "reached": [count.threshold for count in exposure.reached],
        "reported": list(found.lemon_law_reported),
        "thresholds": exposure.counts,
        "repairs": exposure.repairs,
    }
