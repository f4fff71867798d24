"""The warranty service's API as the warranty desk uses it, and the parts service's issues of a
repair order to file a claim from: one function per call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from console import backend
from console.backend import segment

SERVICE = "warranty"


def claims(filters: Mapping[str, Any], cursor: str | None = None, limit: int = 25) -> dict:
    """`filters`: `status` a list of statuses, `claim_type`, `appealed`, `vin`, `repair_order`,
    `sort` (`updated_at`: the claims unchanged longest first)."""
    return backend.get(SERVICE, "/claims", {**filters, "cursor": cursor, "limit": limit})


def claims_per_status() -> dict[str, int]:
    """How many of the dealer's claims are in each status, whenever they were repaired."""
    return {row["status"]: row["count"] for row in report("claims-by-status", {})["items"]}


def claim(number: str) -> dict:
    return backend.get(SERVICE, f"/claims/{segment(number)}")


def file_claim(body: Mapping[str, Any], idempotency_key: str) -> dict:
    """A new claim, as a draft (the rules are checked by `check`, and when it is submitted)."""
    return backend.post(SERVICE, "/claims", dict(body), idempotency_key=idempotency_key)


def edit_claim(number: str, body: Mapping[str, Any], version: int | str) -> dict:
    return backend.patch(SERVICE, f"/claims/{segment(number)}", dict(body), version=version)


def check(number: str) -> dict:
    """What submitting would say, changing nothing: every problem (field, line from 0), whether
    it may be submitted, and what it would be flagged for."""
    return backend.post(SERVICE, f"/claims/{segment(number)}/check")


def submit(number: str, idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/claims/{segment(number)}/submit", idempotency_key=idempotency_key)


def appeal(number: str, reason: str | None, idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/claims/{segment(number)}/appeal", {"reason": reason},
                        idempotency_key=idempotency_key)


def cancel(number: str, reason: str | None, idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/claims/{segment(number)}/cancel", {"reason": reason},
                        idempotency_key=idempotency_key)


def record_payment(number: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/claims/{segment(number)}/payment", dict(body), idempotency_key=idempotency_key)


def request_info(number: str, asked: str | None, idempotency_key: str) -> dict:
    """Back to the clerk with what the manager asks for (补充资料)."""
    return backend.post(SERVICE, f"/claims/{segment(number)}/request-info", {"reason": asked},
                        idempotency_key=idempotency_key)


def decide(number: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    """The manager's decision, every line with its approved amount (and why less)."""
    return backend.post(SERVICE, f"/claims/{segment(number)}/decision", dict(body), idempotency_key=idempotency_key)


def attachments(number: str) -> list[dict]:
    return backend.get(SERVICE, f"/claims/{segment(number)}/attachments", {"limit": 100})["items"]


def attach(number: str, facts: Mapping[str, Any], file: tuple[str, bytes, str] | None, idempotency_key: str) -> dict:
    """A photo, the repair order's scan or the pre-authorisation letter (`file`: name, bytes,
    type; None: no file chosen, for the service to say so)."""
    return backend.upload(SERVICE, f"/claims/{segment(number)}/attachments", {"file": file} if file else {},
                          facts, idempotency_key=idempotency_key)


def attachment_file(number: str, attachment_id: str) -> backend.Answer:
    return backend.download(SERVICE, f"/claims/{segment(number)}/attachments/{segment(attachment_id)}")


def coverage_plans() -> list[dict]:
    return backend.get(SERVICE, "/coverage-plans", {"active": "true", "limit": 100})["items"]


def labour_operations() -> list[dict]:
    """The labour operations (工时项目) with their standard hours (工时定额), by code."""
    return backend.get(SERVICE, "/labour-operations")["items"]


# ---------------------------------------------------------------- supplier recoveries (供应商索赔)

# The steps a recovery takes, as the API's paths name them.
RECOVERY_STEP_PATHS = {"charge": "charge", "dispute": "dispute", "recover": "recover", "write_off": "write-off"}


def recoveries(filters: Mapping[str, Any], cursor: str | None = None, limit: int = 25) -> dict:
    return backend.get(SERVICE, "/supplier-recoveries", {**filters, "cursor": cursor, "limit": limit})


def recovery(claim_number: str) -> dict:
    return backend.get(SERVICE, f"/supplier-recoveries/{segment(claim_number)}")


def adjust_recovery(claim_number: str, body: Mapping[str, Any], version: int | str) -> dict:
    """A new amount by part (parts, labour, handling), with the reason."""
    return backend.patch(SERVICE, f"/supplier-recoveries/{segment(claim_number)}", dict(body), version=version)


def take_recovery_step(claim_number: str, step: str, body: Mapping[str, Any], version: int | str) -> dict:
    """Charge, dispute, recover or write off, against the version the manager read."""
    path = f"/supplier-recoveries/{segment(claim_number)}/{RECOVERY_STEP_PATHS[step]}"
    return backend.post(SERVICE, path, dict(body), version=version)


# ---------------------------------------------------------------- reports (索赔统计)


def report(name: str, period: Mapping[str, Any]) -> dict:
    """One of the reports (`claims-by-status`, `cycle-times` …) over a period of repair dates."""
    return backend.get(SERVICE, f"/reports/{segment(name)}", period)


# ---------------------------------------------------------------- the parts the repair order used


def issues_for(repair_order: str) -> list[dict]:
    """The parts service's issue slips (领料单) of the repair order: part, lot, quantity."""
    return backend.get("parts", "/issues", {"repair_order": repair_order, "limit": 50})["items"]


def list_prices(part_numbers: Iterable[str]) -> dict[str, dict]:
    """The catalog's price of each part, by number (an issue slip carries no price)."""
    lines = [{"part_number": number, "quantity": "1"} for number in dict.fromkeys(part_numbers)]
    if not lines:
        return {}
    answer = backend.post("parts", "/availability", {"lines": lines, "location": None})
    return {line["part_number"]: line for line in answer["lines"] if line.get("found")}


# ---------------------------------------------------------------- the parts warranty (配件保修)

# The steps of a parts-warranty case, as the API's paths name them.
PARTS_WARRANTY_STEP_PATHS = {"assess": "assess", "decide": "decide", "complete": "complete",
                             "follow_up": "follow-up"}


def parts_warranty_policy() -> dict:
    return backend.get(SERVICE, "/parts-warranty/policy")


def set_parts_warranty_policy(body: Mapping[str, Any], version: int | str) -> dict:
    """The whole policy, against the version the manager read ("0" before the first save)."""
    return backend.put(SERVICE, "/parts-warranty/policy", dict(body), version=version)


def sold_parts(filters: Mapping[str, Any], limit: int = 50) -> list[dict]:
    """`filters`: `sale`, `part_number`, `customer_id` or `vin`; the latest sold first."""
    return backend.get(SERVICE, "/parts-warranty/sold-parts", {**filters, "limit": limit})["items"]


def parts_warranty_cases(filters: Mapping[str, Any], cursor: str | None = None, limit: int = 25) -> dict:
    """`filters`: `status`, `supplier`, `sale`, `from` and `to` (the day opened)."""
    return backend.get(SERVICE, "/parts-warranty/cases", {**filters, "cursor": cursor, "limit": limit})


def parts_warranty_case(number: str) -> dict:
    return backend.get(SERVICE, f"/parts-warranty/cases/{segment(number)}")


def open_parts_warranty_case(body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, "/parts-warranty/cases", dict(body), idempotency_key=idempotency_key)


def take_parts_warranty_step(number: str, step: str, body: Mapping[str, Any], version: int | str) -> dict:
    """Assess, decide, complete or follow up, against the version the clerk read."""
    path = f"/parts-warranty/cases/{segment(number)}/{PARTS_WARRANTY_STEP_PATHS[step]}"
    return backend.post(SERVICE, path, dict(body), version=version)


def recovery_if_any(claim_number: str) -> dict | None:
    """The supplier recovery a claim or a parts-warranty case opened, or None."""
    try:
        return recovery(claim_number)
    except backend.ApiProblem as refused:
        if refused.status == 404:
            return None
        raise


def parts_warranty_by_supplier(period: Mapping[str, Any]) -> list[dict]:
    """Cases per supplier and how they went, over `from`–`to` (the day opened)."""
    return backend.get(SERVICE, "/parts-warranty/reports/by-supplier", period)["items"]
