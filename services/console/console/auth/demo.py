"""The demo users of the development sign-in: one per desk, as `make run` prints them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class DemoUser:
    sub: str
    name: str
    roles: tuple[str, ...]
    desk: LazyString  # what the sign-in page says they do, in the reader's language


DEMO_USERS = (
    DemoUser("demo-parts-clerk", "李明", ("parts_clerk",), _l("Parts clerk")),
    DemoUser("demo-parts-clerk-2", "周杰", ("parts_clerk",), _l("Parts clerk")),
    DemoUser("demo-parts-manager", "王芳", ("parts_manager",), _l("Parts manager")),
    DemoUser("demo-service-advisor", "张伟", ("service_advisor",), _l("Service advisor")),
    DemoUser("demo-warranty-clerk", "刘洋", ("warranty_clerk",), _l("Warranty clerk")),
    DemoUser("demo-warranty-manager", "陈静", ("warranty_manager",), _l("Warranty manager")),
    DemoUser("demo-complaints-agent", "赵丽", ("complaints_agent",), _l("Customer care")),
    DemoUser("demo-service-manager", "孙强", ("service_manager",), _l("Service manager")),
)


def demo_user(sub: str) -> DemoUser | None:
    return next((user for user in DEMO_USERS if user.sub == sub), None)
