"""Price strategy and promotions (配件价格策略与促销活动, parts standard 1.3).

A parts manager runs promotions for a season or a holiday: on some part numbers and/or
categories, for a period of the dealer's dates (both days included), with one rule:

- `percent_off`: that percentage off the price (more than 0, less than 100);
- `fixed_price`: the unit price is that amount (more than 0);
- `buy_n`: buy N, pay N-1: of every N units on a line, one is free (买N送1 counted within
  the N, so "buy 3" charges 2 of 3 and 4 of 6; 5 units pay for 4). Free units are whole units:
  a line of 2.5 L under "buy 3" has none.

The price that applies on a line is the best for the customer among the list price, the
customer group's terms (its own price for the part if its price list has one, else its
discount), and each promotion running that day that covers the part. A promotion does not
combine with the group's terms: it applies to the list price, unless it `stacks_with_group`,
when it applies to the group's price instead (a fixed price is a price either way). Equal
amounts go to the simpler source: list price, then the group, then promotions by code.

A promotion is `active` until a manager ends it (`ended`: from that moment it no longer
applies) or its period is over; an expired or ended promotion prices nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from shared.errors import StaleVersion
from shared.model import DealerOwned

from parts.domain.errors import (
    NothingToChange,
    PromotionEnded,
    PromotionNotApplicable,
    PromotionPeriodReversed,
    PromotionRuleInvalid,
    PromotionScopeEmpty,
)
from parts.domain.sales import (
    CENT,
    GROUP_PRICE,
    HUNDRED,
    LIST_PRICE,
    PROMOTION,
    ZERO,
    CustomerGroup,
    Price,
    price_for,
)

PERCENT_OFF, FIXED_PRICE, BUY_N = "percent_off", "fixed_price", "buy_n"
RULES = (PERCENT_OFF, FIXED_PRICE, BUY_N)
ACTIVE, ENDED = "active", "ended"
STATUSES = (ACTIVE, ENDED)
# What a PATCH may change; the rule's figures go with the rule.
CHANGEABLE = ("name", "starts_on", "ends_on", "part_numbers", "categories", "rule", "percent_off", "fixed_price",
              "buy_quantity", "stacks_with_group")
# The figure each rule needs.
FIGURE = {PERCENT_OFF: "percent_off", FIXED_PRICE: "fixed_price", BUY_N: "buy_quantity"}


class Promotion(DealerOwned):
    """A promotion (促销活动): a period, the parts it covers, and its rule."""

    version: int

    def __init__(self, dealer: str, code: str, *, name: str, starts_on: date, ends_on: date,
                 part_numbers: Sequence[str] = (), categories: Sequence[str] = (), rule: str,
                 percent_off: Decimal | None = None, fixed_price: Decimal | None = None,
                 buy_quantity: int | None = None, stacks_with_group: bool = False, at: datetime, by: str):
        self.dealer = dealer
        self.code = code
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.part_numbers = list(part_numbers)
        self.categories = list(categories)
        self.rule = rule
        self.percent_off = percent_off
        self.fixed_price = fixed_price
        self.buy_quantity = buy_quantity
        self.stacks_with_group = stacks_with_group
        self.status = ACTIVE
        self.ended_on: date | None = None
        self.ended_at: datetime | None = None
        self.ended_by: str | None = None
        self.created_at = at
        self.created_by = by
        self._check()

    # ------------------------------------------------------------ managing it

    def change(self, expected_version: int, **changes) -> None:
        """Change what it is before it has ended; checked as a whole, as a new one would be."""
        StaleVersion.check(expected_version, self.version)
        if self.status == ENDED:
            raise PromotionEnded(self.code, "change")
        if not changes:
            raise NothingToChange()
        for name in CHANGEABLE:
            if name in changes:
                value = changes[name]
                setattr(self, name, list(value) if name in ("part_numbers", "categories") else value)
        self._check()

    def end(self, expected_version: int, *, on: date, at: datetime, by: str) -> None:
        """Stop it now: from this moment it prices nothing (the sales already made keep theirs)."""
        StaleVersion.check(expected_version, self.version)
        if self.status == ENDED:
            raise PromotionEnded(self.code, "end")
        self.status = ENDED
        self.ended_on = on
        self.ended_at = at
        self.ended_by = by

    def _check(self) -> None:
        """Refuse what could not be applied: a reversed period, a rule without its figure or
        with one out of range, no scope. The other rules' figures are dropped."""
        if self.ends_on < self.starts_on:
            raise PromotionPeriodReversed(self.starts_on, self.ends_on)
        figure = FIGURE[self.rule]
        value = getattr(self, figure)
        if value is None:
            raise PromotionRuleInvalid(f"a {self.rule} promotion needs its {figure}", field=figure, rule=self.rule)
        if self.rule == PERCENT_OFF and not ZERO < value < HUNDRED:
            raise PromotionRuleInvalid(f"percent off must be more than 0 and less than 100, not {value}",
                                       field=figure, rule=self.rule)
        if self.rule == FIXED_PRICE and value <= ZERO:
            raise PromotionRuleInvalid(f"a fixed price must be more than 0, not {value}", field=figure,
                                       rule=self.rule)
        if self.rule == BUY_N and value < 2:
            raise PromotionRuleInvalid(f"buy N needs N of at least 2, not {value}", field=figure, rule=self.rule)
        for other in FIGURE.values():
            if other != figure:
                setattr(self, other, None)
        if not (self.part_numbers or self.categories):
            raise PromotionScopeEmpty()

    # ------------------------------------------------------------ where and when it applies

    @property
    def last_day(self) -> date:
        """The last day it ran: its end date, or the day a manager ended it if earlier."""
        return self.ends_on if self.ended_on is None else min(self.ends_on, self.ended_on)

    def covers(self, part_number: str, category: str) -> bool:
        return (part_number.lower() in {p.lower() for p in self.part_numbers}
                or category.lower() in {c.lower() for c in self.categories})

    def why_not(self, part_number: str, category: str, day: date) -> str | None:
        """Why it does not apply to the part on the day, or None when it does."""
        if self.status == ENDED:
            return "it has ended"
        if day < self.starts_on:
            return f"it starts on {self.starts_on.isoformat()}"
        if day > self.ends_on:
            return f"it expired on {self.ends_on.isoformat()}"
        if not self.covers(part_number, category):
            return "the part is not among its parts or categories"
        return None

    def check_applies(self, part_number: str, category: str, day: date, *, field: str) -> None:
        why = self.why_not(part_number, category, day)
        if why is not None:
            raise PromotionNotApplicable(self.code, part_number, why, field=field)

    def price(self, base: Price, quantity: Decimal) -> Price:
        """Its rule applied to `base` (the list price, or the group's when it stacks)."""
        unit, free = base.unit_price, ZERO
        if self.rule == PERCENT_OFF:
            unit = (base.unit_price * (HUNDRED - self.percent_off) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
        elif self.rule == FIXED_PRICE:
            unit = self.fixed_price
        else:
            free = Decimal(int(quantity // self.buy_quantity))
        return Price(base.list_price, unit, percent_below(base.list_price, unit), PROMOTION + self.code,
                     promotion=self.code, free_quantity=free)


def percent_below(list_price: Decimal, unit_price: Decimal) -> Decimal:
    """How far below the list price a unit price is, in percent (0 for a free part's list)."""
    if list_price <= ZERO:
        return ZERO
    return ((list_price - unit_price) * HUNDRED / list_price).quantize(CENT, ROUND_HALF_UP)


def group_terms(list_price: Decimal, part_number: str, group: CustomerGroup | None) -> Price | None:
    """What the customer's group pays: its own price for the part, else its discount."""
    if group is None:
        return None
    own = group.price_of(part_number)
    if own is not None:
        return Price(list_price, own, percent_below(list_price, own), GROUP_PRICE)
    terms = price_for(list_price, group)
    return None if terms.source == LIST_PRICE else terms


def charged(price: Price, quantity: Decimal) -> Decimal:
    return (price.unit_price * (quantity - price.free_quantity)).quantize(CENT, ROUND_HALF_UP)


def best_price(*, part_number: str, category: str, list_price: Decimal, quantity: Decimal,
               group: CustomerGroup | None, promotions: Iterable[Promotion], day: date) -> Price:
    """The price of a line that is best for the customer on `day` (see the module's rules).
    `promotions` may hold any: those that do not apply to the part that day are passed over."""
    listed = Price(list_price, list_price, ZERO, LIST_PRICE)
    group_price = group_terms(list_price, part_number, group)
    candidates = [listed] if group_price is None else [listed, group_price]
    for promotion in sorted(promotions, key=lambda p: p.code):
        if promotion.why_not(part_number, category, day) is None:
            stacked = promotion.stacks_with_group and group_price is not None
            candidates.append(promotion.price(group_price if stacked else listed, quantity))
    # min() keeps the first of equals: the simpler source wins a tie.
    return min(candidates, key=lambda price: charged(price, quantity))
