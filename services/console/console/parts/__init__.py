"""The parts counter (配件柜台): quote, counter sale, issue, receive, stock and lots, count, reorder;
the parts manager's pricing, promotions and sales reports.

One blueprint; each screen's views live in their own module and register on it.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("parts", __name__, url_prefix="/parts", template_folder="templates")
# What a slip, a pick list or a sales receipt prints on: A4, or 80 mm receipt paper.
PAPERS = ("a4", "receipt")

from console.parts import (  # noqa: E402,F401  (registers the views on bp)
    counts,
    issue,
    pricing,
    pricing_reports,
    promotions,
    quote,
    receive,
    reorder,
    sale,
    stock,
)
