"""The warranty service's API as the service advisor uses it: one function per call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console import backend
from console.backend import segment

SERVICE = "warranty"


def vehicle(vin: str) -> dict:
    return backend.get(SERVICE, f"/vehicles/{segment(vin)}")


def eligibility(question: Mapping[str, Any]) -> dict:
    """Per plan covered or not and why, what is left, deductible, pre-authorisation; open
    campaigns and lot recalls for the VIN."""
    return backend.post(SERVICE, "/eligibility", dict(question))


def lemon_law(vin: str) -> dict:
    """The vehicle's three-guarantees (三包) exposure: the repairs counted, per threshold."""
    return backend.get(SERVICE, f"/vehicles/{segment(vin)}/lemon-law")
