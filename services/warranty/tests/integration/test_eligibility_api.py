"""The advisor's question at write-up: is this repair covered? Through the API."""

from __future__ import annotations

from datetime import date, datetime, timezone

from shared.testing import a_cloudevent, apply_event

from warranty.domain.vehicle import Vehicle
from warranty.handlers import parts_events

VIN = "LVSHCAMB1CE054249"


def ask(client, token, role="service_advisor", **question):
    body = {"vin": VIN, "odometer": 42_000, "component_group": "engine", **question}
    body = {name: value for name, value in body.items() if value is not None}  # None: leave it out
    return client.post("/api/v1/eligibility", json=body, headers=token([role]))


def answer(client, token, **question):
    response = ask(client, token, **question)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    return body, {plan["plan"]: plan for plan in body["plans"]}


def parts_event(settings, units, type_, data, **attributes):
    outcome = apply_event(settings, units, parts_events.handlers, a_cloudevent(type_, data, **attributes))
    assert outcome.applied, outcome


def test_an_advisor_hears_per_plan_whether_the_repair_is_covered_and_what_is_left(client, token, camry):
    body, plans = answer(client, token)
    assert body["covered"] is True
    assert (body["vin"], body["date"], body["odometer"], body["component_group"]) == (VIN, "2026-11-25", 42_000, "engine")
    assert body["vehicle"] == {"make": "Toyota", "model": "Camry", "model_year": 2024, "in_service_date": "2024-09-15",
                               "owner_count": 1, "title_status": "clean"}
    repair = plans["CN-REPAIR"]
    assert repair == {**repair, "covered": True, "reasons": [], "covered_until": "2027-09-14", "months_left": 9,
                      "days_left": 294, "km_left": 18_000, "covered_up_to_km": 60_000, "deductible": "0.00",
                      "currency": "CNY", "pre_authorisation_required": False, "type": "basic"}
    assert plans["CN-3G"]["reasons"] == ["expired_time"]  # 2 years from 15 Sep 2024
    assert plans["CN-GOODWILL"]["pre_authorisation_required"] is True
    assert body["open_campaigns"] == []


def test_cover_ends_the_day_before_the_anniversary_and_the_km_limit_is_included(client, token, camry, clock):
    clock.now = datetime(2027, 10, 1, 2, 0, tzinfo=timezone.utc)
    _, last_day = answer(client, token, date="2027-09-14", odometer=60_000)
    _, anniversary = answer(client, token, date="2027-09-15", odometer=50_000)
    _, one_km_more = answer(client, token, date="2027-09-14", odometer=60_001)
    assert last_day["CN-REPAIR"]["covered"] and last_day["CN-REPAIR"]["days_left"] == 1
    assert last_day["CN-REPAIR"]["km_left"] == 0
    assert anniversary["CN-REPAIR"]["reasons"] == ["expired_time"]
    assert one_km_more["CN-REPAIR"]["reasons"] == ["expired_distance"]


def test_an_aftermarket_part_fitted_on_the_brakes_is_not_covered(settings, units, client, token, camry):
    parts_event(settings, units, "parts.part.created", {
        "part_number": "AM-BP-2231", "name_zh": "副厂前刹车片", "category": "brakes", "source": "aftermarket",
        "safety_critical": True})
    parts_event(settings, units, "parts.stock.issued", {
        "issue": "ISS-1", "repair_order": "RO-1", "vin": VIN, "part_number": "AM-BP-2231", "location": "MAIN",
        "lot": "LOT-1", "supplier": "HX-AUTO", "quantity": "1", "source": "aftermarket", "technician": "王师傅"},
        time="2026-10-01T02:00:00+00:00")
    body, plans = answer(client, token, component_group="brakes", odometer=40_000)
    assert "aftermarket_part_on_critical_component" in plans["CN-REPAIR"]["reasons"]
    assert plans["CN-REPAIR"]["aftermarket_part_number"] == "AM-BP-2231"
    assert body["covered"] is False
    by_part, _ = answer(client, token, component_group=None, part_number="AM-BP-2231", odometer=40_000)
    assert (by_part["component_group"], by_part["part_source"]) == ("brakes", "aftermarket")
    _, engine = answer(client, token, component_group="engine", odometer=40_000)
    assert engine["CN-REPAIR"]["covered"]


def test_an_appointment_is_answered_up_to_90_days_ahead(client, token, camry):
    body, plans = answer(client, token, date="2027-02-23", odometer=45_000)  # the 90th day
    assert (body["date"], plans["CN-REPAIR"]["covered"], plans["CN-REPAIR"]["days_left"]) == ("2027-02-23", True, 204)
    assert ask(client, token, date="2026-11-26").status_code == 200


def test_how_far_ahead_comes_from_the_settings(infra, service, clock, token):
    client = service.create_app(infra.settings(service, ELIGIBILITY_DAYS_AHEAD="10"), clock=clock).test_client()
    assert client.post("/api/v1/vehicles", json={"vin": VIN, "make": "Toyota", "model": "Camry", "model_year": 2024,
                                                 "in_service_date": "2024-09-15"},
                       headers=token(["service_advisor"])).status_code == 201
    assert ask(client, token, date="2026-12-05").status_code == 200
    refused = ask(client, token, date="2026-12-06")
    assert (refused.status_code, refused.get_json()["code"], refused.get_json()["days_ahead"]) == (
        422, "eligibility_date_in_future", 10)


def test_the_answer_tells_the_pre_authorisation_limit_that_applies(client, token, camry):
    _, plans = answer(client, token, estimated_cost="5000.01")
    assert (plans["CN-REPAIR"]["pre_authorisation_required"], plans["CN-REPAIR"]["pre_authorisation_limit"],
            plans["CN-REPAIR"]["pre_authorisation_above"]) == (True, "5000.00", None)
    assert (plans["CN-GOODWILL"]["pre_authorisation_limit"], plans["CN-GOODWILL"]["pre_authorisation_above"]) == (
        "0.00", "0.00")
    _, at_limit = answer(client, token, estimated_cost="5000.00")
    assert at_limit["CN-REPAIR"]["pre_authorisation_required"] is False


def test_a_replaced_part_is_covered_from_the_write_up_reading_of_its_repair_order(
        settings, units, client, token, camry):
    advisor = token(["service_advisor"])
    client.post(f"/api/v1/vehicles/{VIN}/odometer-readings", headers=advisor,
                json={"km": 21_000, "read_on": "2026-03-01", "source": "repair_order", "reference": "RO-7"})
    parts_event(settings, units, "parts.part.created", {
        "part_number": "04465-33450", "name_zh": "前刹车片", "category": "brakes", "source": "oem",
        "safety_critical": True})
    parts_event(settings, units, "parts.stock.issued", {
        "issue": "ISS-7", "repair_order": "RO-7", "vin": VIN, "part_number": "04465-33450", "location": "MAIN",
        "lot": "LOT-7", "supplier": "GTMC", "quantity": "1", "source": "oem", "technician": "李师傅"},
        time="2026-03-01T03:00:00+00:00")
    _, plans = answer(client, token, part_number="04465-33450", component_group=None, odometer=35_000)
    replaced = plans["CN-REPLACED-PART"]
    assert replaced == {**replaced, "covered": True, "starts_on": "2026-03-01", "starting_km": 21_000,
                        "covered_until": "2027-02-28", "covered_up_to_km": 41_000, "km_left": 6_000}
    assert replaced["installation"] == {"part_number": "04465-33450", "repair_order": "RO-7",
                                        "installed_on": "2026-03-01", "odometer": None}


def test_a_suspected_rollback_is_told_and_stops_km_limited_cover(client, token, camry):
    client.post(f"/api/v1/vehicles/{VIN}/odometer-readings", headers=token(["service_advisor"]),
                json={"km": 45_000, "read_on": "2026-06-01", "source": "inspection"})
    body, plans = answer(client, token, odometer=30_000, component_group="body")
    assert body["odometer_rollback_suspected"] is True
    assert plans["CN-REPAIR"]["reasons"] == ["odometer_rollback_suspected"]
    assert plans["CN-CORROSION"]["covered"] is True


def test_salvage_title_and_a_second_owner_are_reasons(client, token, camry):
    advisor, url = token(["service_advisor"]), f"/api/v1/vehicles/{VIN}"
    client.patch(url, json={"title_status": "salvage", "owner_count": 2, "reason": "insurer total loss"},
                 headers={**advisor, "If-Match": client.get(url, headers=advisor).headers["ETag"]})
    _, plans = answer(client, token)
    assert plans["CN-REPAIR"]["reasons"] == ["salvage_title"]
    assert plans["CN-POWERTRAIN"]["reasons"] == ["salvage_title", "not_first_owner"]


def test_an_open_campaign_for_the_model_is_listed(client, token, camry):
    recall = {"code": "RC-2026-11", "make": "Toyota", "name": "制动软管召回", "type": "campaign", "models": ["Camry"],
              "components": ["brakes"], "vin_from": "LVSHCAMB0CE000000", "vin_to": "LVSHCAMB0CE099999",
              "ends_on": "2026-12-31"}
    assert client.post("/api/v1/coverage-plans", json=recall, headers=token(["warranty_manager"])).status_code == 201
    body, plans = answer(client, token, component_group="brakes")
    assert body["open_campaigns"] == [{"code": "RC-2026-11", "name": "制动软管召回", "components": ["brakes"],
                                       "ends_on": "2026-12-31", "kind": "campaign", "part_number": None,
                                       "supplier": None}]
    assert plans["RC-2026-11"]["covered"] is True and plans["RC-2026-11"]["months_left"] is None


def test_a_makes_own_plan_replaces_the_default_in_the_answer(client, token, camry):
    client.post("/api/v1/coverage-plans", headers=token(["warranty_manager"]), json={
        "code": "TOYOTA-REPAIR", "make": "Toyota", "name": "丰田整车保修", "type": "basic", "months": 36,
        "km": 100_000, "replaces": "CN-REPAIR"})
    _, plans = answer(client, token, odometer=80_000)
    assert "CN-REPAIR" not in plans and plans["TOYOTA-REPAIR"]["covered"]


def test_a_dealer_whose_plans_were_never_loaded_is_answered_from_the_defaults(units, client, token):
    uow = units(dealer="D001", actor="migration", correlation_id="test")
    with uow:  # a vehicle registered before coverage plans existed
        uow.vehicles.add(Vehicle("D001", VIN, make="Toyota", model="Camry", model_year=2024,
                                 in_service_date=date(2024, 9, 15), owner_count=1,
                                 at=datetime(2024, 9, 15, tzinfo=timezone.utc), today=date(2024, 9, 15)))
        uow.commit()
    _, plans = answer(client, token)
    assert plans["CN-REPAIR"]["covered"]


def test_questions_that_cannot_be_answered_are_refused_with_a_code(client, token, camry):
    def refused(status, **question):
        response = ask(client, token, **question)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    assert refused(404, vin="1HGCM82633A004352")["code"] == "vehicle_not_found"
    too_far = refused(422, date="2027-02-24")  # 91 days ahead
    assert (too_far["code"], too_far["field"], too_far["latest"]) == ("eligibility_date_in_future", "date", "2027-02-23")
    unknown_part = refused(422, component_group=None, part_number="NO-SUCH")
    assert (unknown_part["code"], list(unknown_part["errors"])) == ("component_not_known", ["part_number"])
    assert list(refused(422, component_group=None)["errors"]) == ["part_number"]
    assert list(refused(422, odometer="42000")["errors"]) == ["odometer"]
    assert refused(422, estimated_cost=5000)["errors"].keys() == {"estimated_cost"}


def test_only_the_write_up_and_warranty_desks_ask(client, token, camry):
    assert ask(client, token, role="warranty_clerk").status_code == 200
    assert ask(client, token, role="warranty_manager").status_code == 200
    assert ask(client, token, role="complaints_agent").status_code == 403
    assert ask(client, token, role="parts_clerk").status_code == 403
