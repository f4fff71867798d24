"""The replacement for a parts-warranty case (保修换件): recorded when the warranty desk
approves it, issued from stock at once if the stock has it, else when a clerk issues it after
stock came in. See `parts.domain.warranty_exchange` for why."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.auth import Caller
from shared.errors import StaleVersion

from parts.domain.errors import WarrantyExchangeNotFound
from parts.domain.warranty_exchange import WarrantyExchange
from parts.service.ports import PartsUnitOfWork


def approve(uow: PartsUnitOfWork, caller: Caller, *, case: str, sale: str, part_number: str, location: str | None,
            quantity: Decimal, lot: str, supplier: str | None, at: datetime) -> WarrantyExchange:
    """The warranty desk approved a replacement: issue it now if the stock can, else it waits.
    An approval seen before is left as it is."""
    with uow:
        exchange = uow.warranty_exchanges.get(case)
        if exchange is not None:
            return exchange
        exchange = WarrantyExchange(caller.dealer, case, sale=sale, part_number=part_number,
                                    location=location or uow.rules.default_location, quantity=quantity,
                                    faulty_lot=lot, supplier=supplier, approved_at=at)
        uow.warranty_exchanges.add(exchange)
        stock = uow.stock.get_for_update(exchange.part_number, exchange.location)
        if exchange.can_issue_from(stock):
            exchange.issue_from(stock, at=uow.now(), by=caller.sub)
        uow.commit()
    return exchange


def issue(uow: PartsUnitOfWork, caller: Caller, case: str, expected_version: int) -> WarrantyExchange:
    """A clerk issues a waiting exchange (stock came in): all of it from the oldest available
    lots, or 409 insufficient_stock and it keeps waiting."""
    with uow:
        exchange = uow.warranty_exchanges.get_for_update(case)
        if exchange is None:
            raise WarrantyExchangeNotFound(case)
        StaleVersion.check(expected_version, exchange.version)
        stock = uow.stock.get_or_create_for_update(exchange.part_number, exchange.location)
        exchange.issue_from(stock, at=uow.now(), by=caller.sub)
        uow.commit()
    return exchange
