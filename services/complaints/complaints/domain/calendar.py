"""A dealer's business calendar (营业日历): working hours per weekday, public holidays and make-up
working days (调休), and business time counted in it.

SLA clocks count business time only: the minutes inside working hours, less the time a
complaint waited for the customer or a supplier.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.model import DealerOwned

from complaints.domain.errors import InvalidCalendar, OverlappingHours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Mon–Fri 09:00–12:00 and 13:00–18:00: eight working hours a day, until the dealer sets its own.
DEFAULT_HOURS = {day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in WEEKDAYS[:5]}
# Clocks look this far ahead for working time before giving up (a calendar with no working day).
HORIZON_DAYS = 3 * 366

# A working period as time since the day's midnight: a day worked to its end closes at 24:00,
# which no `time` can hold.
Span = tuple[timedelta, timedelta]
Interval = tuple[datetime, datetime | None]  # a pause still open has no end
END_OF_DAY = timedelta(hours=24)


def _time(text: str, field: str) -> timedelta:
    if text == "24:00":
        return END_OF_DAY
    try:
        of_day = time.fromisoformat(text)
    except (TypeError, ValueError):
        raise InvalidCalendar(f"{text!r} is not a time of day such as 09:00", field=field) from None
    return timedelta(hours=of_day.hour, minutes=of_day.minute, seconds=of_day.second)


def _clock(since_midnight: timedelta) -> str:
    minutes = int(since_midnight.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _period(span: Span) -> str:
    return f"{_clock(span[0])}–{_clock(span[1])}"


def _spans(periods: Sequence[Sequence[str]], field: str) -> list[Span]:
    """Working periods of one day, checked: each ends after it starts (24:00 at the latest), none overlap."""
    spans = sorted((_time(start, field), _time(end, field)) for start, end in periods)
    for start, end in spans:
        if end <= start:
            raise InvalidCalendar(f"{_period((start, end))} ends before it starts", field=field)
    for span, following in zip(spans, spans[1:]):
        if following[0] < span[1]:
            raise OverlappingHours(field, _period(span), _period(following))
    return spans


class BusinessCalendar(DealerOwned):
    """Working hours per weekday (`{"monday": [["09:00", "12:00"], ...]}`, a weekday left out is
    closed), holidays (closed although a weekday) and make-up working days (open although a
    weekend, working `make_up_hours`, by default the first open weekday's hours)."""

    version: int

    def __init__(self, dealer: str, *, timezone: str, hours: dict[str, Sequence[Sequence[str]]],
                 holidays: Iterable[date] = (), make_up_days: Iterable[date] = (),
                 make_up_hours: Sequence[Sequence[str]] = (), by: str, at: datetime):
        self.dealer = dealer
        self.change(timezone=timezone, hours=hours, holidays=holidays, make_up_days=make_up_days,
                    make_up_hours=make_up_hours, by=by, at=at)

    @classmethod
    def default(cls, dealer: str, timezone: str) -> BusinessCalendar:
        calendar = cls(dealer, timezone=timezone, hours=DEFAULT_HOURS, by="default",
                       at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
        calendar.version = 0  # never saved: the first PUT sends If-Match "0"
        return calendar

    def change(self, *, timezone: str, hours: dict[str, Sequence[Sequence[str]]], holidays: Iterable[date],
               make_up_days: Iterable[date], make_up_hours: Sequence[Sequence[str]], by: str, at: datetime) -> None:
        """Replace the whole calendar; nothing changes if any part of it is wrong."""
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidCalendar(f"unknown time zone {timezone!r}", field="timezone") from None
        unknown = set(hours) - set(WEEKDAYS)
        if unknown:
            raise InvalidCalendar(f"not a weekday: {', '.join(sorted(unknown))}", field="hours")
        checked = {day: _spans(hours[day], f"hours.{day}") for day in WEEKDAYS if hours.get(day)}
        if not checked:
            raise InvalidCalendar("no working hours on any weekday: clocks would never run", field="hours")
        made_up = _spans(make_up_hours, "make_up_hours")
        holidays, make_up_days = sorted(set(holidays)), sorted(set(make_up_days))
        both = set(holidays) & set(make_up_days)
        if both:
            raise InvalidCalendar(f"{min(both).isoformat()} is both a holiday and a make-up working day",
                                  field="make_up_days")
        self.timezone = timezone
        self.hours = {day: [[_clock(s), _clock(e)] for s, e in spans] for day, spans in checked.items()}
        self.make_up_hours = [[_clock(s), _clock(e)] for s, e in made_up]
        self.holidays = [day.isoformat() for day in holidays]
        self.make_up_days = [day.isoformat() for day in make_up_days]
        self.updated_by = by
        self.updated_at = at
        self.__dict__.pop("_plan", None)

    def set_day(self, day: date, *, holiday: bool, on: bool, by: str, at: datetime) -> bool:
        """Add (`on`) or remove one holiday (`holiday`) or make-up working day, the rest kept.
        False if the calendar already was so (nothing changes)."""
        kept = {date.fromisoformat(d) for d in (self.holidays if holiday else self.make_up_days)}
        if (day in kept) == on:
            return False
        changed = kept | {day} if on else kept - {day}
        others = [date.fromisoformat(d) for d in (self.make_up_days if holiday else self.holidays)]
        self.change(timezone=self.timezone, hours=self.hours, make_up_hours=self.make_up_hours, by=by, at=at,
                    holidays=changed if holiday else others, make_up_days=others if holiday else changed)
        return True

    # ------------------------------------------------------------------ business time

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: datetime) -> date:
        """The date it is at `now` in the dealer's time zone."""
        return now.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        """00:00 on `day` in the dealer's time zone."""
        return datetime.combine(day, time(0), self.zone)

    def _parsed(self) -> tuple[list[list[Span]], set[date], set[date], list[Span]]:
        """The calendar read once: spans per weekday, holidays, make-up days, make-up spans."""
        try:
            return self.__dict__["_plan"]
        except KeyError:
            pass

        def spans(periods) -> list[Span]:
            return [(_time(start, ""), _time(end, "")) for start, end in periods]

        weekly = [spans(self.hours.get(day, [])) for day in WEEKDAYS]
        made_up = spans(self.make_up_hours) or next(week for week in weekly if week)
        plan = (weekly, {date.fromisoformat(d) for d in self.holidays},
                {date.fromisoformat(d) for d in self.make_up_days}, made_up)
        self.__dict__["_plan"] = plan
        return plan

    def spans_on(self, day: date) -> list[Span]:
        weekly, holidays, make_up_days, made_up = self._parsed()
        if day in holidays:
            return []
        if day in make_up_days:
            return made_up
        return weekly[day.weekday()]

    def working_periods(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working time from `start` on, period by period, in the dealer's time zone."""
        zone = self.zone
        first = start.astimezone(zone).date()
        for offset in range(HORIZON_DAYS):
            day = first + timedelta(days=offset)
            midnight = datetime.combine(day, time(0), zone)
            for begin, end in self.spans_on(day):
                # wall-clock arithmetic: 24:00 is the next midnight
                opens, closes = midnight + begin, midnight + end
                if closes > start:
                    yield max(opens, start), closes

    def counted_periods(self, start: datetime, pauses: Sequence[Interval]) -> Iterator[tuple[datetime, datetime]]:
        """Working time from `start` on, less the pauses. Ends at a pause that is still open."""
        still_open = min((since for since, until in pauses if until is None), default=None)
        closed = sorted((since, until) for since, until in pauses if until is not None)
        for opens, closes in self.working_periods(start):
            if still_open is not None:
                if opens >= still_open:
                    return
                closes = min(closes, still_open)
            for since, until in closed:
                if until <= opens or since >= closes:
                    continue
                if since > opens:
                    yield opens, since
                opens = max(opens, until)
                if opens >= closes:
                    break
            if opens < closes:
                yield opens, closes

    def elapsed(self, start: datetime, end: datetime, pauses: Sequence[Interval] = ()) -> timedelta:
        """Business time between two moments, paused time not counted."""
        total = timedelta()
        if end <= start:
            return total
        for opens, closes in self.counted_periods(start, pauses):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total

    def deadline(self, start: datetime, budget: timedelta, pauses: Sequence[Interval] = ()) -> datetime | None:
        """When `budget` of business time from `start` runs out; None while a pause holds it."""
        remaining = budget
        for opens, closes in self.counted_periods(start, pauses):
            if remaining <= closes - opens:
                return (opens + remaining).astimezone(timezone.utc)
            remaining -= closes - opens
        return None
