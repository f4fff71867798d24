"""The dealer's business calendar (营业日历) that SLA clocks count in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from shared.auth import Caller
from shared.errors import StaleVersion

from complaints.adapters.unit_of_work import ComplaintsUnitOfWork
from complaints.domain.calendar import BusinessCalendar


def calendar_of(uow: ComplaintsUnitOfWork) -> BusinessCalendar:
    """The dealer's calendar, or the default one until its service manager sets it."""
    return uow.calendars.get() or BusinessCalendar.default(uow.dealer, uow.rules.timezone)


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
        for complaint in uow.complaints.open_for_update():
            complaint.reschedule(calendar, uow.rules.sla, now)
        uow.commit()
    return calendar
