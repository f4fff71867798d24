from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warranty.domain.vin import InvalidVin, check_digit, normalise_vin

ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def with_check_digit(vin: str) -> str:
    return vin[:8] + check_digit(vin) + vin[9:]


@pytest.mark.parametrize("vin", ["1HGCM82633A004352", "LVSHCAMB1CE054249", "11111111111111111"])
def test_known_good_vins_pass(vin):
    assert normalise_vin(vin, verify_check_digit=True) == vin


def test_lower_case_and_spaces_are_normalised():
    assert normalise_vin(" 1hgcm82633a004352 ", verify_check_digit=True) == "1HGCM82633A004352"


@pytest.mark.parametrize(
    "vin, reason",
    [
        ("1HGCM82633A00435", "16 characters"),
        ("1HGCM82633A0043521", "18 characters"),
        ("1HGCM82633A00435O", "other than I, O and Q"),
        ("1HGCM82633A00435I", "other than I, O and Q"),
        ("1HGCM82643A004352", "check digit"),
    ],
)
def test_bad_vins_say_what_is_wrong(vin, reason):
    with pytest.raises(InvalidVin) as refused:
        normalise_vin(vin, verify_check_digit=True)
    assert reason in refused.value.detail
    assert refused.value.context["field"] == "vin"


def test_markets_without_a_check_digit_can_switch_it_off():
    assert normalise_vin("1HGCM82643A004352", verify_check_digit=False) == "1HGCM82643A004352"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_any_vin_with_its_computed_check_digit_passes(raw):
    vin = with_check_digit(raw)
    assert normalise_vin(vin, verify_check_digit=True) == vin


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_any_other_check_digit_fails(raw, digit):
    vin = raw[:8] + digit + raw[9:]
    if digit == check_digit(vin):
        return
    with pytest.raises(InvalidVin):
        normalise_vin(vin, verify_check_digit=True)
