"""The services' reports and lists as the service manager's desk reads them: one function per
call. A period is the console's (`from`, `to`: dealer's dates); each service is asked in its
own words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from console import backend


def escalated(cursor: str | None = None, limit: int = 25) -> dict:
    """Complaints escalated to the service manager, newest received first."""
    return backend.get("complaints", "/complaints", {"escalated": "true", "cursor": cursor, "limit": limit})


def complaints_report(name: str, period: Mapping[str, str], **extra: Any) -> dict:
    """One of the complaints service's reports over the complaints received in the period."""
    return backend.get("complaints", f"/reports/{name}",
                       {"received_from": period.get("from"), "received_to": period.get("to"), **extra})


def supplier_quality(period: Mapping[str, str]) -> list[dict]:
    """Parts: every supplier's field failures, complaints traced to its lots and rejected lots."""
    return backend.get("parts", "/reports/supplier-quality", dict(period))["items"]


def lots(codes: Iterable[str]) -> list[dict]:
    """Parts: several lots' part and supplier in one call (up to 100 codes)."""
    codes = sorted(set(codes))
    return backend.get("parts", "/lots", {"code": codes})["items"] if codes else []


def supplier_recoveries(period: Mapping[str, str]) -> list[dict]:
    """Warranty: per supplier and currency, the recoveries of the claims repaired in the period."""
    return backend.get("warranty", "/reports/supplier-recoveries", dict(period))["items"]


def parts_warranty_outcomes(period: Mapping[str, str]) -> list[dict]:
    """Warranty: per supplier, the parts-warranty cases opened in the period and how they went."""
    return backend.get("warranty", "/parts-warranty/reports/by-supplier", dict(period))["items"]
