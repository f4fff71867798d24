"""The after-sales flows across all three services, every process real (apps under gunicorn,
relays, consumers), on PostgreSQL + RabbitMQ and on the embedded default (issue 6, item 1).

1. A repair order: parts receives, quotes, reserves and issues a safety-critical part to a
   VIN -> warranty sees the installed part -> a claim on a later repair order is filed,
   submitted and approved -> warranty opens a supplier recovery -> parts counts the field
   failure against the lot's supplier.
2. Complaints naming that part and lot: classified product_quality -> parts counts each as an
   incident -> enough of them put the lot on quality hold (`parts.lot.quarantined`) ->
   warranty lists the affected vehicles -> each complaint's timeline shows the hold.
3. A counter sale (issue 16): parts sells the pads -> warranty records their parts warranty ->
   a case, assessed a supplier defect, replaced -> parts issues the exchange from stock ->
   warranty holds a supplier recovery against the lot's supplier.

In each flow a consumer process is killed (SIGKILL) and restarted half-way; at the end every
outbox row is published, every handler's inbox holds exactly the events of its types, no
dead-letter queue holds anything, no process died, and the effects show each event once.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.testing import wait_until
from tests.backoffice import (
    CAMRY_VIN,
    COROLLA_VIN,
    MAIN,
    PADS,
    SUPPLIER,
    BackOffice,
    a_stocked_safety_part,
    assert_every_event_applied_once,
    assert_every_process_runs,
    assert_no_dead_letters,
    beijing_today,
    issue,
    published_types,
    register,
)

from parts.app import PARTS
from warranty.app import WARRANTY

# Two incidents on one lot (field failures and product-quality complaints) put it on hold.
HOLD_AFTER = 2


@pytest.fixture
def stack_environ():
    return {"QUALITY_HOLD_INCIDENTS": str(HOLD_AFTER)}


def installed_parts(office: BackOffice, vin: str) -> list[dict]:
    return office.get("warranty", f"/vehicles/{vin}/installed-parts", "warranty_clerk")["items"]


def known_to_warranty(office: BackOffice, part_number: str) -> dict | None:
    return office.find("warranty", f"/catalog/{part_number}", "warranty_clerk")


def quality(office: BackOffice) -> dict:
    return office.get("parts", f"/suppliers/{SUPPLIER}/quality", "parts_manager")


def test_a_repair_order_reaches_warranty_and_its_approved_claim_counts_against_the_supplier(stack, infra):
    office = BackOffice(stack, infra)
    lot = a_stocked_safety_part(office)

    # The service advisor quotes the repair: two sets of pads, all available at MAIN.
    [quote] = office.post("parts", "/availability", "service_advisor",
                          {"location": MAIN, "lines": [{"part_number": PADS, "quantity": "2"}]}, expect=200)["lines"]
    assert (quote["found"], quote["can_fulfil"], Decimal(quote["available"]), quote["unit_price"]) == (
        True, True, Decimal("10"), "150.00")

    register(office, CAMRY_VIN, "Camry")
    reservation = office.post("parts", "/reservations", "parts_clerk",
                              {"part_number": PADS, "quantity": "2", "location": MAIN, "for_kind": "repair_order",
                               "for_reference": "RO-2026-1201"})
    assert reservation["status"] == "active"
    assert [(a["lot"], Decimal(a["quantity"])) for a in reservation["allocations"]] == [(lot, 2)]
    wait_until(lambda: known_to_warranty(office, PADS), timeout=60, what="warranty to learn the part")

    # Warranty's consumer dies; the issue's event waits for it in its queue.
    stack.kill("warranty-consumer")
    slip = issue(office, CAMRY_VIN, "RO-2026-1201", "2", reservation=reservation["number"])
    [issued] = slip["lines"]
    assert (issued["lot"], issued["supplier"], Decimal(issued["quantity"]), issued["reservation"]) == (
        lot, SUPPLIER, 2, reservation["number"])
    stack.restart("warranty-consumer")

    [fitted] = wait_until(lambda: installed_parts(office, CAMRY_VIN), timeout=90,
                          what="warranty to see the installed part")
    assert {k: fitted[k] for k in ("issue", "repair_order", "part_number", "lot", "supplier", "source",
                                   "safety_critical", "component_group", "fitted")} == {
        "issue": slip["number"], "repair_order": "RO-2026-1201", "part_number": PADS, "lot": lot,
        "supplier": SUPPLIER, "source": "oem", "safety_critical": True, "component_group": "brakes",
        "fitted": True}
    assert Decimal(fitted["quantity"]) == 2

    # The pads fail; a later repair order replaces them under the repair warranty.
    today = beijing_today()
    draft = office.post("warranty", "/claims", "warranty_clerk", {
        "vin": CAMRY_VIN, "repair_order": "RO-2026-1215", "repair_date": today, "odometer": 8_400,
        "failure_date": today, "complaint": "grinding noise when braking", "cause": "pad friction material delaminated",
        "correction": "replaced front brake pads", "coverage_plan": "CN-REPAIR",
        "lines": [{"kind": "labour", "operation": "BRAKE-PADS-F", "quantity": "1.000", "unit_price": "200.00",
                   "repair_order_line": "1"},
                  {"kind": "part", "part_number": PADS, "quantity": "2.000", "unit_price": "150.00",
                   "causal": True, "repair_order_line": "2"}]})
    claim = draft["claim_number"]
    assert (draft["status"], draft["claimed_amount"], draft["causal_part_number"]) == ("draft", "500.00", PADS)
    submitted = office.post("warranty", f"/claims/{claim}/submit", "warranty_clerk", expect=200)
    assert submitted["status"] == "submitted"
    decided = office.post("warranty", f"/claims/{claim}/decision", "warranty_manager",
                          {"lines": [{"number": 1, "approved_amount": "200.00"},
                                     {"number": 2, "approved_amount": "300.00"}], "reason": "covered defect"},
                          expect=200)
    # Parts' consumer dies while the approval may be on its way to it.
    stack.kill("parts-consumer")
    assert (decided["status"], decided["approved_amount"], decided["causal_lot"], decided["causal_supplier"]) == (
        "approved", "500.00", lot, SUPPLIER)
    stack.restart("parts-consumer")

    [recovery] = office.get("warranty", f"/supplier-recoveries?claim_number={claim}", "warranty_manager")["items"]
    assert {k: recovery[k] for k in ("claim_number", "vin", "supplier", "part_number", "lot", "amount", "status")} == {
        "claim_number": claim, "vin": CAMRY_VIN, "supplier": SUPPLIER, "part_number": PADS, "lot": lot,
        "amount": "500.00", "status": "open"}

    wait_until(lambda: quality(office)["field_failures"] >= 1, timeout=90,
               what="parts to count the field failure")

    # Nothing lost, nothing applied twice, nothing parked, nobody died.
    applied = assert_every_event_applied_once(infra)
    assert applied["warranty.record_installed_part"] == 1
    assert applied["parts.count_field_failure"] == 1
    assert applied["complaints.show_claim_news"] == 2  # submitted, approved
    assert_no_dead_letters(infra)
    assert_every_process_runs(stack)

    parts_events, warranty_events = published_types(infra, PARTS), published_types(infra, WARRANTY)
    assert (parts_events["parts.stock.issued"], parts_events["parts.supplier.quality_changed"]) == (1, 1)
    assert (warranty_events["warranty.claim.submitted"], warranty_events["warranty.claim.approved"],
            warranty_events["warranty.supplier_recovery.opened"]) == (1, 1, 1)

    # The end state in every service shows each event once.
    [fitted] = installed_parts(office, CAMRY_VIN)
    assert (fitted["issue"], Decimal(fitted["quantity"])) == (slip["number"], 2)
    figures = quality(office)
    assert (figures["field_failures"], figures["incidents"], Decimal(figures["units_issued"])) == (1, 0, 2)
    assert [(i["kind"], i["reference"], i["lot"], i["part_number"]) for i in figures["recent"]] == [
        ("field_failure", claim, lot, PADS)]
    assert figures["failures_per_thousand"] == "500.00"  # one failure in two units issued
    [stock] = office.get("parts", f"/stock?part_number={PADS}", "parts_clerk")["items"]
    assert (Decimal(stock["on_hand"]), Decimal(stock["reserved"]), Decimal(stock["available"])) == (8, 0, 8)
    assert office.get("parts", f"/reservations/{reservation['number']}", "parts_clerk")["status"] == "issued"
    assert office.get("parts", f"/lots/{lot}", "parts_clerk")["on_hold"] is False  # one incident is not enough
    assert [h["action"] for h in office.get("warranty", f"/claims/{claim}", "warranty_clerk")["history"]] == [
        "filed", "submitted", "approved"]


def test_complaints_naming_a_lot_put_it_on_hold_and_warranty_and_complaints_hear_of_it(stack, infra):
    office = BackOffice(stack, infra)
    lot = a_stocked_safety_part(office)
    register(office, CAMRY_VIN, "Camry")
    register(office, COROLLA_VIN, "Corolla")
    camry_slip = issue(office, CAMRY_VIN, "RO-2026-1202", "2")
    corolla_slip = issue(office, COROLLA_VIN, "RO-2026-1203", "2")
    for vin in (CAMRY_VIN, COROLLA_VIN):
        wait_until(lambda: installed_parts(office, vin), timeout=60, what=f"warranty to see the pads on {vin}")

    def complain(vin: str, name: str, text: str) -> dict:
        complaint = office.post("complaints", "/complaints", "complaints_agent",
                                {"channel": "phone", "text": text, "customer_name": name,
                                 "customer_phone": "13812341234", "vin": vin, "part_number": PADS, "lot": lot})
        assert (complaint["category"], complaint["part_number"], complaint["lot"]) == ("product_quality", PADS, lot)
        return complaint

    first = complain(CAMRY_VIN, "Li Na", "The front brake pads fitted last month are defective: they squeal and "
                                         "crack, a poor quality part.")
    wait_until(lambda: quality(office)["incidents"] == 1, timeout=60, what="parts to count the first complaint")
    assert office.get("parts", f"/lots/{lot}", "parts_clerk")["on_hold"] is False  # one is not enough

    # Parts' consumer dies; the second complaint's classification waits for it in its queue.
    # Complaints' consumer dies too, so the news of the hold waits for it in turn.
    stack.kill("parts-consumer")
    second = complain(COROLLA_VIN, "Wang Fang", "Brake pads from your store are faulty, cracked after two weeks. "
                                                "Quality defect.")
    stack.kill("complaints-consumer")
    stack.restart("parts-consumer")

    held = wait_until(lambda: (lot_ := office.get("parts", f"/lots/{lot}", "parts_clerk"))["on_hold"] and lot_,
                      timeout=90, what="the lot to go on quality hold")
    stack.restart("complaints-consumer")
    assert held["hold_reason"].startswith("quality hold") and held["blocked"] is True
    figures = quality(office)
    assert (figures["incidents"], figures["field_failures"]) == (HOLD_AFTER, 0)
    assert sorted((i["kind"], i["reference"], i["lot"]) for i in figures["recent"]) == sorted(
        [("complaint", first["id"], lot), ("complaint", second["id"], lot)])
    [quarantined] = office.events_of("parts", "parts.lot.quarantined")
    assert (quarantined["subject"], quarantined["data"]["lot"], quarantined["data"]["supplier"]) == (lot, lot, SUPPLIER)
    assert sorted(quarantined["data"]["affected_vins"]) == sorted([CAMRY_VIN, COROLLA_VIN])
    # The six sets left are held, so none can be quoted.
    [quote] = office.post("parts", "/availability", "service_advisor",
                          {"location": MAIN, "lines": [{"part_number": PADS, "quantity": "1"}]}, expect=200)["lines"]
    assert (quote["can_fulfil"], Decimal(quote["available"])) == (False, 0)

    # Warranty consumes parts.lot.quarantined (warranty.record_lot_quarantine) and lists the
    # vehicles the lot went into: those parts named, with what warranty saw fitted to each.
    recall = wait_until(lambda: office.find("warranty", f"/lot-recalls/{lot}", "warranty_clerk"), timeout=90,
                        what="warranty to list the vehicles the held lot went into")
    assert (recall["status"], recall["part_number"], recall["supplier"], recall["vehicle_count"]) == (
        "open", PADS, SUPPLIER, 2)
    assert recall["reason"].startswith("quality hold")
    assert [(v["vin"], v["named_by_parts"], v["model"], [(f["issue"], f["repair_order"], Decimal(f["quantity"]))
                                                         for f in v["fittings"]])
            for v in sorted(recall["vehicles"], key=lambda v: v["vin"])] == sorted([
        (CAMRY_VIN, True, "Camry", [(camry_slip["number"], "RO-2026-1202", 2)]),
        (COROLLA_VIN, True, "Corolla", [(corolla_slip["number"], "RO-2026-1203", 2)])])

    # Complaints consumes parts.lot.quarantined (complaints.show_lot_quarantine) and shows it on
    # the timeline of each complaint naming the lot.
    def hold_on_timeline(complaint: dict) -> list[dict]:
        timeline = office.get("complaints", f"/complaints/{complaint['id']}", "complaints_agent")["timeline"]
        return [entry for entry in timeline if entry["kind"] == "lot_quarantined"]

    for complaint in (first, second):
        [entry] = wait_until(lambda: hold_on_timeline(complaint), timeout=90,
                             what=f"complaint {complaint['id']}'s timeline to show the hold")
        assert lot in entry["summary"] and "2 vehicles affected" in entry["summary"], entry
        assert entry["actor"] == "event:/aftersales/parts", entry

    # Nothing lost, nothing applied twice, nothing parked, nobody died.
    applied = assert_every_event_applied_once(infra)
    assert applied["parts.count_quality_complaint"] == 2
    assert applied["warranty.record_installed_part"] == 2
    assert (applied["warranty.record_lot_quarantine"], applied["complaints.show_lot_quarantine"]) == (1, 1)
    assert_no_dead_letters(infra)
    assert_every_process_runs(stack)
    assert published_types(infra, PARTS)["parts.lot.quarantined"] == 1

    assert quality(office)["incidents"] == HOLD_AFTER
    assert sorted((p["issue"], Decimal(p["quantity"])) for vin in (CAMRY_VIN, COROLLA_VIN)
                  for p in installed_parts(office, vin)) == sorted([(camry_slip["number"], 2), (corolla_slip["number"], 2)])
    for complaint in (first, second):
        assert len(hold_on_timeline(complaint)) == 1
    assert office.get("warranty", f"/lot-recalls/{lot}", "warranty_clerk")["vehicle_count"] == 2


def test_a_part_sold_at_the_counter_comes_back_faulty_and_is_exchanged_from_stock(stack, infra):
    """Issue 16: sale at the parts counter -> the sold part's warranty in warranty -> a case,
    assessed a supplier defect, replacement decided -> parts issues the exchange from stock ->
    a supplier recovery against the lot's supplier."""
    office = BackOffice(stack, infra)
    lot = a_stocked_safety_part(office)
    wait_until(lambda: known_to_warranty(office, PADS), timeout=60, what="warranty to learn the part")

    def step(path: str, role: str, document: dict, body: dict | None = None, service: str = "parts") -> dict:
        return office.post(service, path, role, body or {}, expect=200,
                           headers={"If-Match": f'"{document["version"]}"'})

    sale = office.post("parts", "/sales", "parts_clerk", {
        "customer_kind": "walk_in", "customer_name": "赵先生", "customer_phone": "13812341234",
        "lines": [{"part_number": PADS, "quantity": "2", "location": MAIN}]})
    sale = step(f"/sales/{sale['number']}/confirm", "parts_clerk", sale)
    sale = step(f"/sales/{sale['number']}/payment", "parts_clerk", sale, {"method": "cash", "amount": sale["total"]})
    sale = step(f"/sales/{sale['number']}/complete", "parts_clerk", sale, {"invoice_number": "INV-2026-0301"})
    assert (sale["status"], sale["total"]) == ("completed", "300.00")

    [sold] = wait_until(lambda: office.get("warranty", f"/parts-warranty/sold-parts?sale={sale['number']}",
                                           "warranty_clerk")["items"], timeout=90,
                        what="warranty to record the sold part's warranty")
    assert (sold["part_number"], sold["lot"], sold["supplier"], sold["quantity"], sold["unit_price"]) == (
        PADS, lot, SUPPLIER, "2.000", "150.00")

    # The customer brings one set back cracked; the warranty desk finds a material defect.
    case = office.post("warranty", "/parts-warranty/cases", "warranty_clerk", {
        "sale": sale["number"], "part_number": PADS, "lot": lot, "quantity": "1",
        "report": "刹车片背板开裂, 安装两周"})
    case = step(f"/parts-warranty/cases/{case['number']}/assess", "warranty_clerk", case,
                {"fault": "defect", "findings": "摩擦材料分层, 材料缺陷"}, service="warranty")
    # Parts' consumer dies while the approval is on its way to it.
    stack.kill("parts-consumer")
    case = step(f"/parts-warranty/cases/{case['number']}/decide", "warranty_clerk", case,
                {"outcome": "replace"}, service="warranty")
    assert (case["status"], case["outcome"]) == ("decided", "replace")
    stack.restart("parts-consumer")

    [recovery] = office.get("warranty", f"/supplier-recoveries?claim_number={case['number']}",
                            "warranty_manager")["items"]
    assert {k: recovery[k] for k in ("claim_number", "supplier", "part_number", "lot", "amount", "status")} == {
        "claim_number": case["number"], "supplier": SUPPLIER, "part_number": PADS, "lot": lot, "amount": "150.00",
        "status": "open"}

    exchange = wait_until(
        lambda: (found := office.find("parts", f"/warranty-exchanges/{case['number']}", "parts_clerk"))
        and found["status"] == "issued" and found, timeout=90, what="parts to issue the exchange from stock")
    assert (exchange["sale"], exchange["part_number"], exchange["quantity"], exchange["faulty_lot"]) == (
        sale["number"], PADS, "1.000", lot)
    assert [(x["lot"], x["supplier"], x["quantity"]) for x in exchange["lots"]] == [(lot, SUPPLIER, "1.000")]
    [stock] = office.get("parts", f"/stock?part_number={PADS}", "parts_clerk")["items"]
    assert (Decimal(stock["on_hand"]), Decimal(stock["reserved"])) == (7, 0)  # 10 - 2 sold - 1 exchanged
    ready = wait_until(lambda: (found := office.get("warranty", f"/parts-warranty/cases/{case['number']}",
                                                    "warranty_clerk"))["replacement_issued_at"] and found,
                       timeout=90, what="warranty to see the replacement issued")
    assert (ready["status"], ready["replacement_issued_at"]) == ("decided", exchange["issued_at"])
    ledger = office.get("parts", f"/ledger?reference={case['number']}", "parts_manager")["items"]
    assert [(m["kind"], m["lot"], Decimal(m["on_hand_change"])) for m in ledger] == [("warranty_exchange", lot, -1)]

    # Nothing lost, nothing applied twice, nothing parked, nobody died.
    applied = assert_every_event_applied_once(infra)
    assert (applied["warranty.record_sold_parts"], applied["parts.issue_warranty_exchange"],
            applied["warranty.record_exchange_issued"]) == (1, 1, 1)
    assert_no_dead_letters(infra)
    assert_every_process_runs(stack)
    assert published_types(infra, PARTS)["parts.warranty_exchange.issued"] == 1
    assert published_types(infra, WARRANTY)["warranty.parts_warranty.replacement_approved"] == 1
    assert len(office.get("warranty", f"/supplier-recoveries?claim_number={case['number']}",
                          "warranty_manager")["items"]) == 1
