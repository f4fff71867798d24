"""Reacting to the parts service."""

from __future__ import annotations

from shared.auth import Caller
from shared.events.cloudevents import CloudEvent
from shared.events.consumer import Handlers

from warranty.handlers.schemas import (
    CatalogPartData,
    LotQuarantinedData,
    LotReleasedData,
    SaleCompletedData,
    SaleReturnedData,
    StockIssuedData,
    StockReturnedData,
    WarrantyExchangeIssuedData,
)
from warranty.service import catalog, installations, lot_recalls, parts_warranty
from warranty.service.ports import WarrantyUnitOfWork

handlers = Handlers("warranty")


@handlers.on("parts.part.created", "parts.part.updated", schema=CatalogPartData)
def learn_catalog_part(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """A part was added or changed: keep its source, category and safety flag for coverage.
    Both types share one queue so a part's events stay in order; `sequence` guards the rest."""
    catalog.learn_part(
        uow,
        Caller.for_event(event.source, event.dealer),
        part_number=data["part_number"],
        sequence=event.sequence,
        name=data["name_zh"] or data["name_en"],
        category=data["category"],
        source=data["source"],
        safety_critical=data["safety_critical"],
        at=event.time,
    )


@handlers.on("parts.stock.issued", schema=StockIssuedData)
def record_installed_part(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """A part went into a VIN: replaced-part coverage, the aftermarket check and supplier
    recovery start here. The event's time is the install time, whenever it arrives."""
    installations.record_installation(uow, Caller.for_event(event.source, event.dealer), **data, at=event.time)


@handlers.on("parts.stock.returned", schema=StockReturnedData)
def record_returned_part(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """Unused parts came back: they are no longer on the vehicle."""
    installations.record_return(uow, Caller.for_event(event.source, event.dealer), **data)


@handlers.on("parts.lot.quarantined", schema=LotQuarantinedData)
def record_lot_quarantine(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """A lot was put on hold: its vehicles are listed as a lot recall, and advisors see it among
    the open campaigns. The lot's `sequence` keeps a late quarantine from undoing its release."""
    lot_recalls.record_quarantine(uow, Caller.for_event(event.source, event.dealer), **data,
                                  sequence=event.sequence, at=event.time)


@handlers.on("parts.lot.released", schema=LotReleasedData)
def record_lot_release(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """The hold on a lot was lifted: its recall is closed."""
    lot_recalls.record_release(uow, Caller.for_event(event.source, event.dealer), **data,
                               sequence=event.sequence, at=event.time)


@handlers.on("parts.sale.completed", schema=SaleCompletedData)
def record_sold_parts(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """Parts sold over the counter: each part and lot is under the parts warranty (配件保修)
    from the day of sale, for the term the policy gives it then."""
    sold_at = data.pop("completed_at") or event.time
    parts_warranty.record_sale(uow, Caller.for_event(event.source, event.dealer), **data, at=sold_at)


@handlers.on("parts.sale.returned", schema=SaleReturnedData)
def record_returned_sold_parts(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """Sold parts came back to the counter: what was returned is no longer under warranty."""
    returned_at = data.pop("returned_at") or event.time
    parts_warranty.record_return(uow, Caller.for_event(event.source, event.dealer), **data, at=returned_at)


@handlers.on("parts.warranty_exchange.issued", schema=WarrantyExchangeIssuedData)
def record_exchange_issued(event: CloudEvent, data: dict, uow: WarrantyUnitOfWork) -> None:
    """Parts issued a case's replacement from stock (保修换件出库): the desk may hand it over."""
    parts_warranty.record_replacement_issued(uow, Caller.for_event(event.source, event.dealer), case=data["case"],
                                             at=data["issued_at"] or event.time)
