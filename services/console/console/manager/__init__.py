"""The service manager's desk (服务经理): the escalations inbox (升级投诉), the complaints
reports (投诉统计) and the supplier scorecard (供应商评分), which sets the three services'
figures for each supplier side by side.

One blueprint; each screen's views live in their own module and register on it.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("manager", __name__, url_prefix="/manager", template_folder="templates")

# Importing the screens' modules registers their views on bp.
from console.manager import escalations, reports, scorecard  # noqa: E402,F401
