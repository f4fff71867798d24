"""A claim's header as one value, and the commands the claim desk's use cases take."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from warranty.api.schemas import ClaimCreate, ClaimUpdate
from warranty.domain.claim import HEADER_NAMES, Claim, ClaimHeader, ClaimType
from warranty.domain.errors import ClaimCampaignInvalid, ClaimDateInFuture, RepairBeforeFailure
from warranty.service.claims import EditClaim, FileClaim

NOON = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)
HEADER = ClaimHeader(repair_order="RO-1", repair_date=date(2026, 11, 20), odometer=31_000,
                     failure_date=date(2026, 11, 18), claim_type="warranty", coverage_plan="CN-REPAIR")
PUMP = {"kind": "part", "part_number": "P-1", "quantity": Decimal("1"), "unit_price": Decimal("860.00"),
        "causal": True}


def filed(header: ClaimHeader = HEADER) -> Claim:
    claim = Claim("D001", "WC-1", vin="LVSHCAMB1CE054249", **dataclasses.asdict(header), lines=[PUMP], today=TODAY,
                  at=NOON, by="clerk")
    claim.version = 1
    return claim


def test_the_claim_type_is_its_member_however_it_is_given():
    assert dataclasses.replace(HEADER, claim_type=ClaimType.WARRANTY) == HEADER
    assert HEADER.claim_type is ClaimType.WARRANTY
    with pytest.raises(ValueError):
        dataclasses.replace(HEADER, claim_type="favour")


def test_a_header_is_one_value_that_is_replaced_not_changed():
    with pytest.raises(dataclasses.FrozenInstanceError):
        HEADER.odometer = 1
    assert (HEADER.complaint, HEADER.campaign) == (None, None)
    assert HEADER_NAMES[:4] == ("repair_order", "repair_date", "odometer", "failure_date")


@pytest.mark.parametrize(("changes", "error"), [
    ({"repair_date": date(2026, 11, 26)}, ClaimDateInFuture),
    ({"failure_date": date(2026, 11, 21)}, RepairBeforeFailure),
    ({"campaign": "RC-1"}, ClaimCampaignInvalid),
])
def test_a_header_that_cannot_be_true_is_refused_by_its_check_and_by_the_claim(changes, error):
    wrong = dataclasses.replace(HEADER, **changes)  # a command may carry it
    with pytest.raises(error):
        wrong.check(TODAY)
    with pytest.raises(error):
        filed(wrong)


def test_an_edit_replaces_the_header_whole_and_a_refused_one_keeps_it():
    claim = filed()
    kept = claim.header
    with pytest.raises(RepairBeforeFailure):
        claim.edit(1, repair_date=date(2026, 11, 1), cause="seal", today=TODAY, at=NOON, by="clerk")
    assert claim.header is kept
    claim.edit(1, cause="seal", today=TODAY, at=NOON, by="clerk")
    assert claim.header == dataclasses.replace(kept, cause="seal")
    assert claim.events == []


def test_a_mapped_claim_keeps_its_columns_in_step_with_its_header():
    # The mapping (imported with the app) keeps each header column an attribute of its own.
    claim = filed()
    claim.edit(1, odometer=31_500, today=TODAY, at=NOON, by="clerk")
    assert {name: getattr(claim, name) for name in HEADER_NAMES} == dataclasses.asdict(claim.header)


def test_a_new_claim_loads_into_its_command_with_the_header_defaults():
    command = ClaimCreate().load({
        "vin": "lvshcamb1ce054249", "repair_order": "RO-1", "repair_date": "2026-11-20", "odometer": 31000,
        "failure_date": "2026-11-18", "coverage_plan": "CN-REPAIR", "complaint": "noise"})
    assert command == FileClaim(vin="lvshcamb1ce054249", header=dataclasses.replace(HEADER, complaint="noise"))


def test_an_edit_loads_into_its_command_with_only_what_changes():
    command = ClaimUpdate().load({"cause": "seal", "component_group": None, "lines": [], "reason": "typo"})
    assert command == EditClaim(header={"cause": "seal", "component_group": None}, lines=(), reason="typo")
    assert ClaimUpdate().load({}) == EditClaim()
