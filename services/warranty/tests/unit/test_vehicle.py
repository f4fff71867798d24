"""A vehicle's odometer history, owners and title."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from shared.errors import StaleVersion
from warranty.domain.errors import OdometerReadingInFuture
from warranty.domain.events import OdometerRecorded, VehicleUpdated
from warranty.domain.vehicle import Vehicle

AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)


def a_vehicle() -> Vehicle:
    vehicle = Vehicle("D001", "LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
                      in_service_date=date(2024, 9, 15), owner_count=1, at=AT, today=TODAY)
    vehicle.events.clear()
    vehicle.version = 1
    return vehicle


def read(vehicle, km, on, today=TODAY):
    return vehicle.record_odometer(km=km, read_on=on, source="repair_order", reference=None,
                                   today=today, at=AT, by="advisor")


def test_readings_going_up_are_plain():
    vehicle = a_vehicle()
    read(vehicle, 10_000, date(2025, 3, 1))
    same = read(vehicle, 10_000, date(2025, 3, 1))
    later = read(vehicle, 18_000, date(2025, 9, 1))
    assert not same.rollback_suspected and not later.rollback_suspected
    assert (vehicle.odometer_km, vehicle.odometer_read_on, vehicle.rollback_suspected) == (
        18_000, date(2025, 9, 1), False)


def test_a_lower_reading_after_a_higher_one_is_kept_and_flagged():
    vehicle = a_vehicle()
    read(vehicle, 30_000, date(2026, 5, 1))
    lower = read(vehicle, 21_000, date(2026, 11, 20))
    assert lower.rollback_suspected and vehicle.rollback_suspected
    assert [r.km for r in vehicle.readings] == [30_000, 21_000]
    assert vehicle.odometer_km == 21_000  # what it shows now, however doubtful
    assert vehicle.events[-1] == OdometerRecorded("LVSHCAMB1CE054249", 21_000, date(2026, 11, 20),
                                                  "repair_order", None, True)


def test_a_lower_reading_on_the_same_day_is_flagged():
    vehicle = a_vehicle()
    read(vehicle, 30_000, date(2026, 5, 1))
    assert read(vehicle, 29_999, date(2026, 5, 1)).rollback_suspected


def test_a_late_entry_higher_than_a_later_reading_is_flagged():
    vehicle = a_vehicle()
    read(vehicle, 20_000, date(2026, 6, 1))
    back_dated = read(vehicle, 25_000, date(2026, 3, 1))
    assert back_dated.rollback_suspected
    assert vehicle.odometer_km == 20_000  # the latest reading is still the June one


def test_a_reading_dated_tomorrow_is_refused_and_nothing_is_kept():
    vehicle = a_vehicle()
    with pytest.raises(OdometerReadingInFuture) as refused:
        read(vehicle, 10_000, date(2026, 11, 26))
    assert refused.value.context["field"] == "read_on"
    assert vehicle.readings == [] and vehicle.events == [] and vehicle.odometer_km is None


def test_a_change_of_hands_is_announced_with_its_reason():
    vehicle = a_vehicle()
    vehicle.change(1, owner_count=2, title_status="clean", reason="过户 2026-11-20")
    assert vehicle.owner_count == 2 and not vehicle.first_owner
    assert vehicle.events == [VehicleUpdated("LVSHCAMB1CE054249", 2, "clean", ("owner_count",), "过户 2026-11-20")]


def test_a_change_against_an_old_version_is_refused():
    vehicle = a_vehicle()
    with pytest.raises(StaleVersion):
        vehicle.change(0, title_status="salvage")
    assert vehicle.title_status == "clean"
