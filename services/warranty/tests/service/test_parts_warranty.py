"""The parts warranty (配件保修) on parts sold over the counter, through its use cases: the
policy's terms given at the sale, returns in either order, and a case from the customer's report
to the follow-up, with the supplier recovery a defect opens."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from warranty.domain.errors import PartsWarrantyExpired, PartsWarrantyQuantityExceedsSold, SoldPartNotFound
from warranty.domain.events import (
    PartsWarrantyCaseClosed,
    PartsWarrantyCaseOpened,
    PartsWarrantyReplacementApproved,
    SupplierRecoveryOpened,
)
from warranty.domain.parts_warranty import PolicyRule
from warranty.service import parts_warranty
from warranty.service.parts_warranty import (
    AssessFault,
    CompleteCase,
    DecideCase,
    OpenCase,
    RecordFollowUp,
    SetPolicy,
)

from services.warranty.tests.service.conftest import CLERK, MANAGER, PARTS, VIN, at, learn

SALE = "SO-20261125-0007"
PADS = {"part_number": "BP-2231", "location": "MAIN", "unit_price": Decimal("300.00"),
        "lots": [{"lot": "LOT-HX-01", "supplier": "HX-AUTO", "quantity": Decimal("2.000")},
                 {"lot": "LOT-BO-02", "supplier": "BOSCH", "quantity": Decimal("1.000")}]}
FILTER = {"part_number": "FILTER-9", "location": "MAIN", "unit_price": Decimal("58.00"),
          "lots": [{"lot": "LOT-F-01", "supplier": "HX-AUTO", "quantity": Decimal("2.000")}]}


def sell(uow, lines=(PADS, FILTER)):
    return parts_warranty.record_sale(uow(), PARTS, sale=SALE, customer_id="ACC-FLEET-9", vin=VIN, currency="CNY",
                                      lines=list(lines), at=at("2026-11-25 01:30"))


def sold(store, part_number="BP-2231", lot="LOT-HX-01"):
    return store.one("sold_parts", sale=SALE, part_number=part_number, lot=lot)


@pytest.fixture
def pads_sold(uow):
    learn(uow, "BP-2231", category="brakes", safety_critical=True)
    parts_warranty.set_policy(uow(), MANAGER, 0, SetPolicy(
        default_months=12, rules=(PolicyRule(24, category="brakes"), PolicyRule(6, supplier="BOSCH"))))
    sell(uow)


def open_case(uow, caller=CLERK, quantity="1", lot="LOT-HX-01", **more):
    return parts_warranty.open_case(uow(), caller, OpenCase(sale=SALE, part_number="BP-2231", lot=lot,
                                                            quantity=Decimal(quantity), report="刹车时异响, 刹车片背板开裂",
                                                            **more))


def test_each_part_and_lot_sold_gets_the_term_the_policy_gives_it_on_the_day(uow, store, pads_sold):
    assert (sold(store).months, sold(store).expires_on) == (24, date(2028, 11, 25))  # brakes
    assert sold(store, lot="LOT-BO-02").months == 6  # the supplier's own term beats the category's
    assert sold(store, "FILTER-9", "LOT-F-01").months == 12  # the default
    assert sold(store).purchased_on == date(2026, 11, 25)  # 17:30 UTC on the 24th, in Beijing

    parts_warranty.set_policy(uow(), MANAGER, 1, SetPolicy(default_months=3))
    sell(uow)  # the same sale delivered again

    assert (sold(store).months, sold(store).quantity) == (24, Decimal("2.000"))  # as sold, once


def test_the_first_policy_saved_twice_at_once_is_refused_the_second_time(uow, store):
    parts_warranty.set_policy(uow(), MANAGER, 0, SetPolicy(default_months=18))

    with pytest.raises(StaleVersion):
        parts_warranty.set_policy(uow(), MANAGER, 0, SetPolicy(default_months=6))

    [policy] = store.all("policies")
    assert (policy.default_months, policy.version) == (18, 1)


def test_a_return_counts_once_even_when_it_arrives_before_its_sale(uow, store, pads_sold):
    returned = [{"part_number": "FILTER-9", "lot": "LOT-F-01", "quantity": Decimal("1.000")}]
    for _ in range(2):  # delivered twice
        parts_warranty.record_return(uow(), PARTS, sale="SO-20261125-0008", sale_return="SR-1", lines=returned,
                                     at=at("2026-11-25 09:00"))
    parts_warranty.record_sale(uow(), PARTS, sale="SO-20261125-0008", customer_id=None, vin=None, currency="CNY",
                               lines=[FILTER], at=at("2026-11-25 08:00"))

    later = store.one("sold_parts", sale="SO-20261125-0008", part_number="FILTER-9")
    assert (later.quantity, later.returned) == (Decimal("1.000"), Decimal("1.000"))


def test_a_part_out_of_warranty_is_taken_in_only_by_a_manager_with_a_reason(uow, store, clock, pads_sold):
    clock.now += timedelta(days=200)  # BOSCH's six months ran out on 25 May

    with pytest.raises(PartsWarrantyExpired):
        open_case(uow, lot="LOT-BO-02")
    assert (sold(store, lot="LOT-BO-02").in_cases, store.rows.cases) == (Decimal("0"), [])

    case = open_case(uow, MANAGER, lot="LOT-BO-02", override_reason="fleet customer, goodwill")
    assert (case.accepted_late, case.late_reason) == (True, "fleet customer, goodwill")


def test_a_case_names_what_the_desk_got_wrong_and_never_takes_more_than_was_sold(uow, store, pads_sold):
    with pytest.raises(SoldPartNotFound) as wrong_lot:
        open_case(uow, lot="LOT-XX-99")
    assert wrong_lot.value.context["field"] == "lot"
    open_case(uow, quantity="2")

    with pytest.raises(PartsWarrantyQuantityExceedsSold):
        open_case(uow, quantity="1")

    assert sold(store).in_cases == Decimal("2")
    assert len(store.events_of(PartsWarrantyCaseOpened)) == 1


def test_a_defective_part_is_replaced_the_supplier_charged_and_the_customer_asked_after(uow, store, pads_sold):
    case = open_case(uow)
    number = case.number
    parts_warranty.assess(uow(), CLERK, number, 1, AssessFault(fault="defect", findings="backing plate cracked"))
    parts_warranty.decide(uow(), MANAGER, number, 2, DecideCase(outcome="replace"))
    parts_warranty.record_replacement_issued(uow(), PARTS, case=number, at=at("2026-11-25 15:00"))
    parts_warranty.complete(uow(), CLERK, number, 4, CompleteCase(note="new pads handed over"))
    parts_warranty.follow_up(uow(), CLERK, number, 5, RecordFollowUp(satisfaction=5))

    kept = store.one("cases", number=number)
    assert (kept.status, kept.satisfaction, kept.replacement_issued_at) == ("closed", 5, at("2026-11-25 15:00"))
    [exchange] = store.events_of(PartsWarrantyReplacementApproved)
    assert (exchange.case, exchange.lot, exchange.quantity) == (number, "LOT-HX-01", Decimal("1"))
    [recovery] = store.events_of(SupplierRecoveryOpened)
    assert (recovery.claim_number, recovery.supplier, recovery.amount) == (number, "HX-AUTO", Decimal("300.00"))
    [closed] = store.events_of(PartsWarrantyCaseClosed)
    assert (closed.outcome, closed.supplier_recovery) == ("replace", True)


def test_a_refused_case_gives_its_quantity_back_and_charges_nobody(uow, store, pads_sold):
    number = open_case(uow, quantity="2").number
    parts_warranty.assess(uow(), CLERK, number, 1,
                          AssessFault(fault="wear", findings="pads worn to the wear indicator"))

    parts_warranty.decide(uow(), MANAGER, number, 2, DecideCase(outcome="refuse", reason="normal wear is not covered"))

    assert (store.one("cases", number=number).outcome, sold(store).in_cases) == ("refuse", Decimal("0"))
    assert store.rows.recoveries == []
