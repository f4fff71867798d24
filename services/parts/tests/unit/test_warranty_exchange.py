"""The replacement for a parts-warranty case (保修换件), issued from the stock's oldest
available lots: never reserved or blocked stock, never more than is available."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from parts.domain.errors import InsufficientStock, WarrantyExchangeAlreadyIssued
from parts.domain.events import ExchangedLot, WarrantyExchangeIssued
from parts.domain.stock import PartStock
from parts.domain.warranty_exchange import ISSUED, WAITING, WarrantyExchange

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
D = Decimal


def a_stock(*lots: tuple[str, int, bool]) -> PartStock:
    """lots: (lot, quantity, blocked), received a day apart in this order."""
    stock = PartStock("D001", "P-1", "MAIN")
    for n, (lot, quantity, blocked) in enumerate(lots):
        at = T0 + timedelta(days=n)
        stock.receive(lot, at, "S1", D(quantity), blocked=blocked, reference=f"R-{n}", at=at, actor="clerk")
    stock.events.clear()
    stock.movements.clear()
    return stock


def an_exchange(quantity="2") -> WarrantyExchange:
    return WarrantyExchange("D001", "PW-1", sale="SO-1", part_number="P-1", location="MAIN", quantity=D(quantity),
                            faulty_lot="L-OLD", supplier="S1", approved_at=T0)


def test_the_exchange_skips_blocked_and_reserved_stock_and_says_where_it_came_from():
    stock = a_stock(("L-BLOCKED", 5, True), ("L-A", 2, False), ("L-B", 4, False))
    stock.reserve("RSV-1", D(1), for_kind="repair_order", for_reference="RO-1", expires_at=T0 + timedelta(days=30),
                  deposit=None, at=T0, actor="clerk")
    exchange = an_exchange("2")
    assert exchange.can_issue_from(stock)

    exchange.issue_from(stock, at=T0, by="clerk")

    assert (exchange.status, exchange.lots) == (ISSUED, [{"lot": "L-A", "supplier": "S1", "quantity": "1"},
                                                         {"lot": "L-B", "supplier": "S1", "quantity": "1"}])
    assert (stock.balance("L-A").on_hand, stock.balance("L-A").reserved, stock.balance("L-B").on_hand) == (1, 1, 3)
    assert [(m.kind, m.lot, m.on_hand_change, m.reference) for m in stock.movements if m.kind != "reserve"] == [
        ("warranty_exchange", "L-A", D(-1), "PW-1"), ("warranty_exchange", "L-B", D(-1), "PW-1")]
    assert exchange.events == [WarrantyExchangeIssued(
        case="PW-1", sale="SO-1", part_number="P-1", location="MAIN", quantity=D(2),
        lots=(ExchangedLot("L-A", "S1", D(1)), ExchangedLot("L-B", "S1", D(1))), issued_at=T0)]


def test_short_stock_leaves_the_exchange_waiting_and_the_stock_untouched():
    stock = a_stock(("L-A", 1, False), ("L-BLOCKED", 5, True))
    exchange = an_exchange("2")
    assert not exchange.can_issue_from(stock)
    assert not exchange.can_issue_from(None)
    with pytest.raises(InsufficientStock):
        exchange.issue_from(stock, at=T0, by="clerk")
    assert (exchange.status, exchange.lots, exchange.events) == (WAITING, [], [])
    assert (stock.balance("L-A").on_hand, stock.movements) == (1, [])


def test_an_exchange_is_issued_once():
    stock = a_stock(("L-A", 5, False))
    exchange = an_exchange("1")
    exchange.issue_from(stock, at=T0, by="clerk")
    assert not exchange.can_issue_from(stock)
    with pytest.raises(WarrantyExchangeAlreadyIssued):
        exchange.issue_from(stock, at=T0, by="clerk")
    assert stock.balance("L-A").on_hand == 4
