"""The service advisor's desk (服务顾问): is this repair covered? asked at write-up (保修判定).

One blueprint; each screen's views live in their own module and register on it.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("advisor", __name__, url_prefix="/advisor", template_folder="templates")

from console.advisor import coverage  # noqa: E402,F401  (registers the views on bp)
