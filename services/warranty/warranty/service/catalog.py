"""Keeping warranty's copy of part facts current from the parts service's events."""

from __future__ import annotations

from datetime import datetime

from shared.auth import Caller

from warranty.domain.catalog import CatalogPart
from warranty.service.ports import WarrantyUnitOfWork


def learn_part(
    uow: WarrantyUnitOfWork,
    caller: Caller,
    *,
    part_number: str,
    sequence: int | None,
    name: str | None,
    category: str,
    source: str,
    safety_critical: bool,
    at: datetime,
) -> None:
    with uow:
        part = uow.catalog.get_for_update(part_number)
        if part is None:
            part = CatalogPart(caller.dealer, part_number)
            uow.catalog.add(part)
        if part.learn(
            sequence=sequence, name=name, category=category, source=source,
            safety_critical=safety_critical, at=at,
        ):
            uow.commit()
