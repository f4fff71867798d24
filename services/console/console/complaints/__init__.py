"""The complaints desk (投诉处理): for now the review of the classifier's unsure readings
(分类复核); the rest of the desk grows here.

One blueprint; each screen's views live in their own module and register on it.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints", template_folder="templates")

from console.complaints import review  # noqa: E402,F401  (registers the views on bp)
from console.complaints import complaint  # noqa: E402,F401
from console.complaints import intake  # noqa: E402,F401
from console.complaints import worklists  # noqa: E402,F401
