"""The warranty desk (索赔): the claims queue, filing a claim from a repair order, the claim
with its history, appeal and payment, the claim printed; the warranty manager's decisions,
supplier recoveries (供应商索赔) and reports (索赔统计).

One blueprint; each screen's views live in their own module and register on it.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("warranty", __name__, url_prefix="/warranty", template_folder="templates")

# Importing the screens' modules registers their views on bp.
from console.warranty import claim, decision, filing, parts_warranty, queue, recoveries, reports  # noqa: E402,F401
