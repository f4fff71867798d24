"""Reading promotions and customer groups' price lists. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parts.domain.errors import PromotionNotFound
from parts.domain.pricing import Promotion


def promotions(session: Session, *, status: str | None = None) -> list[Promotion]:
    """Newest period first."""
    statement = select(Promotion).order_by(Promotion.starts_on.desc(), Promotion.code)
    if status is not None:
        statement = statement.where(Promotion.status == status)
    return list(session.scalars(statement))


def promotion(session: Session, code: str) -> Promotion:
    found = session.scalars(select(Promotion).where(Promotion.code == code)).first()
    if found is None:
        raise PromotionNotFound(code)
    return found
