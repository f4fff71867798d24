"""Reading the catalog. Sessions are dealer-scoped.

The desk types part numbers as they come: from a label, a phone call, a scanner. A number is
found whatever its hyphens, spaces and case ("04465 33450", "0446533450" find 04465-33450),
and a name in simplified or traditional characters (刹车片 finds 剎車片 and the other way round).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from opencc import OpenCC
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from parts.domain.catalog import Fitment, Part, PartChange
from parts.domain.errors import PartNotFound, PartNumberAmbiguous


def part(session: Session, part_number: str) -> Part:
    """The part with this number, or the one part it stands for as typed (see `catalog_numbers`)."""
    return session.scalars(select(Part).where(Part.part_number == _catalog_number(session, part_number))).one()


def _catalog_number(session: Session, part_number: str) -> str:
    """The catalog's number for the one part this stands for as typed, or why there is none."""
    matches = catalog_numbers(session, [part_number]).get(part_number, [])
    if not matches:
        raise PartNotFound(part_number)
    if len(matches) > 1:
        raise PartNumberAmbiguous(part_number, matches)
    return matches[0]


def number_spelling(text: str) -> str:
    """A part number with what does not tell numbers apart taken out: hyphens, spaces, case."""
    return re.sub(r"[\s-]+", "", text).lower()


def _spelling(column):
    # The same in SQL: stored numbers have no spaces, only hyphens to take out.
    return func.replace(func.lower(column), "-", "")


def catalog_numbers(session: Session, asked: Iterable[str]) -> dict[str, list[str]]:
    """The catalog's number for each asked one: the number itself; else the one number that
    differs only in case (numbers are unique ignoring case); else every number that is the same
    ignoring hyphens, spaces and case (more than one: the clerk must say which). Numbers the
    catalog has in no spelling are left out. At most three queries, however many are asked."""
    asked = set(asked)
    found = {n: [n] for n in session.scalars(select(Part.part_number).where(Part.part_number.in_(asked)))}
    missing = asked - set(found)
    if missing:
        by_case = dict(session.execute(select(Part.number_key, Part.part_number).where(
            Part.number_key.in_({n.lower() for n in missing}))).all())
        found.update({n: [by_case[n.lower()]] for n in missing if n.lower() in by_case})
        missing -= set(found)
    if missing:
        spellings = {n: number_spelling(n) for n in missing}
        same: dict[str, list[str]] = {}
        for number, spelled in session.execute(
                select(Part.part_number, _spelling(Part.part_number))
                .where(_spelling(Part.part_number).in_({s for s in spellings.values() if s}))):
            same.setdefault(spelled, []).append(number)
        found.update({n: sorted(same[spelled]) for n, spelled in spellings.items() if spelled in same})
    return found


@cache
def _chinese_scripts() -> tuple[OpenCC, ...]:
    # Built once per process (each loads its dictionaries); converting is read-only afterwards.
    return tuple(OpenCC(conversion) for conversion in ("t2s", "s2t", "s2tw", "s2hk"))


def name_spellings(text: str) -> set[str]:
    """The text as written, in simplified characters and in traditional ones (刹车片, 剎車片)."""
    return {text, *(script.convert(text) for script in _chinese_scripts())}


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
        found_by = [Part.part_number.icontains(q, autoescape=True), Part.name_en.icontains(q, autoescape=True)]
        found_by += [Part.name_zh.icontains(spelling, autoescape=True) for spelling in sorted(name_spellings(q))]
        if spelled := number_spelling(q):
            found_by.append(_spelling(Part.part_number).contains(spelled, autoescape=True))
        statement = statement.where(or_(*found_by))
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


def history(session: Session, part_number: str, *, limit: int, cursor: str | None = None) -> Page:
    """The part's history (变更记录), newest first: who changed it, when, why and what, down to
    who created it (parts added before the history was kept begin with their first change)."""
    statement = select(PartChange).where(PartChange.part_number == _catalog_number(session, part_number))
    return keyset_page(session, statement, [PartChange.id], cursor, limit, descending=True)
