"""A vehicle under warranty (车辆档案)."""

from __future__ import annotations

from datetime import date, datetime

from shared.model import Aggregate

from warranty.domain.errors import InServiceDateInFuture
from warranty.domain.events import VehicleRegistered


class Vehicle(Aggregate):
    version: int

    def __init__(
        self,
        dealer: str,
        vin: str,
        *,
        make: str,
        model: str,
        model_year: int,
        in_service_date: date,
        owner_count: int,
        at: datetime,
        today: date,
    ):
        if in_service_date > today:
            raise InServiceDateInFuture()
        self.dealer = dealer
        self.vin = vin
        self.make = make
        self.model = model
        self.model_year = model_year
        self.in_service_date = in_service_date
        self.owner_count = owner_count
        self.title_status = "clean"
        self.registered_at = at
        self.events.append(
            VehicleRegistered(vin, make, model, model_year, in_service_date)
        )

    @property
    def subject(self) -> str:
        return self.vin
