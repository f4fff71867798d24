"""Document numbers the desk can read out on the phone: RC-261125-7F3A2C19.

The date in the number is the dealer's business date (`uow.today()`: Beijing's, not UTC's), so
a receipt booked at 07:30 in the morning carries that day's date, not yesterday's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime


def new_number(prefix: str, on: date) -> str:
    if isinstance(on, datetime):
        # A UTC timestamp would put the night's documents on the wrong day.
        raise TypeError("a document number takes the business date (uow.today()), not a timestamp")
    return f"{prefix}-{on:%y%m%d}-{uuid.uuid4().hex[:8].upper()}"
