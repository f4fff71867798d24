"""What the complaints service's codes are called at the desk, in the reader's language.

The service decides which categories, severities and channels there are; a code it sends that
is not named here shows as sent.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from console.formats import named  # noqa: F401  (the review's templates call it through here)

CATEGORIES = {
    "product_quality": _l("Product quality"),
    "after_sales_service": _l("After-sales service"),
    "logistics_delivery": _l("Logistics and delivery"),
    "contract_dispute": _l("Contract dispute"),
    "other": _l("Other"),
}

SEVERITIES = {
    "low": _l("Low"),
    "normal": _l("Normal"),
    "high": _l("High"),
    "critical": _l("Critical (safety)"),
}

CHANNELS = {
    "phone": _l("Phone"),
    "web": _l("Website"),
    "email": _l("Email"),
    "letter": _l("Letter"),
    "in_person": _l("In person"),
    "wechat": _l("WeChat"),
}
