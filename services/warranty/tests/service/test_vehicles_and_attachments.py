"""Registering vehicles (the dealer's first brings the default plans, once), their odometer, and
the files attached to a claim: the bytes stored and listed together, or neither."""

from __future__ import annotations

from datetime import date

import pytest

from warranty.domain.errors import ClaimClosedToAttachments, ClaimNotFound, VehicleAlreadyRegistered
from warranty.domain.events import ClaimAttachmentAdded, VehicleRegistered
from warranty.service import attachments, claims, vehicles
from warranty.service.claims import StatedReason
from warranty.service.vehicles import RecordOdometer, RegisterVehicle

from services.warranty.tests.service.conftest import CLERK, VIN, caller, file

ADVISOR = caller("advisor-zhou", "service_advisor")
PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 64  # a JPEG, by its magic number


def register(uow, vin: str, dealer: str = "D001"):
    return vehicles.register_vehicle(
        uow(dealer), caller("advisor-zhou", "service_advisor", dealer=dealer),
        RegisterVehicle(vin=vin, make="Toyota", model="Camry", model_year=2024, in_service_date=date(2024, 9, 15)))


def test_the_dealers_first_vehicle_brings_the_default_plans_and_later_ones_do_not(uow, store):
    register(uow, VIN)
    register(uow, "LFV2A21K8C4000013")
    register(uow, VIN, dealer="D002")  # another dealer's own copy of the same car's record

    assert len(store.all("plans", dealer="D001")) == len(store.all("plans", dealer="D002")) == 9
    assert {plan.origin for plan in store.rows.plans} == {"default"}
    assert [event.vin for event in store.events_of(VehicleRegistered)] == [VIN, "LFV2A21K8C4000013", VIN]


def test_a_vin_registered_twice_is_refused_and_the_first_record_stands(uow, store, camry):
    with pytest.raises(VehicleAlreadyRegistered):
        vehicles.register_vehicle(uow(), ADVISOR, RegisterVehicle(vin=VIN, make="Toyota", model="Corolla",
                                                                  model_year=2025, in_service_date=date(2025, 1, 2)))
    assert store.one("vehicles", vin=VIN).model == "Camry"
    assert len(store.events_of(VehicleRegistered)) == 1


def test_an_odometer_that_goes_back_is_kept_and_flagged(uow, store, camry):
    vehicles.record_odometer(uow(), ADVISOR, VIN,
                             RecordOdometer(km=30_200, read_on=date(2026, 11, 1), source="repair_order"))
    vehicles.record_odometer(uow(), ADVISOR, VIN, RecordOdometer(km=21_000, source="customer"))

    vehicle = store.one("vehicles", vin=VIN)
    assert (vehicle.odometer_km, vehicle.rollback_suspected) == (21_000, True)
    assert [(reading.km, reading.rollback_suspected) for reading in vehicle.readings] == [
        (30_200, False), (21_000, True)]


def test_a_photo_attached_to_a_claim_is_stored_and_listed_together(uow, store, files, camry):
    claim = file(uow)

    attachment = attachments.attach(uow(), CLERK, claim.claim_number, kind="photo", file_name="C:\\fakepath\\seal.jpg",
                                    declared_type="image/jpeg", content=PHOTO)

    assert files.files == {attachment.storage_key: (PHOTO, "image/jpeg")}
    kept = store.one("attachments", attachment_id=attachment.attachment_id)
    assert (kept.claim_number, kept.file_name, kept.size_bytes) == (claim.claim_number, "seal.jpg", len(PHOTO))
    [added] = store.events_of(ClaimAttachmentAdded)
    assert added.attachment_id == attachment.attachment_id


def test_a_file_for_a_claim_that_cannot_take_it_is_not_kept(uow, store, files, camry):
    claim = file(uow)
    claims.cancel(uow(), CLERK, claim.claim_number, StatedReason(reason="filed twice"))

    with pytest.raises(ClaimNotFound):
        attachments.attach(uow(), CLERK, "WC-20261125-NOSUCH", kind="photo", file_name="a.jpg", declared_type=None,
                           content=PHOTO)
    with pytest.raises(ClaimClosedToAttachments):
        attachments.attach(uow(), CLERK, claim.claim_number, kind="photo", file_name="b.jpg", declared_type=None,
                           content=PHOTO)

    assert (files.files, store.rows.attachments, store.events_of(ClaimAttachmentAdded)) == ({}, [], [])
