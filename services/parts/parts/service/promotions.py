"""Promotions (促销活动), managed by the parts managers: written, changed while they have not
ended, and ended early. What they cover must be in the catalog: a part number of the dealer's,
a category some part is in."""

from __future__ import annotations

from collections.abc import Sequence

from shared.auth import Caller

from parts.domain.errors import PromotionNotFound, PromotionScopeUnknown
from parts.domain.pricing import Promotion
from parts.service.ports import PartsUnitOfWork


def add_promotion(uow: PartsUnitOfWork, caller: Caller, *, code: str, **terms) -> Promotion:
    with uow:
        terms["part_numbers"] = _known_scope(uow, terms.get("part_numbers", ()), terms.get("categories", ()))
        promotion = Promotion(caller.dealer, code, at=uow.now(), by=caller.sub, **terms)
        uow.promotions.add(promotion)
        uow.commit()
    return promotion


def change_promotion(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int,
                     **changes) -> Promotion:
    with uow:
        promotion = _for_update(uow, code)
        known = _known_scope(uow, changes.get("part_numbers", ()), changes.get("categories", ()))
        if "part_numbers" in changes:
            changes["part_numbers"] = known
        promotion.change(expected_version, **changes)
        uow.commit()
    return promotion


def end_promotion(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int) -> Promotion:
    """From now on it prices nothing; orders already written keep their prices."""
    with uow:
        promotion = _for_update(uow, code)
        promotion.end(expected_version, on=uow.today(), at=uow.now(), by=caller.sub)
        uow.commit()
    return promotion


def _known_scope(uow: PartsUnitOfWork, part_numbers: Sequence[str], categories: Sequence[str]) -> list[str]:
    """The part numbers as the catalog writes them; 422 naming the first unknown one."""
    known = []
    for index, part_number in enumerate(part_numbers):
        part = uow.parts.get(part_number)
        if part is None:
            raise PromotionScopeUnknown("part", part_number, field=f"part_numbers.{index}")
        known.append(part.part_number)
    for index, category in enumerate(categories):
        if not uow.promotions.known_category(category):
            raise PromotionScopeUnknown("category", category, field=f"categories.{index}")
    return known


def _for_update(uow: PartsUnitOfWork, code: str) -> Promotion:
    promotion = uow.promotions.get_for_update(code)
    if promotion is None:
        raise PromotionNotFound(code)
    return promotion
