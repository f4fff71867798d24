"""Moving stock between locations (移库): from the main store to the body shop's, or back.

`transfer` takes a command: a frozen dataclass of what the clerk asks, defined beside it (the
API's schema loads into it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from parts.domain.stock import Transfer
from parts.service.ports import PartsUnitOfWork


@dataclass(frozen=True)
class TransferStock:
    """How much of a part goes from one location to another, why, and from which lot (None:
    the oldest available lots)."""

    part_number: str
    from_location: str
    to_location: str
    quantity: Decimal
    reason: str
    lot: str | None = None


def transfer(uow: PartsUnitOfWork, caller: Caller, command: TransferStock) -> Transfer:
    """Move available stock of a part, of the named lot or else the oldest available lots;
    each lot keeps its identity at the new location. Reserved and blocked stock stays."""
    with uow:
        now = uow.now()
        part = uow.parts.require(command.part_number, field="part_number")
        part.check_quantity(command.quantity)
        for field, location in (("from_location", command.from_location), ("to_location", command.to_location)):
            uow.locations.require(location, field=field)
        # Both rows locked in location order, whichever way the stock goes: two clerks moving
        # stock in opposite directions never wait on each other.
        stocks = {location: uow.stock.get_or_create_for_update(command.part_number, location)
                  for location in sorted({command.from_location, command.to_location})}
        moved = stocks[command.from_location].transfer_to(
            stocks[command.to_location], command.quantity, lot=command.lot, number=document_number("TR", uow.today()),
            reason=command.reason, at=now, actor=caller.sub)
        uow.commit()
    return moved
