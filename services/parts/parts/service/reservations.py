"""Holding parts for a repair order or an appointment (预留), and letting them go."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.auth import Caller
from shared.db import ALL_DEALERS
from shared.jobs import drain

from parts.adapters.unit_of_work import PartsUnitOfWork
from parts.domain.errors import DepositRequired, ReservationNotFound
from parts.domain.stock import Reservation
from parts.service.numbers import new_number


def reserve(uow: PartsUnitOfWork, caller: Caller, *, part_number: str, quantity: Decimal, for_kind: str,
            for_reference: str, location: str | None = None, expires_at: datetime | None = None,
            deposit: Decimal | None = None) -> Reservation:
    rules = uow.rules
    with uow:
        now = uow.now()
        part = uow.parts.require(part_number, field="part_number")
        part.check_quantity(quantity)
        required = _deposit_required(part.list_price, quantity, for_kind, rules)
        if required is not None and (deposit or Decimal(0)) < required:
            raise DepositRequired(part_number, required=required, given=deposit)
        where = location or rules.default_location
        # Reserving adds a reservation and reads only the lot balances.
        stock = uow.stock.get_for_update(part_number, where, reservations=False)
        if stock is None:
            uow.locations.require(where, field="location")
            stock = uow.stock.get_or_create_for_update(part_number, where, reservations=False)
        reservation = stock.reserve(
            new_number("RV", now), quantity, for_kind=for_kind, for_reference=for_reference,
            expires_at=expires_at or now + rules.reservation_hold, deposit=deposit, at=now, actor=caller.sub,
        )
        uow.commit()
    return reservation


def _deposit_required(unit_price: Decimal, quantity: Decimal, for_kind: str, rules) -> Decimal | None:
    """An appointment's high-value part needs at least half its price paid up front."""
    if for_kind != "appointment" or unit_price < rules.high_value_threshold:
        return None
    return (unit_price * quantity * rules.deposit_share).quantize(Decimal("0.01"))


def release(uow: PartsUnitOfWork, caller: Caller, number: str, *, reason: str = "released") -> Reservation:
    with uow:
        stock = uow.stock.holding_reservation_for_update(number)
        if stock is None:
            raise ReservationNotFound(number)
        reservation = stock.release(number, reason=reason, at=uow.now(), actor=caller.sub)
        uow.commit()
    return reservation


def release_expired(units_of_work, batch: int = 100) -> int:
    """The service's own sweep: release every reservation past its expiry, each in its own
    transaction (a busy part is never locked for the whole sweep). Returns how many."""

    def find(limit: int) -> list[tuple]:
        finder = units_of_work(dealer=ALL_DEALERS, actor="system:expiry", correlation_id="reservation-expiry")
        with finder:
            return list(finder.stock.expired_reservations(finder.now(), limit=limit))

    def release_one(due: tuple) -> int:
        dealer, number, part_number, location = due
        uow = units_of_work(dealer=dealer, actor="system:expiry", correlation_id=f"expiry-{number}")
        with uow:
            stock = uow.stock.get_for_update(part_number, location)
            reservation = stock.reservation(number) if stock else None
            if reservation is None or not reservation.expired_by(uow.now()):
                return 0  # issued or released meanwhile
            stock.release(number, reason="expired", at=uow.now(), actor="system:expiry")
            uow.commit()
        return 1

    return drain(find, release_one, batch)
