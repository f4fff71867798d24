"""Reports for the service manager (投诉统计): what complaints are about, how fast and how well
they are handled, what causes them, and which parts and lots they name.

Each report covers the complaints received in a period (dates in the dealer's calendar, both
ends included). Counts are SQL aggregates (GROUP BY), the same on PostgreSQL and SQLite. SLA
compliance and time to resolve are read with the domain's own clock arithmetic, because they
count business time in the dealer's calendar, which SQL cannot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, raiseload, selectinload

from shared.stats import percentile

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import Category, Severity
from complaints.domain.complaint import Complaint, Status
from complaints.domain.resolution import HIGHEST_SATISFACTION, LOWEST_SATISFACTION
from complaints.domain.sla import ClockStatus, SlaClock
from complaints.queries.complaints import ClockReading, calendar

UNCLASSIFIED = "unclassified"
# A clock's state as the report counts it: paused counts as still running.
OUTCOMES = {ClockStatus.MET: "met", ClockStatus.BREACHED: "missed", ClockStatus.RUNNING: "running",
            ClockStatus.PAUSED: "running", ClockStatus.NOT_SET: "not_set"}


@dataclass(frozen=True)
class Period:
    """Complaints received from the start of `received_from` to the end of `received_to`."""

    received_from: date | None
    received_to: date | None

    def of(self, statement: Select, dealer_calendar: BusinessCalendar) -> Select:
        zone = dealer_calendar.zone
        if self.received_from is not None:
            statement = statement.where(
                Complaint.received_at >= datetime.combine(self.received_from, time(0), zone))
        if self.received_to is not None:
            statement = statement.where(
                Complaint.received_at < datetime.combine(self.received_to + timedelta(days=1), time(0), zone))
        return statement


def _counted(session: Session, period: Period, dealer_calendar: BusinessCalendar, column, *conditions,
             also=(), limit: int | None = None) -> list[tuple]:
    """(value, `also` values..., complaints) per value of `column` (and of `also`) in the period,
    most complaints first; the first `limit` of them."""
    columns = (column, *also)
    statement = select(*columns, func.count()).where(*conditions).group_by(*columns).order_by(
        func.count().desc(), *columns).limit(limit)
    return [tuple(row) for row in session.execute(period.of(statement, dealer_calendar))]


def _value(member) -> str:
    return member.value if member is not None else UNCLASSIFIED


def _tally(rows: Iterable[tuple], every: Sequence[str]) -> dict[str, int]:
    """Counts per value, every known value present (0 if none)."""
    counts = dict.fromkeys(every, 0)
    for value, count in rows:
        counts[_value(value)] = count
    return counts


def counts(session: Session, period: Period, reading: ClockReading) -> dict:
    """How many complaints, by category, severity and status."""
    dealer_calendar = calendar(session, reading.timezone)
    by_status = _tally(_counted(session, period, dealer_calendar, Complaint.status), [s.value for s in Status])
    return {
        "total": sum(by_status.values()),
        "by_category": _tally(_counted(session, period, dealer_calendar, Complaint.category),
                              [c.value for c in Category] + [UNCLASSIFIED]),
        "by_severity": _tally(_counted(session, period, dealer_calendar, Complaint.severity),
                              [s.value for s in Severity] + [UNCLASSIFIED]),
        "by_status": by_status,
    }


def _complaints(session: Session, period: Period, dealer_calendar: BusinessCalendar,
                *conditions) -> Iterable[Complaint]:
    """The complaints themselves with their pauses only, for the clock arithmetic."""
    statement = select(Complaint).where(*conditions).options(selectinload(Complaint.pauses), raiseload("*"))
    return session.scalars(period.of(statement, dealer_calendar)).all()


def sla_compliance(session: Session, period: Period, reading: ClockReading) -> list[dict]:
    """Per clock: how many met it, missed it, are still running, or (resolution) have no date
    promised yet. Merged duplicates are left out: their original counts."""
    dealer_calendar, reading = calendar(session, reading.timezone), reading.for_dealer(session)
    tally = {clock: dict.fromkeys(("met", "missed", "running", "not_set"), 0) for clock in SlaClock}
    for complaint in _complaints(session, period, dealer_calendar, Complaint.status != Status.MERGED):
        for state in complaint.clocks(dealer_calendar, reading.targets, reading.now):
            tally[state.clock][OUTCOMES[state.status]] += 1
    return [
        {"clock": clock.value, **counted,
         "met_rate": round(counted["met"] / decided, 3) if (decided := counted["met"] + counted["missed"]) else None}
        for clock, counted in tally.items()
    ]


def _spread(hours: list[float]) -> dict:
    return {"median": _hours(percentile(hours, 0.5)), "p90": _hours(percentile(hours, 0.9))}


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def resolution_times(session: Session, period: Period, reading: ClockReading) -> dict:
    """From receipt to resolution, for complaints resolved (and not reopened since): in wall-clock
    hours, and in business hours of the dealer's calendar less the time paused."""
    dealer_calendar = calendar(session, reading.timezone)
    resolved = _complaints(session, period, dealer_calendar, Complaint.resolved_at.is_not(None))
    wall, business = [], []
    for complaint in resolved:
        wall.append((complaint.resolved_at - complaint.received_at).total_seconds() / 3600)
        pauses = [(pause.since, pause.until) for pause in complaint.pauses]
        business.append(dealer_calendar.elapsed(complaint.received_at, complaint.resolved_at, pauses)
                        .total_seconds() / 3600)
    return {"resolved": len(wall), "wall_hours": _spread(wall), "business_hours": _spread(business)}


def satisfaction(session: Session, period: Period, reading: ClockReading) -> dict:
    """The customers' latest rating of the resolution (1–5): how many rated, the mean, how many gave each."""
    rows = _counted(session, period, calendar(session, reading.timezone), Complaint.satisfaction,
                    Complaint.satisfaction.is_not(None))
    distribution = {str(score): 0 for score in range(LOWEST_SATISFACTION, HIGHEST_SATISFACTION + 1)}
    distribution.update({str(score): count for score, count in rows})
    rated = sum(count for _score, count in rows)
    total = sum(score * count for score, count in rows)
    return {"rated": rated, "mean": round(total / rated, 2) if rated else None, "distribution": distribution}


def root_causes(session: Session, period: Period, reading: ClockReading, limit: int) -> list[dict]:
    """The most frequent root causes found, most first."""
    rows = _counted(session, period, calendar(session, reading.timezone), Complaint.root_cause,
                    Complaint.root_cause.is_not(None), limit=limit)
    return [{"root_cause": cause.value, "complaints": count} for cause, count in rows]


def parts(session: Session, period: Period, reading: ClockReading, limit: int) -> dict:
    """The part numbers and lots complaints name most. Complaints do not record the supplier;
    parts keeps supplier quality (it counts product-quality complaints per lot's supplier)."""
    dealer_calendar = calendar(session, reading.timezone)
    by_part = _counted(session, period, dealer_calendar, Complaint.part_number, Complaint.part_number.is_not(None),
                       limit=limit)
    by_lot = _counted(session, period, dealer_calendar, Complaint.lot, Complaint.lot.is_not(None),
                      also=(Complaint.part_number,), limit=limit)
    return {
        "by_part": [{"part_number": part, "complaints": count} for part, count in by_part],
        "by_lot": [{"lot": lot, "part_number": part, "complaints": count} for lot, part, count in by_lot],
    }
