"""Reacting to the parts service: a lot a complaint names was quarantined or released."""

from __future__ import annotations

from shared.auth import Caller
from shared.events.cloudevents import CloudEvent
from shared.events.consumer import Handlers

from complaints.handlers.schemas import LotQuarantinedData, LotReleasedData
from complaints.service import timeline
from complaints.service.ports import ComplaintsUnitOfWork

handlers = Handlers("complaints")


@handlers.on("parts.lot.quarantined", schema=LotQuarantinedData)
def show_lot_quarantine(event: CloudEvent, data: dict, uow: ComplaintsUnitOfWork) -> None:
    """A lot a complaint names was put on hold (recall, supplier notice, quality hold)."""
    supplier = f", supplier {data['supplier']}" if data["supplier"] else ""
    vehicles = len(data["affected_vins"])
    _show(event, data, uow, "quarantined", f"lot {data['lot']} of part {data['part_number']}{supplier} quarantined"
          + _because(data) + f" ({vehicles} vehicle{'' if vehicles == 1 else 's'} affected)",
          supplier=data["supplier"] or None, affected_vehicles=vehicles)


@handlers.on("parts.lot.released", schema=LotReleasedData)
def show_lot_release(event: CloudEvent, data: dict, uow: ComplaintsUnitOfWork) -> None:
    """A lot a complaint names came off hold."""
    _show(event, data, uow, "released", f"lot {data['lot']} of part {data['part_number']} released" + _because(data))


def _because(data: dict) -> str:
    return f": {data['reason']}" if data["reason"] else ""


def _show(event: CloudEvent, data: dict, uow: ComplaintsUnitOfWork, happening: str, summary: str, **more) -> None:
    details = {"lot": data["lot"], "part_number": data["part_number"], "happening": happening,
               "reason": data["reason"] or None, **more}
    timeline.note_lot_event(uow, Caller.for_event(event.source, event.dealer), lot=data["lot"],
                            kind=f"lot_{happening}", summary=summary, at=event.time, event_id=event.id,
                            details=details)
