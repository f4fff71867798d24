"""Many clerks reserving the same part at the same moment never get more than is there."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS

from parts.domain.stock import Movement, Reservation

ON_HAND = 25
CLIENTS = 40


def test_parallel_reservations_of_one_part_never_oversell(real_infra, service):
    settings = real_infra.settings(service)
    app = service.create_app(settings)

    def token(roles):
        return {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk", "D001", roles)}

    setup = app.test_client()
    manager, clerk = token(["parts_manager"]), token(["parts_clerk"])
    setup.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=manager)
    setup.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=manager)
    setup.post("/api/v1/parts", json={"part_number": "FILTER", "name_en": "Oil filter", "category": "filters",
                                      "unit": "pcs", "source": "oem", "list_price": "58.00"}, headers=clerk)
    for quantity in ("10", "15"):  # two lots, so allocation crosses a lot boundary too
        setup.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
            {"part_number": "FILTER", "quantity": quantity, "unit_cost": "30.00", "location": "MAIN",
             "inspection": "passed"}]}, headers=clerk)

    start = threading.Barrier(CLIENTS)
    statuses: list[int] = []

    def clerk_reserves(n: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/reservations", json={
            "part_number": "FILTER", "quantity": "1", "for_kind": "repair_order", "for_reference": f"RO-{n}"},
            headers=clerk)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=clerk_reserves, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert statuses.count(201) == ON_HAND
    assert statuses.count(409) == CLIENTS - ON_HAND
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        reserved = session.scalar(select(func.sum(Reservation.quantity)).where(Reservation.status == "active"))
        ledger_reserved = session.scalar(select(func.sum(Movement.reserved_change)))
    assert reserved == Decimal(ON_HAND) == ledger_reserved
    balances = setup.get("/api/v1/stock?part_number=FILTER", headers=clerk).get_json()["items"]
    assert sum(Decimal(b["reserved"]) for b in balances) == ON_HAND
    assert all(Decimal(b["reserved"]) <= Decimal(b["on_hand"]) for b in balances)
    assert sum(Decimal(b["available"]) for b in balances) == 0
