"""Document numbers the desk can read out on the phone: RC-261125-7F3A2C19."""

from __future__ import annotations

import uuid
from datetime import datetime


def new_number(prefix: str, at: datetime) -> str:
    return f"{prefix}-{at:%y%m%d}-{uuid.uuid4().hex[:8].upper()}"
