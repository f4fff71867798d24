"""What warranty knows of the parts catalog, learnt from the parts service's events.

Coverage and the aftermarket-part rules need a part's source (oem / aftermarket), category and
whether it is safety-critical; the parts service owns those facts and announces every change.
"""

from __future__ import annotations

from datetime import datetime

from shared.model import DealerOwned


class CatalogPart(DealerOwned):
    def __init__(self, dealer: str, part_number: str):
        self.dealer = dealer
        self.part_number = part_number
        self.sequence = 0

    def learn(
        self,
        *,
        sequence: int | None,
        name: str | None,
        category: str,
        source: str,
        safety_critical: bool,
        at: datetime,
    ) -> bool:
        """Take the part's state as of event `sequence`; an older or repeated one is ignored,
        so events arriving out of order never roll the facts back. An event without a
        sequence is taken as the newest."""
        if sequence is not None and sequence <= self.sequence:
            return False
        self.sequence = sequence if sequence is not None else self.sequence + 1
        self.name = name
        self.category = category
        self.source = source
        self.safety_critical = safety_critical
        self.updated_at = at
        return True
