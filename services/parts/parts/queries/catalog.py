"""Reading the catalog. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from parts.domain.catalog import Fitment, Part
from parts.domain.errors import PartNotFound


def part(session: Session, part_number: str) -> Part:
    found = session.scalars(select(Part).where(Part.part_number == part_number)).first()
    if found is None:
        raise PartNotFound(part_number)
    return found


def parts(
    session: Session,
    *,
    limit: int,
    cursor: str | None = None,
    category: str | None = None,
    source: str | None = None,
    safety_critical: bool | None = None,
    q: str | None = None,
    make: str | None = None,
    model: str | None = None,
    year: int | None = None,
    displacement=None,
) -> Page:
    """The catalog, filtered; make, model, year and displacement find the parts that fit a
    vehicle (make and model in any case: toyota finds Toyota)."""
    statement = select(Part)
    if category is not None:
        statement = statement.where(Part.category == category)
    if source is not None:
        statement = statement.where(Part.source == source)
    if safety_critical is not None:
        statement = statement.where(Part.safety_critical == safety_critical)
    if q:
        statement = statement.where(
            or_(
                Part.part_number.icontains(q, autoescape=True),
                Part.name_zh.icontains(q, autoescape=True),
                Part.name_en.icontains(q, autoescape=True),
            )
        )
    fits = []
    if make is not None:
        fits.append(func.lower(Fitment.make) == make.lower())
    if model is not None:
        fits.append(func.lower(Fitment.model) == model.lower())
    if year is not None:
        fits += [Fitment.year_from <= year, Fitment.year_to >= year]
    if displacement is not None:
        fits.append(or_(Fitment.displacement.is_(None), Fitment.displacement == displacement))
    if fits:
        statement = statement.where(Part.fitments.any(and_(*fits)))
    return keyset_page(session, statement, [Part.part_number], cursor, limit)
