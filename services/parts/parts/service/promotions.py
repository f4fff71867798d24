"""Promotions (促销活动), managed by the parts managers: written, changed while they have not
ended, and ended early. What they cover must be in the catalog: a part number of the dealer's,
a category some part is in.

Writing and changing take a command, a frozen dataclass defined beside its use case (the API's
schemas load into it); the promotion's code and the version the manager saw come with a change
from the URL and If-Match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.auth import Caller

from parts.domain.errors import PromotionNotFound, PromotionScopeUnknown
from parts.domain.pricing import Promotion
from parts.service.ports import PartsUnitOfWork


@dataclass(frozen=True)
class AddPromotion:
    """A whole promotion: its period (the dealer's dates, both included), the part numbers and
    categories it covers, its rule and the figure that rule needs."""

    code: str
    name: str
    starts_on: date
    ends_on: date
    rule: str
    part_numbers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    percent_off: Decimal | None = None
    fixed_price: Decimal | None = None
    buy_quantity: int | None = None
    stacks_with_group: bool = False


@dataclass(frozen=True)
class ChangePromotion:
    """Only what changes: new values of the promotion's terms (`pricing.CHANGEABLE`), by name."""

    changes: Mapping[str, object]


def add_promotion(uow: PartsUnitOfWork, caller: Caller, command: AddPromotion) -> Promotion:
    with uow:
        promotion = Promotion(
            caller.dealer, command.code, name=command.name, starts_on=command.starts_on, ends_on=command.ends_on,
            part_numbers=_known_scope(uow, command.part_numbers, command.categories),
            categories=command.categories, rule=command.rule, percent_off=command.percent_off,
            fixed_price=command.fixed_price, buy_quantity=command.buy_quantity,
            stacks_with_group=command.stacks_with_group, at=uow.now(), by=caller.sub,
        )
        uow.promotions.add(promotion)
        uow.commit()
    return promotion


def change_promotion(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int,
                     command: ChangePromotion) -> Promotion:
    changes = dict(command.changes)
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
