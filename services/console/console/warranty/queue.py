"""The claims queue (索赔跟踪): the dealer's claims a tab at a time, each with how long it has
been where it is; the submitted ones are the manager's decisions to take, appeals and
pre-authorisation requests (预授权) among them; what the manager asked of a claim sent back for
information, and why a claim was appealed, rejected or cancelled; the approved ones waiting for
the manufacturer's payment. The tabs of work to do put the claims waiting longest first, and
each tab that is a status says how many claims it holds. A VIN or a repair order finds its
claims in every status.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l

from console import forms
from console.auth.views import has_role
from console.warranty import bp, client, names

# The desk's tabs, in the order a claim goes through them, and what each asks the service for.
# An appeal submits a claim again: it is in the manager's queue with the submitted ones. The
# tabs of work still to do show the claims unchanged longest first, the others the newest first.
LONGEST_WAITING = {"sort": "updated_at"}
TABS = {
    "draft": {"status": ["draft"], **LONGEST_WAITING},
    "submitted": {"status": ["submitted"], **LONGEST_WAITING},
    "info_requested": {"status": ["info_requested"], **LONGEST_WAITING},
    "appealed": {"status": ["submitted"], "appealed": "true", **LONGEST_WAITING},
    "pre_authorisation": {"status": ["submitted"], "claim_type": "pre_authorisation", **LONGEST_WAITING},
    "waiting_for_payment": {"status": ["approved", "partially_approved"], **LONGEST_WAITING},
    "approved": {"status": ["approved"]},
    "partially_approved": {"status": ["partially_approved"]},
    "paid": {"status": ["paid"]},
    "rejected": {"status": ["rejected"]},
    "cancelled": {"status": ["cancelled"]},
    "all": {},
}
TAB_NAMES = {**names.CLAIM_STATUSES, "appealed": _l("Appealed"), "pre_authorisation": _l("Pre-authorisations"),
             "waiting_for_payment": _l("Waiting for payment"), "all": _l("All")}
TAB_ORDER = [(code, TAB_NAMES[code]) for code in TABS]
# A tab of claims of a type, or appealed, is a part of a status: the counts per status say nothing of it.
COUNTED = [code for code, asked in TABS.items() if set(asked) - {"sort"} == {"status"}]
FILTERS = ("vin", "repair_order")
# Who may read the counts per status (the warranty service's rule): the others see tabs without them.
COUNT_READERS = ("warranty_clerk", "warranty_manager", "service_manager")


@bp.get("/claims")
def queue():
    args = request.args
    filters = {name: forms.text(args, name) for name in FILTERS}
    tab = forms.text(args, "status") or ("all" if any(filters.values()) else "submitted")
    if tab not in TABS:
        abort(404)
    page = client.claims({**filters, **TABS[tab]}, cursor=forms.text(args, "cursor") or None)
    return render_template("warranty/queue.html", claims=page["items"], next_cursor=page.get("next_cursor"),
                           tab=tab, filters=filters, tabs=TAB_ORDER, counts=_counts(), names=names)


def _counts() -> dict[str, int]:
    """How many claims each tab holds, for the tabs that are whole statuses (and all of them)."""
    if not has_role(*COUNT_READERS):
        return {}
    per_status = client.claims_per_status()
    counts = {code: sum(per_status.get(status, 0) for status in TABS[code]["status"]) for code in COUNTED}
    return {**counts, "all": sum(per_status.values())}
