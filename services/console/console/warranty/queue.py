"""The claims queue (索赔跟踪): the dealer's claims a tab at a time, each with how long it has
been where it is; the submitted ones are the manager's decisions to take, appeals and
pre-authorisation requests (预授权) among them; what the manager asked of a claim sent back for
information, and why a claim was appealed, rejected or cancelled. A VIN or a repair order finds
its claims in every status.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l

from console import forms
from console.warranty import bp, client, names

# The desk's tabs, in the order a claim goes through them, and what each asks the service for.
# An appeal submits a claim again: it is in the manager's queue with the submitted ones.
TABS = {
    "draft": {"status": "draft"},
    "submitted": {"status": "submitted"},
    "info_requested": {"status": "info_requested"},
    "appealed": {"status": "submitted", "appealed": "true"},
    "pre_authorisation": {"status": "submitted"},
    "approved": {"status": "approved"},
    "partially_approved": {"status": "partially_approved"},
    "paid": {"status": "paid"},
    "rejected": {"status": "rejected"},
    "cancelled": {"status": "cancelled"},
    "all": {},
}
# The API filters claims by status, not by type: this tab keeps the pre-authorisation requests
# (预授权) of each page of submitted claims, so a page may show fewer than it asked for.
OF_TYPE = {"pre_authorisation": "pre_authorisation"}
TAB_NAMES = {**names.CLAIM_STATUSES, "appealed": _l("Appealed"), "pre_authorisation": _l("Pre-authorisations"),
             "all": _l("All")}
TAB_ORDER = [(code, TAB_NAMES[code]) for code in TABS]
FILTERS = ("vin", "repair_order")


@bp.get("/claims")
def queue():
    args = request.args
    filters = {name: forms.text(args, name) for name in FILTERS}
    tab = forms.text(args, "status") or ("all" if any(filters.values()) else "submitted")
    if tab not in TABS:
        abort(404)
    page = client.claims({**filters, **TABS[tab]}, cursor=forms.text(args, "cursor") or None)
    claims = [claim for claim in page["items"] if tab not in OF_TYPE or claim["claim_type"] == OF_TYPE[tab]]
    return render_template("warranty/queue.html", claims=claims, next_cursor=page.get("next_cursor"),
                           tab=tab, filters=filters, tabs=TAB_ORDER, names=names)
