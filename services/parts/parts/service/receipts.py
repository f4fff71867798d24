"""Receiving supplier deliveries (入库).

`receive` takes a command: a frozen dataclass of what the clerk asks, defined beside it (the
API's schema loads into it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from parts.domain.catalog import Part
from parts.domain.documents import Receipt, ReceiptLine
from parts.domain.errors import PartNotFound, PurchaseOrderNotFound, SupplierNotFound, WrongSupplier
from parts.domain.purchasing import PurchaseOrder
from parts.domain.stock import PartStock
from parts.domain.supply import Inspection, Location, Lot
from parts.service.ports import PartsUnitOfWork
from parts.service.quality import announce


@dataclass(frozen=True)
class ReceiptLineAsked:
    """One line of a delivery as the clerk books it: the part as the delivery note names it,
    how many, at what unit cost, where it is put, its incoming inspection (进货检验: an
    `Inspection` value) and the supplier's own lot number (None: none given)."""

    part_number: str
    quantity: Decimal
    unit_cost: Decimal
    location: str
    inspection: str
    supplier_lot: str | None = None


@dataclass(frozen=True)
class ReceiveDelivery:
    """A supplier's delivery: its delivery note and the purchase order it fills (None: not
    given), and its lines."""

    supplier: str
    lines: tuple[ReceiptLineAsked, ...]
    delivery_note: str | None = None
    purchase_order: str | None = None


def receive(uow: PartsUnitOfWork, caller: Caller, command: ReceiveDelivery) -> Receipt:
    """Book a delivery: one lot per line, blocked until its inspection has passed; what it
    brings is no longer on order when it names its purchase order."""
    with uow:
        now = uow.now()
        found = uow.suppliers.get(command.supplier)
        if found is None:
            raise SupplierNotFound(command.supplier, field="supplier")
        found.may_deliver()
        order = None if command.purchase_order is None else _order(uow, command.purchase_order, command.supplier)
        receipt = Receipt(caller.dealer, document_number("RC", uow.today()), supplier=command.supplier,
                          delivery_note=command.delivery_note, received_at=now, received_by=caller.sub)
        prepared = [_prepare(uow, line, index) for index, line in enumerate(command.lines)]
        # Lock in a stable order (no two receipts wait on each other), book in the note's order.
        stocks = {
            key: uow.stock.get_or_create_for_update(*key)
            for key in sorted({(part.part_number, line.location) for part, _, line in prepared})
        }
        for part, location, line in prepared:
            book_line(uow, caller, receipt, stocks[(part.part_number, line.location)], part, line,
                      lot_code=document_number("LOT", uow.today()), bin=location.bin)
            if order is not None:
                order.receive(part.part_number, line.location, line.quantity, at=now)
        uow.documents.add(receipt)
        if any(line.inspection == Inspection.FAILED.value for line in receipt.lines):
            announce(uow, found, cause="inspection_failed", reference=receipt.number)
        uow.commit()
    return receipt


def book_line(uow: PartsUnitOfWork, caller: Caller, receipt: Receipt, stock: PartStock, part: Part,
              line: ReceiptLineAsked, *, lot_code: str, bin: str | None = None) -> Lot:
    """One line of a delivery: its own lot, the stock it adds to, and the receipt line that
    keeps the number the delivery note said (the part may be its successor), the part's names
    and the `bin` of the line's location (for the lot label)."""
    lot = Lot(caller.dealer, lot_code, part_number=part.part_number, supplier=receipt.supplier,
              supplier_lot=line.supplier_lot, receipt=receipt.number, received_at=receipt.received_at,
              quantity=line.quantity, unit_cost=line.unit_cost, inspection=line.inspection)
    uow.lots.add(lot)
    stock.receive(lot.code, lot.received_at, receipt.supplier, line.quantity, blocked=lot.blocked,
                  reference=receipt.number, at=lot.received_at, actor=caller.sub)
    receipt.lines.append(ReceiptLine(
        caller.dealer, part_number=part.part_number, asked_part_number=line.part_number,
        location=line.location, lot=lot.code, quantity=line.quantity,
        unit_cost=line.unit_cost, inspection=lot.inspection.value,
        name_zh=part.details.name_zh, name_en=part.details.name_en, bin=bin,
    ))
    return lot


def _order(uow: PartsUnitOfWork, number: str, supplier: str) -> PurchaseOrder:
    order = uow.orders.get_for_update(number)
    if order is None:
        raise PurchaseOrderNotFound(number, field="purchase_order")
    if order.supplier != supplier:
        raise WrongSupplier(number, order.supplier, supplier)
    return order


def _prepare(uow: PartsUnitOfWork, line: ReceiptLineAsked, index: int) -> tuple[Part, Location, ReceiptLineAsked]:
    """The part the line is booked to: a superseded number goes to its current number (the
    receipt line keeps the number the delivery note said); and where it is put."""
    part = uow.parts.current(line.part_number)
    if part is None:
        raise PartNotFound(line.part_number, field=f"lines.{index}.part_number")
    part.check_quantity(line.quantity, field=f"lines.{index}.quantity")
    return part, uow.locations.require(line.location, field=f"lines.{index}.location"), line
