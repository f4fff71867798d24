"""Coverage plans per make: the defaults on first use, and the warranty manager's own."""

from __future__ import annotations

TOYOTA_REPAIR = {"code": "TOYOTA-REPAIR", "make": "Toyota", "name": "丰田整车保修 3年10万公里", "type": "basic",
                 "months": 36, "km": 100_000, "exclusions": ["filters", "fluids"], "replaces": "CN-REPAIR"}


def plans(client, token, **query):
    response = client.get("/api/v1/coverage-plans", query_string=query, headers=token(["service_advisor"]))
    assert response.status_code == 200, response.get_json()
    return {plan["code"]: plan for plan in response.get_json()["items"]}


def test_the_first_vehicle_brings_chinas_family_car_defaults_without_announcing_them(client, token, events):
    assert plans(client, token) == {}
    client.post("/api/v1/vehicles", json={"vin": "LVSHCAMB1CE054249", "make": "Toyota", "model": "Camry",
                                          "model_year": 2024, "in_service_date": "2024-09-15"},
                headers=token(["service_advisor"]))
    defaults = plans(client, token)
    assert len(defaults) == 9 and {p["origin"] for p in defaults.values()} == {"default"}
    repair, three_guarantees = defaults["CN-REPAIR"], defaults["CN-3G"]
    assert (repair["type"], repair["months"], repair["km"], repair["make"]) == ("basic", 36, 60_000, "*")
    assert (three_guarantees["type"], three_guarantees["months"], three_guarantees["km"]) == (
        "three_guarantees", 24, 50_000)
    assert defaults["CN-REPLACED-PART"]["start_basis"] == "installation"
    assert defaults["CN-GOODWILL"]["pre_authorisation_above"] == "0.00"
    assert events("warranty.coverage_plan.added") == []
    client.post("/api/v1/vehicles", json={"vin": "1HGCM82633A004352", "make": "Honda", "model": "Accord",
                                          "model_year": 2022, "in_service_date": "2022-03-01"},
                headers=token(["service_advisor"]))
    assert len(plans(client, token)) == 9  # loaded once


def test_a_manager_adds_a_makes_own_plan_and_others_may_only_read(client, token, events):
    manager = token(["warranty_manager"])
    added = client.post("/api/v1/coverage-plans", json=TOYOTA_REPAIR, headers=manager)
    assert added.status_code == 201, added.get_json()
    assert added.headers["ETag"] == '"1"' and added.headers["Location"].endswith("/coverage-plans/TOYOTA-REPAIR")
    body = added.get_json()
    assert (body["origin"], body["deductible"], body["currency"], body["transferable"]) == ("dealer", "0.00", "CNY", True)
    assert len(plans(client, token)) == 10  # the defaults came first, so there is something to replace
    assert set(plans(client, token, make="Toyota")) == set(plans(client, token))
    assert "TOYOTA-REPAIR" not in plans(client, token, make="Honda")
    [announced] = events("warranty.coverage_plan.added")
    assert (announced["code"], announced["plan_type"], announced["km"]) == ("TOYOTA-REPAIR", "basic", 100_000)
    for role in ("service_advisor", "warranty_clerk"):
        assert client.post("/api/v1/coverage-plans", json={**TOYOTA_REPAIR, "code": "X"},
                           headers=token([role])).status_code == 403


def test_a_plan_changes_against_its_etag_and_can_be_retired(client, token, camry, events):
    manager, url = token(["warranty_manager"]), "/api/v1/coverage-plans/CN-REPAIR"
    etag = client.get(url, headers=manager).headers["ETag"]
    changed = client.patch(url, json={"deductible": "100.00", "components": ["engine", "body"]},
                           headers={**manager, "If-Match": etag})
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["deductible"], changed.get_json()["components"]) == ("100.00", ["body", "engine"])
    assert client.patch(url, json={"active": False}, headers={**manager, "If-Match": etag}).status_code == 412
    retired = client.patch(url, json={"active": False}, headers={**manager, "If-Match": changed.headers["ETag"]})
    assert retired.get_json()["active"] is False
    assert "CN-REPAIR" not in plans(client, token, active="true")
    assert [e["changed"] for e in events("warranty.coverage_plan.changed")] == [
        ["components", "deductible"], ["active"]]


def test_bad_plans_are_refused_with_the_field_named(client, token, camry):
    manager = token(["warranty_manager"])

    def refused(payload, status=422):
        response = client.post("/api/v1/coverage-plans", json=payload, headers=manager)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    assert refused({**TOYOTA_REPAIR, "replaces": "NO-SUCH"})["code"] == "replaced_plan_not_found"
    assert refused({**TOYOTA_REPAIR, "months": None})["errors"].keys() == {"months"}
    assert refused({**TOYOTA_REPAIR, "deductible": 100})["errors"].keys() == {"deductible"}
    assert refused({**TOYOTA_REPAIR, "type": "lifetime"})["errors"].keys() == {"type"}
    assert refused({**TOYOTA_REPAIR, "code": "CN-REPAIR"}, 409)["code"] == "coverage_plan_code_taken"
    assert client.get("/api/v1/coverage-plans/NO-SUCH", headers=manager).status_code == 404


def test_another_dealers_plans_are_not_seen(client, token, camry):
    assert plans(client, token) != {}
    other = client.get("/api/v1/coverage-plans", headers=token(["warranty_manager"], dealer="D002"))
    assert other.get_json()["items"] == []
    assert client.get("/api/v1/coverage-plans/CN-REPAIR",
                      headers=token(["warranty_manager"], dealer="D002")).status_code == 404
