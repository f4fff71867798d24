from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from shared.numbers import document_number


def test_a_number_names_its_kind_the_business_day_and_eight_random_hex_digits():
    numbers = {document_number("RC", date(2026, 11, 25)) for _ in range(50)}
    assert all(re.fullmatch(r"RC-20261125-[0-9A-F]{8}", number) for number in numbers)
    assert len(numbers) == 50


def test_a_timestamp_is_refused_it_would_put_the_nights_documents_on_the_wrong_day():
    with pytest.raises(TypeError):
        document_number("RC", datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc))
