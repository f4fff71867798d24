"""Where a reservation that names no location is held: the default location if it has enough,
else the one with the most that can fill it (ties by code), else short naming where the most is."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parts.domain.errors import InsufficientStock
from parts.domain.stock import where_to_reserve, where_to_reserve_lines

D = Decimal


def place(quantity, **available) -> str:
    return where_to_reserve("PADS", D(quantity), {code: D(amount) for code, amount in available.items()},
                            default_location="MAIN")


def test_the_default_location_first_when_it_has_enough():
    assert place("3", MAIN="3", BODY="10") == "MAIN"


def test_else_the_most_available_that_can_fill_the_line():
    assert place("3", MAIN="2", BODY="4", ANNEX="6") == "ANNEX"
    assert place("3", BODY="4") == "BODY"  # nothing at the default location at all


def test_a_tie_goes_to_the_first_code():
    assert place("4", MAIN="1", BODY="5", ANNEX="5") == "ANNEX"


def test_short_names_where_the_most_is_never_splitting_the_line():
    with pytest.raises(InsufficientStock) as short:
        place("4", MAIN="2", BODY="3", ANNEX="1")
    assert (short.value.context["location"], short.value.context["available"], short.value.context["asked"]) == (
        "BODY", D("3"), D("4"))


def test_short_with_nothing_anywhere_names_the_default_location():
    for available in ({}, {"BODY": "0"}, {"BODY": "-2"}):
        with pytest.raises(InsufficientStock) as short:
            place("1", **available)
        assert (short.value.context["location"], short.value.context["available"]) == ("MAIN", D("0"))


def test_a_tie_for_the_most_when_short_names_the_default_location():
    with pytest.raises(InsufficientStock) as short:
        place("5", BODY="2", MAIN="2")
    assert short.value.context["location"] == "MAIN"


def test_a_quotes_open_lines_take_what_the_lines_naming_a_location_leave_in_their_order():
    available = {("PADS", "MAIN"): D("1"), ("PADS", "BODY"): D("5"), ("PADS", "ANNEX"): D("3"), ("OIL", "MAIN"): D("9")}
    lines = [("PADS", D("3"), None), ("OIL", D("2"), None), ("PADS", D("2"), "BODY"), ("PADS", D("1"), None),
             ("PADS", D("3"), None)]

    places = where_to_reserve_lines(lines, available, default_location="MAIN")

    # BODY keeps 2 for the line naming it: 3 left there as at ANNEX, so the first open line goes
    # to ANNEX (a tie, by code); the default location fills the next PADS line (1); the last 3
    # fit only BODY's 3 left.
    assert places == ["ANNEX", "MAIN", "BODY", "MAIN", "BODY"]
    lines.append(("PADS", D("1"), None))
    *_, nothing_left = where_to_reserve_lines(lines, available, default_location="MAIN")
    assert isinstance(nothing_left, InsufficientStock)
    assert (nothing_left.context["location"], nothing_left.context["available"]) == ("MAIN", 0)


def test_a_line_naming_its_location_keeps_it_even_when_short_there():
    places = where_to_reserve_lines([("PADS", D("4"), "MAIN"), ("PADS", D("1"), None)],
                                    {("PADS", "MAIN"): D("2"), ("PADS", "BODY"): D("1")}, default_location="MAIN")
    assert places == ["MAIN", "BODY"]  # the reservation at MAIN will say it is short


amounts = st.dictionaries(st.sampled_from(["ANNEX", "BODY", "MAIN", "YARD"]),
                          st.integers(-3, 20).map(Decimal), max_size=4)


@given(amounts, st.integers(1, 25).map(Decimal))
def test_the_place_always_fills_the_whole_line_and_is_refused_only_when_no_place_could(available, quantity):
    try:
        where = where_to_reserve("PADS", quantity, available, default_location="MAIN")
    except InsufficientStock as short:
        assert all(amount < quantity for amount in available.values())
        assert short.context["available"] == max([D(0), *available.values()])
    else:
        assert available.get(where, D(0)) >= quantity
        if available.get("MAIN", D(0)) < quantity:
            best = max(available.values())
            assert available[where] == best
            assert where == min(code for code, amount in available.items() if amount == best)
