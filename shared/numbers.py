"""Document numbers the desk reads out on the phone: RC-20261125-7F3A2C19.

A prefix for the kind of document, the dealer's business date (`uow.today()`: Beijing's, not
UTC's, so a receipt booked at 07:30 in the morning carries that day's date, not yesterday's), and
eight random hex digits: unique enough per dealer and day without a counter that every writer
would wait on. (A complaint's number counts instead, TS-20261206-0001: it is what the customer
is told, and the desk reads them in order.)
"""

from __future__ import annotations

import uuid
from datetime import date, datetime


def document_number(prefix: str, on: date) -> str:
    if isinstance(on, datetime):
        # A UTC timestamp would put the night's documents on the wrong day.
        raise TypeError("a document number takes the business date (uow.today()), not a timestamp")
    return f"{prefix}-{on:%Y%m%d}-{uuid.uuid4().hex[:8].upper()}"
