"""Where a reservation that names no location is held (the quote screen reserves "wherever it
is"): the default location if it has enough, else the location with the most available that
can fill the line (ties by code), else the line is short and the 409 names where the most is."""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS

from parts.domain.stock import LotBalance, Movement, PartStock, Reservation

VIN = "LVSHCAMB1CE054249"


def _reserve(client, desk, quantity, part="PADS", **extra):
    return client.post("/api/v1/reservations", json={"part_number": part, "quantity": quantity,
                                                     "for_kind": "repair_order", "for_reference": "RO-1", **extra},
                       headers=desk.headers)


def _batch(client, desk, *lines, for_reference="RO-1"):
    return client.post("/api/v1/reservations/batch", json={"for_kind": "repair_order", "for_reference": for_reference,
                                                           "lines": list(lines)}, headers=desk.headers)


def _annex(client, token):
    """A third store, whose code sorts before the others."""
    assert client.post("/api/v1/locations", json={"code": "ANNEX", "warehouse": "Annex"},
                       headers=token(["parts_manager"])).status_code == 201


def test_the_default_location_holds_it_when_it_has_enough_even_if_another_has_more(client, desk):
    desk.receive(desk.line(quantity="3"), desk.line(quantity="10", location="BODY"))

    response = _reserve(client, desk, "3")

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["location"] == "MAIN"
    assert (desk.available("PADS"), desk.available("PADS", "BODY")) == (0, 10)


def test_else_the_location_with_the_most_available_that_can_fill_the_whole_line(client, desk, token):
    _annex(client, token)
    desk.receive(desk.line(quantity="2"), desk.line(quantity="4", location="BODY"),
                 desk.line(quantity="6", location="ANNEX"))

    response = _reserve(client, desk, "3")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["location"], body["quantity"], body["status"]) == ("ANNEX", "3.000", "active")
    assert (desk.available("PADS"), desk.available("PADS", "BODY"), desk.available("PADS", "ANNEX")) == (2, 4, 3)
    [event] = desk.events("parts.stock.reserved")
    assert (event["reservation"], event["location"]) == (body["number"], "ANNEX")


def test_a_tie_goes_to_the_first_location_by_code(client, desk, token):
    _annex(client, token)
    desk.receive(desk.line(quantity="5", location="BODY"), desk.line(quantity="5", location="ANNEX"))

    assert _reserve(client, desk, "4").get_json()["location"] == "ANNEX"
    assert _reserve(client, desk, "4").get_json()["location"] == "BODY"  # now BODY has the most


def test_stock_that_is_not_available_does_not_count(client, desk):
    desk.receive(desk.line(quantity="6", inspection="pending"), desk.line(quantity="2", location="BODY"))
    _reserve(client, desk, "1", location="BODY")  # BODY: 1 left

    assert _reserve(client, desk, "1").get_json()["location"] == "BODY"
    short = _reserve(client, desk, "1")
    assert (short.status_code, short.get_json()["location"], Decimal(short.get_json()["available"])) == (409, "MAIN", 0)


def test_a_line_no_single_location_can_fill_is_short_naming_where_the_most_is(client, desk, token):
    _annex(client, token)
    desk.receive(desk.line(quantity="2"), desk.line(quantity="3", location="BODY"),
                 desk.line(quantity="1", location="ANNEX"))

    response = _reserve(client, desk, "4")  # 6 in all, but a reservation is held in one place

    assert response.status_code == 409
    problem = response.get_json()
    assert (problem["code"], problem["part_number"], problem["location"], problem["asked"], problem["available"]) == (
        "insufficient_stock", "PADS", "BODY", "4.000", "3.000")
    assert client.get("/api/v1/reservations", headers=desk.headers).get_json()["items"] == []
    assert desk.events("parts.stock.reserved") == []
    nothing = _reserve(client, desk, "1", part="OIL")  # none anywhere: short at the default location
    assert (nothing.status_code, nothing.get_json()["location"], Decimal(nothing.get_json()["available"])) == (
        409, "MAIN", 0)


def test_a_named_location_is_still_where_the_line_is_held(client, desk):
    desk.receive(desk.line(quantity="1"), desk.line(quantity="5", location="BODY"))

    assert _reserve(client, desk, "1", location="BODY").get_json()["location"] == "BODY"
    short = _reserve(client, desk, "2", location="MAIN")
    assert (short.status_code, short.get_json()["location"], short.get_json()["available"]) == (409, "MAIN", "1.000")


def test_a_quote_places_its_open_lines_after_the_lines_that_name_a_location(client, desk, token):
    _annex(client, token)
    desk.receive(desk.line(quantity="1"), desk.line(quantity="5", location="BODY"),
                 desk.line(quantity="3", location="ANNEX"), desk.line("OIL", "10"))

    response = _batch(client, desk, {"part_number": "PADS", "quantity": "3"},
                      {"part_number": "OIL", "quantity": "2"},
                      {"part_number": "PADS", "quantity": "2", "location": "BODY"},
                      {"part_number": "PADS", "quantity": "1"})

    assert response.status_code == 201, response.get_json()
    # BODY keeps 2 for the line that names it: 3 left there, as at ANNEX, so the first open line
    # goes to ANNEX (a tie, by code); the last open line fits the default location.
    assert [(r["part_number"], r["location"], r["quantity"]) for r in response.get_json()["reservations"]] == [
        ("PADS", "ANNEX", "3.000"), ("OIL", "MAIN", "2.000"), ("PADS", "BODY", "2.000"), ("PADS", "MAIN", "1.000")]
    assert (desk.available("PADS"), desk.available("PADS", "BODY"), desk.available("PADS", "ANNEX")) == (0, 3, 0)


def test_a_quote_whose_open_line_fits_nowhere_names_it_and_reserves_nothing(client, desk):
    desk.receive(desk.line(quantity="2"), desk.line(quantity="3", location="BODY"))

    response = _batch(client, desk, {"part_number": "PADS", "quantity": "2"}, {"part_number": "PADS", "quantity": "3",
                                                                               "location": "BODY"},
                      {"part_number": "PADS", "quantity": "1"})

    assert response.status_code == 409
    problem = response.get_json()
    assert [(x["line"], x["field"], x["location"], x["asked"], Decimal(x["available"])) for x in problem["lines"]] == [
        (2, "lines.2.quantity", "MAIN", "1.000", 0)]
    assert (desk.available("PADS"), desk.available("PADS", "BODY")) == (2, 3)
    assert desk.events("parts.stock.reserved") == []


def test_issuing_a_reservation_held_elsewhere_takes_it_from_where_it_is_held(client, desk):
    desk.receive(desk.line(quantity="1"), desk.line(quantity="4", location="BODY"))
    held = _reserve(client, desk, "3").get_json()
    assert held["location"] == "BODY"

    issued = client.post("/api/v1/issues", json={
        "repair_order": "RO-1", "vin": VIN, "technician": "tech-wang",
        "lines": [{"part_number": "PADS", "quantity": "3", "reservation": held["number"]}]}, headers=desk.headers)

    assert issued.status_code == 201, issued.get_json()
    assert [(x["location"], x["quantity"], x["reservation"]) for x in issued.get_json()["lines"]] == [
        ("BODY", "3.000", held["number"])]
    assert client.get(f"/api/v1/reservations/{held['number']}", headers=desk.headers).get_json()["status"] == "issued"
    assert (desk.available("PADS"), desk.available("PADS", "BODY")) == (1, 1)
    on_hand = {b["location"]: b["on_hand"] for b in desk.stock(part_number="PADS")}
    assert on_hand == {"MAIN": "1.000", "BODY": "1.000"}


# ---------------------------------------------------------------- many clerks at once

STOCK = {("PADS", "MAIN"): 3, ("PADS", "BODY"): 6, ("PADS", "ANNEX"): 4, ("DISC", "MAIN"): 2, ("DISC", "BODY"): 5}
CLERKS = 24


def test_clerks_reserving_wherever_it_is_at_once_never_oversell_any_location(real_infra, service):
    """24 quotes at the same moment over two parts held at three locations, their lines open or
    naming a location, in different orders: each quote gets all its lines or none, no location
    gives more than it has, and nobody waits on anybody in a circle (a deadlock would be a 409
    `conflicting_write`)."""
    settings = real_infra.settings(service)
    app = service.create_app(settings)
    clerk = {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk", "D001", ["parts_clerk"])}
    manager = {"Authorization": "Bearer " + mint(settings.jwt_secret, "manager", "D001", ["parts_manager"])}
    setup = app.test_client()
    for code in ("MAIN", "BODY", "ANNEX"):
        created = setup.post("/api/v1/locations", json={"code": code, "warehouse": code}, headers=manager)
        assert created.status_code == 201
    setup.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=manager)
    for number in ("PADS", "DISC"):
        setup.post("/api/v1/parts", json={"part_number": number, "name_en": number, "category": "general",
                                          "unit": "pcs", "source": "oem", "list_price": "10.00"}, headers=clerk)
    for (number, location), quantity in STOCK.items():
        assert setup.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
            {"part_number": number, "quantity": str(quantity), "unit_cost": "5.00", "location": location,
             "inspection": "passed"}]}, headers=clerk).status_code == 201

    draw = random.Random(20261217)
    quotes = []
    for _ in range(CLERKS):
        lines = [{"part_number": draw.choice(["PADS", "DISC"]), "quantity": str(draw.randint(1, 3)),
                  **({"location": draw.choice(["MAIN", "BODY", "ANNEX"])} if draw.random() < 0.3 else {})}
                 for _ in range(draw.randint(1, 3))]
        quotes.append(lines)
    start = threading.Barrier(CLERKS)
    answers: dict[int, tuple[int, dict]] = {}

    def clerk_reserves(n: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/reservations/batch", json={
            "for_kind": "repair_order", "for_reference": f"RO-{n}", "lines": quotes[n]}, headers=clerk)
        answers[n] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=clerk_reserves, args=(n,)) for n in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert len(answers) == CLERKS
    statuses = Counter(status for status, _ in answers.values())
    assert set(statuses) <= {201, 409}, answers
    assert statuses[201] > 0 and statuses[409] > 0, statuses
    assert {body["code"] for status, body in answers.values() if status == 409} == {"insufficient_stock"}
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        held = session.execute(select(Reservation.for_reference, Reservation.part_number, Reservation.location,
                                      Reservation.quantity).where(Reservation.status == "active")).all()
        ledger = dict(session.execute(
            select(func.concat(Movement.part_number, "@", Movement.location), func.sum(Movement.reserved_change))
            .group_by(Movement.part_number, Movement.location)).all())
        balances = dict(session.execute(
            select(func.concat(PartStock.part_number, "@", PartStock.location), func.sum(LotBalance.reserved))
            .join(LotBalance, LotBalance.part_stock_id == PartStock.id)
            .group_by(PartStock.part_number, PartStock.location)).all())
    by_quote: dict[str, list] = defaultdict(list)
    reserved: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for reference, number, location, quantity in held:
        by_quote[reference].append((number, location, quantity))
        reserved[(number, location)] += quantity
    for n, (status, body) in answers.items():
        if status == 201:
            asked = [(line["part_number"], Decimal(line["quantity"])) for line in quotes[n]]
            assert sorted((number, quantity) for number, _, quantity in by_quote[f"RO-{n}"]) == sorted(asked)
            for line, made in zip(quotes[n], body["reservations"]):
                assert made["location"] == line.get("location", made["location"])
        else:
            assert f"RO-{n}" not in by_quote
    for (number, location), on_hand in STOCK.items():
        assert reserved[(number, location)] <= on_hand, (number, location)  # never oversold
        key = f"{number}@{location}"
        assert balances[key] == ledger.get(key, 0) == reserved[(number, location)]
