"""The parts service's API as the counter uses it: one function per call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from console import backend
from console.backend import segment

SERVICE = "parts"


def locations() -> list[dict]:
    return backend.get(SERVICE, "/locations", {"limit": 200})["items"]


def find_parts(filters: Mapping[str, Any]) -> list[dict]:
    return backend.get(SERVICE, "/parts", {**filters, "limit": 25})["items"]


def quote(lines: Sequence[Mapping[str, Any]], location: str | None) -> dict:
    return backend.post(SERVICE, "/availability", {"lines": list(lines), "location": location or None})


def reserve_quote(body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, "/reservations/batch", dict(body), idempotency_key=idempotency_key)


def reservations_for(reference: str) -> list[dict]:
    filters = {"for_reference": reference, "status": "active", "limit": 200}
    return backend.get(SERVICE, "/reservations", filters)["items"]


def issues_for(repair_order: str) -> list[dict]:
    return backend.get(SERVICE, "/issues", {"repair_order": repair_order, "limit": 50})["items"]


def issue(body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, "/issues", dict(body), idempotency_key=idempotency_key)


def issue_slip(number: str) -> dict:
    return backend.get(SERVICE, f"/issues/{segment(number)}")


def take_back(number: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/issues/{segment(number)}/returns", dict(body), idempotency_key=idempotency_key)


def suppliers() -> list[dict]:
    return backend.get(SERVICE, "/suppliers", {"limit": 200})["items"]


def purchase_order(number: str) -> dict:
    return backend.get(SERVICE, f"/purchase-orders/{segment(number)}")


def receive(body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, "/receipts", dict(body), idempotency_key=idempotency_key)


def receipt(number: str) -> dict:
    return backend.get(SERVICE, f"/receipts/{segment(number)}")


# ---------------------------------------------------------------- stock, ledger, lots and traceability


def stock(filters: Mapping[str, Any], cursor: str | None, limit: int) -> dict:
    return backend.get(SERVICE, "/stock", {**filters, "cursor": cursor, "limit": limit})


def stock_export() -> backend.Answer:
    return backend.download(SERVICE, "/stock/export")


def ledger(filters: Mapping[str, Any], cursor: str | None, limit: int) -> dict:
    return backend.get(SERVICE, "/ledger", {**filters, "cursor": cursor, "limit": limit})


def forward_trace(code: str) -> dict:
    return backend.get(SERVICE, f"/traceability/lots/{segment(code)}")


def backward_trace(filters: Mapping[str, Any]) -> list[dict]:
    return backend.get(SERVICE, "/traceability/fitted", filters)["fitted"]


def record_inspection(code: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/lots/{segment(code)}/inspection", dict(body), idempotency_key=idempotency_key)


def return_to_supplier(code: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/lots/{segment(code)}/supplier-returns", dict(body), idempotency_key=idempotency_key)


def put_on_hold(code: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/lots/{segment(code)}/quarantine", dict(body), idempotency_key=idempotency_key)


def release_hold(code: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/lots/{segment(code)}/release", dict(body), idempotency_key=idempotency_key)


# ---------------------------------------------------------------- counts (盘点), reorder (补货), purchase orders


def counts(filters: Mapping[str, Any], cursor: str | None = None, limit: int = 25) -> dict:
    return backend.get(SERVICE, "/counts", {**filters, "cursor": cursor, "limit": limit})


def open_count(body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, "/counts", dict(body), idempotency_key=idempotency_key)


def count(number: str) -> dict:
    return backend.get(SERVICE, f"/counts/{segment(number)}")


def record_count(number: str, lines: Sequence[Mapping[str, Any]]) -> dict:
    return backend.post(SERVICE, f"/counts/{segment(number)}/lines", {"lines": list(lines)})


def submit_count(number: str, idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/counts/{segment(number)}/submit", idempotency_key=idempotency_key)


def decide_count(number: str, approve: bool, note: str | None, idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/counts/{segment(number)}/decision", {"approve": approve, "note": note},
                        idempotency_key=idempotency_key)


def reorder_suggestions(location: str | None) -> list[dict]:
    return backend.get(SERVICE, "/reorder-suggestions", {"location": location})["items"]


def set_reorder_rule(body: Mapping[str, Any]) -> dict:
    return backend.post(SERVICE, "/reorder-rules", dict(body))


def purchase_orders(filters: Mapping[str, Any], cursor: str | None = None, limit: int = 25) -> dict:
    return backend.get(SERVICE, "/purchase-orders", {**filters, "cursor": cursor, "limit": limit})


def place_orders(orders: Sequence[Mapping[str, Any]], idempotency_key: str) -> list[dict]:
    """Every order or none (the service's one transaction)."""
    return backend.post(SERVICE, "/purchase-orders/batch", {"orders": list(orders)},
                        idempotency_key=idempotency_key)["orders"]


def cancel_order(number: str, idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/purchase-orders/{segment(number)}/cancel", idempotency_key=idempotency_key)


# ---------------------------------------------------------------- counter sales (配件销售)


def customer_groups() -> list[dict]:
    return backend.get(SERVICE, "/customer-groups")["items"]


def sales(filters: Mapping[str, Any], cursor: str | None = None, limit: int = 25) -> dict:
    return backend.get(SERVICE, "/sales", {**filters, "cursor": cursor, "limit": limit})


def open_sale(body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, "/sales", dict(body), idempotency_key=idempotency_key)


def sale(number: str) -> dict:
    return backend.get(SERVICE, f"/sales/{segment(number)}")


def sale_step(number: str, step: str, body: Mapping[str, Any], version: int | str, idempotency_key: str) -> dict:
    """Confirm, pay, complete, cancel or take back (`returns`), against the version the clerk read."""
    return backend.post(SERVICE, f"/sales/{segment(number)}/{step}", dict(body), version=version,
                        idempotency_key=idempotency_key)


# ---------------------------------------------------------------- price lists, promotions, sales reports (价格与促销)


def add_customer_group(body: Mapping[str, Any]) -> dict:
    return backend.post(SERVICE, "/customer-groups", dict(body))


def change_customer_group(code: str, body: Mapping[str, Any], version: int | str) -> dict:
    return backend.patch(SERVICE, f"/customer-groups/{segment(code)}", dict(body), version=version)


def group_prices(code: str) -> dict:
    """The group's own prices and the group's version (If-Match for changing them)."""
    return backend.get(SERVICE, f"/customer-groups/{segment(code)}/prices")


def set_group_price(code: str, part_number: str, price: str | None, version: int | str) -> dict:
    return backend.put(SERVICE, f"/customer-groups/{segment(code)}/prices/{segment(part_number)}",
                       {"price": price}, version=version)


def remove_group_price(code: str, part_number: str, version: int | str) -> dict:
    return backend.delete(SERVICE, f"/customer-groups/{segment(code)}/prices/{segment(part_number)}",
                          version=version)


def promotions() -> list[dict]:
    return backend.get(SERVICE, "/promotions")["items"]


def add_promotion(body: Mapping[str, Any]) -> dict:
    return backend.post(SERVICE, "/promotions", dict(body))


def promotion(code: str) -> dict:
    return backend.get(SERVICE, f"/promotions/{segment(code)}")


def change_promotion(code: str, body: Mapping[str, Any], version: int | str) -> dict:
    return backend.patch(SERVICE, f"/promotions/{segment(code)}", dict(body), version=version)


def end_promotion(code: str, version: int | str) -> dict:
    return backend.post(SERVICE, f"/promotions/{segment(code)}/end", version=version)


def promotion_effect(code: str) -> dict:
    return backend.get(SERVICE, f"/promotions/{segment(code)}/effect")


def sales_report(period: Mapping[str, str], group_by: str) -> dict:
    return backend.get(SERVICE, "/reports/sales", {**period, "group_by": group_by})


def returns_report(period: Mapping[str, str]) -> dict:
    return backend.get(SERVICE, "/reports/sale-returns", dict(period))
