"""The dealer's business calendar (营业日历) that SLA clocks count in, and the targets they count to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from shared.auth import Caller
from shared.errors import StaleVersion

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.complaint import Complaint
from complaints.domain.sla import SeverityTargets, SlaReading
from complaints.service.ports import ComplaintsUnitOfWork


def calendar_of(uow: ComplaintsUnitOfWork) -> BusinessCalendar:
    """The dealer's calendar, or the default one until its service manager sets it."""
    return uow.calendars.get() or BusinessCalendar.default(uow.dealer, uow.rules.timezone)


def targets_of(uow: ComplaintsUnitOfWork) -> SeverityTargets:
    """The dealer's SLA targets per severity; the configured defaults (SLA_*_HOURS) for the rest."""
    policy = uow.sla_policies.get()
    return policy.applied_to(uow.rules.sla) if policy else SeverityTargets(uow.rules.sla)


def sla_reading(uow: ComplaintsUnitOfWork, calendar: BusinessCalendar, now: datetime) -> SlaReading:
    """The calendar with the dealer's targets, at `now`: how a change to a complaint reads its clocks."""
    return SlaReading(calendar, targets_of(uow), now)


@dataclass(frozen=True)
class Changed:
    """A complaint as a change left it, and how the change read its clocks: the answer to the
    change reads them the same way, without loading the calendar and targets again."""

    complaint: Complaint
    sla: SlaReading


def reschedule(complaints: Iterable[Complaint], sla: SlaReading) -> None:
    """Note when the escalation sweep next needs to look at each complaint, its clocks read as `sla` reads them."""
    for complaint in complaints:
        complaint.reschedule(sla.calendar, sla.targets, sla.now)


def set_calendar(
    uow: ComplaintsUnitOfWork,
    caller: Caller,
    expected_version: int,
    *,
    timezone: str | None = None,
    hours: dict[str, Sequence[Sequence[str]]],
    holidays: Sequence[date] = (),
    make_up_days: Sequence[date] = (),
    make_up_hours: Sequence[Sequence[str]] = (),
) -> BusinessCalendar:
    """Replace the calendar as a whole; every open complaint's deadlines follow it."""
    with uow:
        now = uow.now()
        calendar = uow.calendars.get_for_update()
        StaleVersion.check(expected_version, calendar.version if calendar else 0)
        fields = dict(timezone=timezone or (calendar.timezone if calendar else uow.rules.timezone), hours=hours,
                      holidays=holidays, make_up_days=make_up_days, make_up_hours=make_up_hours, by=caller.sub,
                      at=now)
        if calendar is None:
            calendar = BusinessCalendar(caller.dealer, **fields)
            uow.calendars.add(calendar)
        else:
            calendar.change(**fields)
        _reschedule_open_complaints(uow, calendar)
        uow.commit()
    return calendar


def set_holiday(uow: ComplaintsUnitOfWork, caller: Caller, expected_version: int, day: date, *, on: bool
                ) -> BusinessCalendar:
    """Add (`on`) or remove one holiday, the rest of the calendar kept."""
    return _set_day(uow, caller, expected_version, day, holiday=True, on=on)


def set_make_up_day(uow: ComplaintsUnitOfWork, caller: Caller, expected_version: int, day: date, *, on: bool
                    ) -> BusinessCalendar:
    """Add (`on`) or remove one make-up working day (调休), the rest of the calendar kept."""
    return _set_day(uow, caller, expected_version, day, holiday=False, on=on)


def _set_day(uow: ComplaintsUnitOfWork, caller: Caller, expected_version: int, day: date, *, holiday: bool,
             on: bool) -> BusinessCalendar:
    with uow:
        now = uow.now()
        calendar = uow.calendars.get_for_update()
        StaleVersion.check(expected_version, calendar.version if calendar else 0)
        saved = calendar is not None
        calendar = calendar or BusinessCalendar.default(caller.dealer, uow.rules.timezone)
        if calendar.set_day(day, holiday=holiday, on=on, by=caller.sub, at=now):
            if not saved:
                uow.calendars.add(calendar)
            _reschedule_open_complaints(uow, calendar)
        uow.commit()  # also when nothing changed: the calendar read stays readable after
    return calendar


def _reschedule_open_complaints(uow: ComplaintsUnitOfWork, calendar: BusinessCalendar) -> None:
    """Every open complaint's deadlines follow the changed calendar."""
    sla = SlaReading(calendar, targets_of(uow), uow.now())
    reschedule(uow.complaints.open_for_update(), sla)
