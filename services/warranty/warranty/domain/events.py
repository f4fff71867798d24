"""What the warranty service tells the world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from shared.model import Event


@dataclass(frozen=True)
class VehicleRegistered(Event):
    type: ClassVar[str] = "warranty.vehicle.registered"
    version: ClassVar[int] = 1
    vin: str
    make: str
    model: str
    model_year: int
    in_service_date: date
