"""Warranty's claims and eligibility answers, dumped through the plan (`shared.http.dumping`),
are exactly what marshmallow's own dump answers, key for key and in order."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from shared.http.dumping import compile_dumper
from shared.testing import assert_dumps_as_marshmallow

from warranty.api.schemas import ClaimSchema, EligibilitySchema
from warranty.domain.claim import Claim
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.eligibility import Concern, Fitted, Question, assess
from warranty.domain.vehicle import Vehicle

AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


def claim() -> Claim:
    return Claim("D001", "WC-1", vin="LVSHCAMB1CE054249", repair_order="RO-1", repair_date=date(2026, 11, 20),
                 odometer=12000, failure_date=date(2026, 11, 19), claim_type="warranty", coverage_plan="CN-REPAIR",
                 complaint="noise", attachments=[{"reference": "r1", "kind": "photo"}],
                 lines=[{"kind": "part", "part_number": "P1", "quantity": Decimal("1.000"),
                         "unit_price": Decimal("100.00"), "causal": True},
                        {"kind": "labour", "operation": "OP1", "quantity": Decimal("1.5"),
                         "unit_price": Decimal("80.00")}],
                 today=date(2026, 11, 25), at=AT, by="clerk")


def test_a_claim_dumps_as_marshmallow_does():
    compile_dumper(ClaimSchema())  # compiles: no field the plan does not know
    assert_dumps_as_marshmallow(ClaimSchema, claim())


def test_an_eligibility_answer_dumps_as_marshmallow_does():
    vehicle = Vehicle("D001", "LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
                      in_service_date=date(2024, 9, 15), owner_count=1, at=AT, today=date(2026, 11, 25))
    fitted = [Fitted("P1", "brakes", "oem", False, date(2025, 5, 1), None, "RO-9")]
    answer = assess(vehicle, default_plans("D001", AT), Question(date(2026, 11, 25), 30000, Concern("brakes", "P1")),
                    fitted, default_pre_authorisation_above=Decimal("5000.00"))
    compile_dumper(EligibilitySchema())
    assert_dumps_as_marshmallow(EligibilitySchema, answer)
