"""Purchase orders (采购订单): placing them from reorder suggestions, cancelling what will not come.

Placing takes a command, a frozen dataclass defined beside it (the API's schemas load into it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from parts.domain.errors import PartNotFound, PurchaseOrderNotFound, SupplierNotFound
from parts.domain.purchasing import PurchaseOrder
from parts.service.ports import PartsUnitOfWork


@dataclass(frozen=True)
class OrderLineAsked:
    """One line as the manager writes it: the part, how many, and where it is to go (None: the
    default location)."""

    part_number: str
    quantity: Decimal
    location: str | None = None


@dataclass(frozen=True)
class OrderFromSupplier:
    supplier: str
    lines: tuple[OrderLineAsked, ...]


@dataclass(frozen=True)
class OrderFromSuppliers:
    """Several orders, one per supplier as a rule: all are placed, or none."""

    orders: tuple[OrderFromSupplier, ...]


def place(uow: PartsUnitOfWork, caller: Caller, command: OrderFromSupplier) -> PurchaseOrder:
    """Order from a qualified supplier; the quantities count as on order until received."""
    with uow:
        order = _order(uow, caller, command)
        uow.commit()
    return order


def place_all(uow: PartsUnitOfWork, caller: Caller, command: OrderFromSuppliers) -> list[PurchaseOrder]:
    """Several orders (one per supplier, as a rule) in one transaction: all are placed, or none.
    A refusal names the order's field (`orders.1.supplier`, `orders.0.lines.2.quantity`)."""
    with uow:
        placed = [_order(uow, caller, order, field=f"orders.{index}.")
                  for index, order in enumerate(command.orders)]
        uow.commit()
    return placed


def _order(uow: PartsUnitOfWork, caller: Caller, command: OrderFromSupplier, *, field: str = "") -> PurchaseOrder:
    found = uow.suppliers.get(command.supplier)
    if found is None:
        raise SupplierNotFound(command.supplier, field=f"{field}supplier")
    found.may_deliver(field=f"{field}supplier")
    ordered = []
    for index, line in enumerate(command.lines):
        part = uow.parts.current(line.part_number)
        if part is None:
            raise PartNotFound(line.part_number, field=f"{field}lines.{index}.part_number")
        part.check_quantity(line.quantity, field=f"{field}lines.{index}.quantity")
        location = line.location or uow.rules.default_location
        uow.locations.require(location, field=f"{field}lines.{index}.location")
        ordered.append((part.part_number, location, line.quantity))
    order = PurchaseOrder(caller.dealer, document_number("PO", uow.today()), supplier=command.supplier,
                          lines=ordered, at=uow.now(), actor=caller.sub)
    uow.orders.add(order)
    return order


def cancel(uow: PartsUnitOfWork, caller: Caller, number: str) -> PurchaseOrder:
    with uow:
        order = uow.orders.get_for_update(number)
        if order is None:
            raise PurchaseOrderNotFound(number)
        order.cancel(at=uow.now())
        uow.commit()
    return order
