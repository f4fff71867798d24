"""Moving stock between locations (移库): from the main store to the body shop's, or back."""

from __future__ import annotations

from decimal import Decimal

from shared.auth import Caller

from parts.adapters.unit_of_work import PartsUnitOfWork
from parts.domain.stock import Transfer
from parts.service.numbers import new_number


def transfer(uow: PartsUnitOfWork, caller: Caller, *, part_number: str, from_location: str, to_location: str,
             quantity: Decimal, reason: str, lot: str | None = None) -> Transfer:
    """Move available stock of a part, of the named lot or else the oldest available lots;
    each lot keeps its identity at the new location. Reserved and blocked stock stays."""
    with uow:
        now = uow.now()
        part = uow.parts.require(part_number, field="part_number")
        part.check_quantity(quantity)
        for field, location in (("from_location", from_location), ("to_location", to_location)):
            uow.locations.require(location, field=field)
        # Both rows locked in location order, whichever way the stock goes: two clerks moving
        # stock in opposite directions never wait on each other.
        stocks = {location: uow.stock.get_or_create_for_update(part_number, location)
                  for location in sorted({from_location, to_location})}
        moved = stocks[from_location].transfer_to(
            stocks[to_location], quantity, lot=lot, number=new_number("TR", uow.today()), reason=reason,
            at=now, actor=caller.sub)
        uow.commit()
    return moved
