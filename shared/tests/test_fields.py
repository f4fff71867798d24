import re
from decimal import Decimal

import marshmallow as ma
import pytest

from shared.fields import DecimalString, StrictBoolean


class Quantity(ma.Schema):
    quantity = DecimalString(places=3, minimum=0, exclusive_minimum=True)


@pytest.mark.parametrize("sent, message", [
    (4, "not a JSON number"),
    (4.5, "not a JSON number"),
    ("4.1234", "Too many decimal places"),
    (" 4", "digits with an optional point"),
    ("1e3", "digits with an optional point"),
    ("NaN", "digits with an optional point"),
    ("4\n", "digits with an optional point"),
    ("-1", "Must be more than 0"),
    ("0", "Must be more than 0"),
])
def test_a_quantity_that_is_not_a_plain_decimal_string_is_refused_with_the_reason(sent, message):
    with pytest.raises(ma.ValidationError) as refused:
        Quantity().load({"quantity": sent})
    assert message in refused.value.messages["quantity"][0]


def test_a_valid_quantity_is_padded_to_its_places_and_matches_the_documented_pattern():
    loaded = Quantity().load({"quantity": "4.5"})
    assert loaded["quantity"] == Decimal("4.500") and str(loaded["quantity"]) == "4.500"
    pattern = Quantity().fields["quantity"].metadata["pattern"]
    assert re.fullmatch(pattern, "4.5") and not re.fullmatch(pattern, "-4.5")


class Flagged(ma.Schema):
    qualified = StrictBoolean(required=True)


@pytest.mark.parametrize("sent", [0, 1, "true", "yes", None])
def test_a_flag_is_json_true_or_false_only(sent):
    with pytest.raises(ma.ValidationError):
        Flagged().load({"qualified": sent})
    assert Flagged().load({"qualified": False}) == {"qualified": False}
