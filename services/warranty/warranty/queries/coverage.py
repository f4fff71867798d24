"""Reading coverage plans. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.domain.coverage import EVERY_MAKE, CoveragePlan, PlanType
from warranty.domain.errors import CoveragePlanNotFound


def plans(session: Session, *, limit: int, cursor: str | None = None, make: str | None = None,
          type: PlanType | None = None, active: bool | None = None) -> Page:  # noqa: A002 (the API's word)
    statement = select(CoveragePlan)
    if make is not None:  # a make's own plans and those for every make
        statement = statement.where(or_(CoveragePlan.make == make, CoveragePlan.make == EVERY_MAKE))
    if type is not None:
        statement = statement.where(CoveragePlan.type == type)
    if active is not None:
        statement = statement.where(CoveragePlan.active == active)
    return keyset_page(session, statement, [CoveragePlan.code], cursor, limit)


def plan(session: Session, code: str) -> CoveragePlan:
    found = session.scalars(select(CoveragePlan).where(CoveragePlan.code == code)).first()
    if found is None:
        raise CoveragePlanNotFound(code)
    return found
