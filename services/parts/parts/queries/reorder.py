"""Reorder suggestions (补货建议): every part at a location whose projected stock fell to its
reorder point, with what to order and from whom. Sessions are dealer-scoped.

While the viewer counts a part at a location blind, its suggestion there keeps its available
stock and the quantity to order (worked out from it) from them: null, with `withheld` naming
the count, as every other read does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.auth import Caller

from parts.adapters.orm import part_stocks
from parts.domain.catalog import Part
from parts.domain.purchasing import OrderLine, PurchaseOrder
from parts.domain.replenishment import order_quantity
from parts.domain.stock import PartStock
from parts.domain.supply import Lot, Supplier
from parts.queries.counts import blind_spots


@dataclass(frozen=True)
class Suggestion:
    part_number: str
    name_zh: str | None
    name_en: str | None
    location: str
    available: Decimal | None
    on_order: Decimal
    safety_stock: Decimal
    reorder_point: Decimal
    max_stock: Decimal
    pack_multiple: Decimal
    mode: str
    quantity: Decimal | None
    supplier: str | None
    lead_time_days: int | None
    withheld: str | None


def suggestions(session: Session, *, viewer: Caller, location: str | None = None) -> list[Suggestion]:
    statement = (
        select(PartStock, Part.name_zh, Part.name_en)
        .outerjoin(Part, Part.part_number == PartStock.part_number)
        .where(part_stocks.c.reorder_point > 0)
        .order_by(PartStock.part_number, PartStock.location)
    )
    if location is not None:
        statement = statement.where(PartStock.location == location)
    rows = session.execute(statement).all()
    numbers = [stock.part_number for stock, _name_zh, _name_en in rows]
    on_order = _on_order(session, numbers)
    suppliers = _last_suppliers(session, numbers)
    blind = blind_spots(session, viewer)
    found = []
    for stock, name_zh, name_en in rows:
        ordered = on_order.get((stock.part_number, stock.location), Decimal("0"))
        quantity = order_quantity(stock.rule, stock.available, ordered)
        if quantity > 0:
            supplier, lead_time = suppliers.get(stock.part_number, (None, None))
            withheld = blind.withheld(stock.part_number, stock.location)
            found.append(Suggestion(
                part_number=stock.part_number, name_zh=name_zh, name_en=name_en, location=stock.location,
                available=None if withheld else stock.available, on_order=ordered,
                safety_stock=stock.rule.safety_stock, reorder_point=stock.rule.reorder_point,
                max_stock=stock.rule.max_stock, pack_multiple=stock.rule.pack_multiple, mode=stock.rule.mode,
                quantity=None if withheld else quantity, supplier=supplier,
                lead_time_days=stock.rule.lead_time_days or lead_time, withheld=withheld,
            ))
    return found


def _on_order(session: Session, part_numbers: list[str]) -> dict[tuple[str, str], Decimal]:
    rows = session.execute(
        select(OrderLine.part_number, OrderLine.location, func.sum(OrderLine.quantity - OrderLine.received))
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.purchase_order_id)
        .where(PurchaseOrder.status == "open", OrderLine.quantity > OrderLine.received,
               OrderLine.part_number.in_(part_numbers))
        .group_by(OrderLine.part_number, OrderLine.location)
    )
    return {(part, location): Decimal(quantity) for part, location, quantity in rows}


def _last_suppliers(session: Session, part_numbers: list[str]) -> dict[str, tuple[str, int]]:
    """The qualified supplier each part last came from, and its lead time."""
    newest = (
        select(Lot.part_number, func.max(Lot.received_at).label("received_at"))
        .where(Lot.part_number.in_(part_numbers)).group_by(Lot.part_number).subquery()
    )
    rows = session.execute(
        select(Lot.part_number, Supplier.code, Supplier.lead_time_days)
        .join(newest, (newest.c.part_number == Lot.part_number) & (newest.c.received_at == Lot.received_at))
        .join(Supplier, Supplier.code == Lot.supplier)
        .where(Supplier.qualified.is_(True))
    )
    return {part: (code, lead_time) for part, code, lead_time in rows}
