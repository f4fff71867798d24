"""What the parts service's events make warranty keep, through the use cases the consumer calls:
catalog facts, the parts fitted to each VIN (an issue and its return in either order), and lots
put on hold (批次召回) with the campaigns they open for the vehicles they went into. An event
applied again, or overtaken by a newer one, changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from warranty.domain.errors import CampaignNotOpen
from warranty.service import claims, installations, lot_recalls

from services.warranty.tests.service.conftest import CLERK, PARTS, VIN, at, file, learn

DISC = "43512-06190"
DISCS_ISSUED = dict(issue="ISS-000300", repair_order="RO-2026-0007", vin=VIN, part_number=DISC, lot="LOT-HX-01",
                    supplier="HX-AUTO", location="MAIN", quantity=Decimal("2.000"), technician="王师傅", odometer=18_200)
INSPECTION = {"kind": "labour", "operation": "DISC-INSPECT", "quantity": Decimal("0.500"),
              "unit_price": Decimal("180.00")}


def quarantine(uow, *, sequence: int, vins=(VIN,)):
    lot_recalls.record_quarantine(uow(), PARTS, lot="LOT-HX-01", part_number=DISC, supplier="HX-AUTO",
                                  supplier_lot="HX-2611", reason="cracked discs", affected_vins=list(vins),
                                  by="parts-manager-zhao", sequence=sequence, at=at("2026-11-24 09:00"))


def release(uow, *, sequence: int):
    lot_recalls.record_release(uow(), PARTS, lot="LOT-HX-01", part_number=DISC, supplier="HX-AUTO",
                               reason="supplier cleared the lot", by="parts-manager-zhao", sequence=sequence,
                               at=at("2026-11-25 09:00"))


def inspection_on_the_lot(uow):
    return file(uow, lines=(INSPECTION,), claim_type="campaign", component_group="brakes", campaign="LOT-HX-01")


def test_a_part_issued_to_a_vin_is_fitted_on_the_dealers_day_whatever_utc_says(uow, store):
    installations.record_installation(uow(), PARTS, **DISCS_ISSUED, source="oem", at=at("2026-11-25 01:30"))

    part = store.one("installed_parts", issue="ISS-000300")
    assert (part.vin, part.lot, part.supplier, part.quantity) == (VIN, "LOT-HX-01", "HX-AUTO", Decimal("2.000"))
    assert part.installed_on == date(2026, 11, 25)  # 17:30 UTC on the 24th


def test_a_return_that_arrives_before_its_issue_opens_the_record_the_issue_completes(uow, store):
    installations.record_return(uow(), PARTS, issue="ISS-000300", repair_order="RO-2026-0007", part_number=DISC,
                                lot="LOT-HX-01", quantity=Decimal("1.000"))
    installations.record_installation(uow(), PARTS, **DISCS_ISSUED, source="oem", at=at("2026-11-20 10:00"))

    [part] = store.all("installed_parts")
    assert (part.issued_quantity, part.returned_quantity, part.quantity) == (
        Decimal("2.000"), Decimal("1.000"), Decimal("1.000"))
    assert part.fitted


def test_an_issue_that_does_not_say_what_the_part_is_takes_the_catalogs_word(uow, store):
    learn(uow, DISC, category="brakes", source="aftermarket", safety_critical=True)

    installations.record_installation(uow(), PARTS, **DISCS_ISSUED, source=None, at=at("2026-11-20 10:00"))

    assert store.one("installed_parts", issue="ISS-000300").source == "aftermarket"


def test_catalog_facts_are_never_rolled_back_by_an_older_event(uow, store):
    learn(uow, DISC, category="brakes", sequence=2)
    learn(uow, DISC, category="engine", sequence=1)  # arrived late
    learn(uow, DISC, category="brakes", sequence=2)  # delivered twice

    part = store.one("catalog", part_number=DISC)
    assert (part.category, part.sequence) == ("brakes", 2)


def test_a_quarantined_lot_lists_its_vehicles_once_and_a_late_quarantine_does_not_undo_its_release(uow, store):
    quarantine(uow, sequence=4, vins=(VIN, VIN.lower()))
    release(uow, sequence=5)
    quarantine(uow, sequence=4, vins=("LFV2A21K8C4000013",))  # delivered again, late, with one VIN more

    recall = store.one("lot_recalls", lot="LOT-HX-01")
    assert (recall.status, recall.reason, recall.release_reason) == ("released", "cracked discs",
                                                                     "supplier cleared the lot")
    assert recall.affected_vins == ["LFV2A21K8C4000013", VIN]


def test_a_campaign_claim_may_name_a_lot_on_hold_that_went_into_the_vehicle(uow, store, camry):
    learn(uow, DISC, category="brakes", safety_critical=True)
    installations.record_installation(uow(), PARTS, **DISCS_ISSUED, source="oem", at=at("2026-06-01 10:00"))
    quarantine(uow, sequence=4, vins=())  # parts did not name the Camry: its fitted lot does

    claim = claims.submit(uow(), CLERK, inspection_on_the_lot(uow).claim_number)

    kept = store.one("claims", claim_number=claim.claim_number)
    assert (kept.status.value, kept.header.campaign) == ("submitted", "LOT-HX-01")


def test_once_the_lot_is_released_its_campaign_is_closed_to_claims(uow, store, camry):
    quarantine(uow, sequence=4)
    release(uow, sequence=5)
    claim = inspection_on_the_lot(uow)

    with pytest.raises(CampaignNotOpen):
        claims.submit(uow(), CLERK, claim.claim_number)

    assert store.one("claims", claim_number=claim.claim_number).status.value == "draft"
