"""Reserving a whole quote at once (整单预留): every line or none, never more than is there."""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS
from shared.events.tables import outbox

from parts.domain.stock import LotBalance, Movement, PartStock, Reservation

BATCH = "/api/v1/reservations/batch"


def _quote(*lines, for_kind="repair_order", for_reference="RO-100", **extra) -> dict:
    return {"for_kind": for_kind, "for_reference": for_reference, "lines": list(lines), **extra}


def _line(part="PADS", quantity="1", **extra) -> dict:
    return {"part_number": part, "quantity": quantity, **extra}


def test_every_line_of_a_quote_is_reserved_as_if_reserved_alone(client, desk):
    pads = desk.receive(desk.line(quantity="4")).get_json()["lines"][0]["lot"]
    desk.receive(desk.line("OIL", "20"), desk.line("OIL", "5", location="BODY"))

    response = client.post(BATCH, json=_quote(_line(quantity="2"), _line("OIL", "4.5"), _line("OIL", "1", location="BODY")),
                           headers=desk.headers)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["for_kind"], body["for_reference"]) == ("repair_order", "RO-100")
    reserved = body["reservations"]
    assert [(r["part_number"], r["location"], r["quantity"], r["status"], r["for_reference"]) for r in reserved] == [
        ("PADS", "MAIN", "2.000", "active", "RO-100"), ("OIL", "MAIN", "4.500", "active", "RO-100"),
        ("OIL", "BODY", "1.000", "active", "RO-100")]
    assert len({r["number"] for r in reserved}) == 3
    assert reserved[0]["allocations"] == [{"lot": pads, "quantity": "2.000"}]
    for r in reserved:  # each one is a reservation like any other
        assert client.get(f"/api/v1/reservations/{r['number']}", headers=desk.headers).get_json() == r
    assert (desk.available("PADS"), desk.available("OIL"), desk.available("OIL", "BODY")) == (2, 15.5, 4)
    assert sorted((e["reservation"], e["part_number"], e["location"], e["quantity"], e["for_reference"])
                  for e in desk.events("parts.stock.reserved")) == sorted(
        (r["number"], r["part_number"], r["location"], r["quantity"], "RO-100") for r in reserved)


def test_a_quote_that_cannot_be_met_names_every_short_line_and_reserves_nothing(client, desk):
    desk.receive(desk.line(quantity="4"), desk.line("OIL", "3"))

    response = client.post(BATCH, json=_quote(_line(quantity="3"), _line("OIL", "5"), _line(quantity="2")),
                           headers=desk.headers)

    assert response.status_code == 409
    problem = response.get_json()
    assert problem["code"] == "insufficient_stock"
    # PADS: the first line takes 3 of the 4, so the third line is short too.
    assert [(x["line"], x["field"], x["part_number"], x["location"], x["asked"], x["available"])
            for x in problem["lines"]] == [(1, "lines.1.quantity", "OIL", "MAIN", "5.000", "3.000"),
                                           (2, "lines.2.quantity", "PADS", "MAIN", "2.000", "1.000")]
    assert set(problem["errors"]) == {"lines.1.quantity", "lines.2.quantity"}
    assert "nothing was reserved" in problem["detail"]
    assert (desk.available("PADS"), desk.available("OIL")) == (4, 3)
    assert client.get("/api/v1/reservations", headers=desk.headers).get_json()["items"] == []
    ledger = client.get("/api/v1/ledger", headers=desk.headers).get_json()["items"]
    assert {m["kind"] for m in ledger} == {"receipt"}
    assert desk.events("parts.stock.reserved") == []


def test_a_high_value_part_for_an_appointment_needs_its_deposit_on_its_line(client, desk):
    desk.receive(desk.line("ECU", "2"), desk.line(quantity="4"))
    lines = [_line(quantity="1"), _line("ECU", "1", deposit="4000.00")]

    short = client.post(BATCH, json=_quote(*lines, for_kind="appointment", for_reference="AP-7"), headers=desk.headers)

    assert short.status_code == 422
    problem = short.get_json()
    assert (problem["code"], problem["field"], problem["required"], problem["part_number"]) == (
        "deposit_required", "lines.1.deposit", "4400.00", "ECU")
    assert list(problem["errors"]) == ["lines.1.deposit"]
    assert desk.available("PADS") == 4 and desk.available("ECU") == 2

    lines[1]["deposit"] = "4400.00"
    paid = client.post(BATCH, json=_quote(*lines, for_kind="appointment", for_reference="AP-7"), headers=desk.headers)
    assert paid.status_code == 201, paid.get_json()
    assert [r["deposit"] for r in paid.get_json()["reservations"]] == [None, "4400.00"]


def test_a_bad_line_is_named_and_nothing_is_reserved(client, desk):
    desk.receive(desk.line(quantity="4"))
    cases = [
        (_line("NOPE"), 404, "part_not_found", "lines.1.part_number"),
        (_line("OIL", "1", location="ATTIC"), 404, "location_not_found", "lines.1.location"),
        (_line(quantity="1.5"), 422, "quantity_too_precise", "lines.1.quantity"),
    ]
    for bad, status, code, field in cases:
        response = client.post(BATCH, json=_quote(_line(quantity="1"), bad), headers=desk.headers)
        assert (response.status_code, response.get_json()["code"], response.get_json()["field"]) == (status, code, field)
    malformed = client.post(BATCH, json=_quote(_line(quantity="1"), {"part_number": "PADS"}), headers=desk.headers)
    assert malformed.status_code == 422 and list(malformed.get_json()["errors"]) == ["lines.1.quantity"]
    empty = client.post(BATCH, json=_quote(), headers=desk.headers)
    assert empty.status_code == 422 and "lines" in empty.get_json()["errors"]
    assert desk.available("PADS") == 4 and desk.events("parts.stock.reserved") == []


def test_a_retried_quote_with_the_same_idempotency_key_reserves_once(client, desk):
    desk.receive(desk.line(quantity="4"))
    headers = {**desk.headers, "Idempotency-Key": "quote-RO-100-1"}

    first = client.post(BATCH, json=_quote(_line(quantity="2")), headers=headers)
    again = client.post(BATCH, json=_quote(_line(quantity="2")), headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert desk.available("PADS") == 2
    assert len(desk.events("parts.stock.reserved")) == 1


def test_only_parts_staff_reserve_a_quote(client, desk, token):
    response = client.post(BATCH, json=_quote(_line()), headers=token(["service_advisor"]))
    assert response.status_code == 403


# ---------------------------------------------------------------- many clerks at once

PARTS = {"PADS": 10, "DISC": 7, "OIL": 12, "FILTER": 5}
QUOTES = 32


def test_parallel_quotes_over_shared_parts_never_oversell_and_are_all_or_nothing(real_infra, service):
    """32 clerks reserve whole quotes at the same moment, each over two to four of the same four
    parts, listed in different orders (a deadlock would show as a 500). Every quote gets all its
    lines or none; the balances, the reservations, the ledger and the events agree."""
    settings = real_infra.settings(service)
    app = service.create_app(settings)
    clerk = {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk", "D001", ["parts_clerk"])}
    manager = {"Authorization": "Bearer " + mint(settings.jwt_secret, "manager", "D001", ["parts_manager"])}
    setup = app.test_client()
    assert setup.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=manager).status_code == 201
    setup.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=manager)
    for number, on_hand in PARTS.items():
        setup.post("/api/v1/parts", json={"part_number": number, "name_en": number, "category": "general",
                                          "unit": "pcs", "source": "oem", "list_price": "10.00"}, headers=clerk)
        half = on_hand // 2  # two lots each, so allocations cross a lot boundary
        for quantity in (half, on_hand - half):
            assert setup.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
                {"part_number": number, "quantity": str(quantity), "unit_cost": "5.00", "location": "MAIN",
                 "inspection": "passed"}]}, headers=clerk).status_code == 201

    draw = random.Random(20261215)
    quotes = []
    for n in range(QUOTES):
        chosen = draw.sample(sorted(PARTS), draw.randint(2, 4))  # a different order each time
        quotes.append({number: draw.randint(1, 3) for number in chosen})
    start = threading.Barrier(QUOTES)
    answers: dict[int, tuple[int, dict]] = {}

    def clerk_reserves(n: int) -> None:
        client = app.test_client()
        lines = [{"part_number": number, "quantity": str(quantity)} for number, quantity in quotes[n].items()]
        start.wait()
        response = client.post(BATCH, json=_quote(*lines, for_reference=f"RO-{n}"), headers=clerk)
        answers[n] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=clerk_reserves, args=(n,)) for n in range(QUOTES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert len(answers) == QUOTES
    statuses = Counter(status for status, _ in answers.values())
    assert set(statuses) <= {201, 409}, answers
    assert statuses[201] > 0 and statuses[409] > 0, statuses  # the stock is contended: some must lose
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        held = session.execute(select(Reservation.for_reference, Reservation.part_number, Reservation.quantity)
                               .where(Reservation.status == "active")).all()
        ledger = dict(session.execute(select(Movement.part_number, func.sum(Movement.reserved_change))
                                      .group_by(Movement.part_number)).all())
        balances = dict(session.execute(
            select(PartStock.part_number, func.sum(LotBalance.reserved))
            .join(LotBalance, LotBalance.part_stock_id == PartStock.id).group_by(PartStock.part_number)).all())
        lots_within = session.scalar(select(func.count()).select_from(LotBalance)
                                     .where(LotBalance.reserved > LotBalance.on_hand))
        reserved_events = session.scalar(select(func.count()).select_from(outbox)
                                         .where(outbox.c.type == "parts.stock.reserved"))
    by_quote: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for reference, number, quantity in held:
        by_quote[reference][number] = quantity
    for n, (status, body) in answers.items():
        asked = {number: Decimal(quantity) for number, quantity in quotes[n].items()}
        if status == 201:
            assert by_quote[f"RO-{n}"] == asked  # every line
            assert {r["part_number"]: Decimal(r["quantity"]) for r in body["reservations"]} == asked
        else:
            assert f"RO-{n}" not in by_quote  # no line
            assert body["code"] == "insufficient_stock" and body["lines"]
    reserved = defaultdict(Decimal)
    for lines in by_quote.values():
        for number, quantity in lines.items():
            reserved[number] += quantity
    for number, on_hand in PARTS.items():
        assert reserved[number] <= on_hand  # never oversold
        assert balances[number] == ledger.get(number, 0) == reserved[number]
    assert lots_within == 0
    assert reserved_events == len(held) == sum(len(quotes[n]) for n, (s, _) in answers.items() if s == 201)
    stock = setup.get("/api/v1/stock", query_string={"limit": 200}, headers=clerk).get_json()["items"]
    assert all(Decimal(b["available"]) >= 0 for b in stock)
