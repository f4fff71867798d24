"""A quote dumped through the plan (`shared.http.dumping`) is exactly what marshmallow's own dump
answers: key for key, in order, every figure formatted the same."""

from __future__ import annotations

from decimal import Decimal

from shared.http.dumping import compile_dumper
from shared.testing import assert_dumps_as_marshmallow

from parts.api.schemas import QuoteSchema
from parts.queries.availability import LocationLevel, Offer, Quote, QuoteLine


def an_offer(number: str, available: str | None, withheld: str | None = None) -> Offer:
    figure = None if available is None else Decimal(available)
    return Offer(number, "刹车片", "aftermarket", Decimal("320.00"), "CNY", on_hand=figure, reserved=figure and Decimal(0),
                 quarantined=figure and Decimal(0), available=figure, can_fulfil=figure is not None, withheld=withheld,
                 name_zh="刹车片", name_en=None)


def test_a_quote_with_every_kind_of_line_dumps_as_marshmallow_does():
    pads = QuoteLine(
        "PADS", Decimal("4.000"), found=True, asked_part_number="pads", name="刹车片", name_zh="刹车片", name_en="Pads",
        unit="set", unit_price=Decimal("680.00"), currency="CNY", line_total=Decimal("2720.00"),
        on_hand=Decimal("4.000"), reserved=Decimal("1.000"), quarantined=Decimal("0.000"), available=Decimal("3.000"),
        can_fulfil=False, below_safety_level=True, lead_time_days=2,
        locations=[LocationLevel("MAIN", "A-01", Decimal("3.000"), Decimal("1.000"), Decimal("0.000"), Decimal("2.000")),
                   LocationLevel("BODY", None, None, None, None, None, withheld="count CNT-1")],
        alternates=[an_offer("PADS-AM", "6.000"), an_offer("PADS-X", None, withheld="count CNT-1")],
    )
    old = QuoteLine("OLD", Decimal("2.000"), found=True, asked_part_number="OLD", name="Old", name_en="Old", unit="pcs",
                    unit_price=Decimal("50.00"), currency="CNY", line_total=Decimal("100.00"),
                    superseded_by=an_offer("NEW", "8.000"))
    oil = QuoteLine("OIL", Decimal("0.125"), found=True, asked_part_number="OIL", unit="L", unit_price=Decimal("96.00"),
                    currency="CNY", line_total=Decimal("12.00"), on_hand=None, reserved=None, quarantined=None,
                    available=None, withheld="count CNT-2",
                    problem={"code": "quantity_too_precise", "detail": "OIL is counted in L", "field": "lines.2.quantity"})
    nope = QuoteLine("NOPE", Decimal("1.000"), found=False, asked_part_number="NOPE",
                     problem={"code": "part_not_found", "detail": "no part NOPE", "field": "lines.3.part_number"})

    dumped = assert_dumps_as_marshmallow(QuoteSchema, Quote([pads, old, oil, nope], total=Decimal("2832.00"), currency="CNY"))

    assert dumped["total"] == "2832.00" and dumped["lines"][0]["locations"][1]["on_hand"] is None
    assert dumped["lines"][1]["superseded_by"]["available"] == "8.000" and dumped["lines"][0]["superseded_by"] is None
    assert dumped["lines"][3]["problem"]["code"] == "part_not_found"


def test_a_quote_in_two_currencies_dumps_as_marshmallow_does():
    line = QuoteLine("IMPORT", Decimal("1.000"), found=True, asked_part_number="IMPORT", unit_price=Decimal("12.34"),
                     currency="USD", line_total=Decimal("12.34"))
    assert assert_dumps_as_marshmallow(QuoteSchema, Quote([line], total=None, currency=None))["total"] is None


def test_the_quote_schema_compiles_to_a_plan():
    compile_dumper(QuoteSchema())  # no field the plan does not know: a quote never falls back to marshmallow
