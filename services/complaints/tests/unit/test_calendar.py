"""Business time in a dealer's calendar: weekends, holidays, make-up days (调休) and pauses."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.domain.calendar import DEFAULT_HOURS, BusinessCalendar
from complaints.domain.errors import InvalidCalendar, OverlappingHours

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BEIJING)


def a_calendar(**overrides) -> BusinessCalendar:
    fields = dict(timezone="Asia/Shanghai", hours=DEFAULT_HOURS, by="manager-li", at=at(1, 9))
    fields.update(overrides)
    return BusinessCalendar("D001", **fields)


HOURS = timedelta(hours=1)


def test_a_deadline_skips_lunch_the_night_and_the_weekend():
    calendar = a_calendar()  # Mon–Fri 09–12, 13–18
    # Friday 4 December 16:00 + 4 business hours: 2 on Friday, 2 on Monday morning
    assert calendar.deadline(at(4, 16), 4 * HOURS) == at(7, 11)
    # Monday 11:00 + 2 h: one before lunch, one after
    assert calendar.deadline(at(7, 11), 2 * HOURS) == at(7, 14)
    # received on Saturday: the clock starts on Monday morning
    assert calendar.deadline(at(5, 10), 1 * HOURS) == at(7, 10)


def test_a_holiday_is_not_counted():
    calendar = a_calendar(holidays=[date(2026, 12, 7)])  # Monday off
    assert calendar.deadline(at(4, 17), 2 * HOURS) == at(8, 10)
    assert calendar.elapsed(at(4, 17), at(8, 10)) == 2 * HOURS


def test_a_make_up_saturday_counts_with_the_weekday_hours():
    calendar = a_calendar(make_up_days=[date(2026, 12, 5)])  # 调休: Saturday is a working day
    assert calendar.deadline(at(4, 17), 2 * HOURS) == at(5, 10)
    assert calendar.elapsed(at(4, 17), at(7, 9)) == 9 * HOURS  # 1 on Friday + 8 on Saturday


def test_a_make_up_day_may_have_its_own_hours():
    calendar = a_calendar(make_up_days=[date(2026, 12, 5)], make_up_hours=[["10:00", "14:00"]])
    assert calendar.deadline(at(4, 17), 2 * HOURS) == at(5, 11)


def test_paused_time_does_not_count():
    calendar = a_calendar()
    pauses = [(at(7, 10), at(7, 14))]  # waited for the customer from 10:00 to 14:00 on Monday
    assert calendar.deadline(at(7, 9), 4 * HOURS, pauses) == at(7, 17)
    assert calendar.elapsed(at(7, 9), at(7, 17), pauses) == 4 * HOURS


def test_a_pause_still_open_holds_the_deadline():
    calendar = a_calendar()
    pauses = [(at(7, 10), None)]
    assert calendar.deadline(at(7, 9), 4 * HOURS, pauses) is None
    assert calendar.elapsed(at(7, 9), at(9, 9), pauses) == 1 * HOURS


def test_a_pause_over_the_weekend_costs_only_the_working_hours_it_covers():
    calendar = a_calendar()
    pauses = [(at(4, 17), at(7, 10))]  # Friday 17:00 to Monday 10:00: 2 working hours
    # 7 h counted on Friday before the pause, the 8th from Monday 10:00
    assert calendar.deadline(at(4, 9), 8 * HOURS, pauses) == at(7, 11)
    assert calendar.deadline(at(4, 9), 8 * HOURS) == at(4, 18)


def test_overlapping_hours_are_refused_and_nothing_changes():
    calendar = a_calendar()
    with pytest.raises(OverlappingHours) as raised:
        calendar.change(timezone="Asia/Shanghai", hours={"monday": [["09:00", "12:00"], ["11:30", "13:00"]]},
                        holidays=[], make_up_days=[], make_up_hours=[], by="manager-li", at=at(2, 9))
    assert raised.value.context["field"] == "hours.monday"
    assert calendar.hours == DEFAULT_HOURS and calendar.updated_at == at(1, 9)


def test_touching_periods_are_fine_and_kept_in_order():
    calendar = a_calendar(hours={"saturday": [["13:00", "17:00"], ["09:00", "13:00"]]})
    assert calendar.hours == {"saturday": [["09:00", "13:00"], ["13:00", "17:00"]]}
    assert calendar.deadline(at(5, 12), 2 * HOURS) == at(5, 14)


@pytest.mark.parametrize("overrides, field", [
    ({"hours": {"monday": [["12:00", "09:00"]]}}, "hours.monday"),
    ({"hours": {"funday": [["09:00", "12:00"]]}}, "hours"),
    ({"hours": {}}, "hours"),
    ({"hours": {"monday": [["9 am", "12:00"]]}}, "hours.monday"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"holidays": [date(2026, 12, 5)], "make_up_days": [date(2026, 12, 5)]}, "make_up_days"),
])
def test_a_calendar_that_makes_no_sense_is_refused(overrides, field):
    with pytest.raises(InvalidCalendar) as raised:
        a_calendar(**overrides)
    assert raised.value.context["field"] == field


def test_a_changed_calendar_counts_with_its_new_days():
    calendar = a_calendar()
    assert calendar.deadline(at(4, 17), 2 * HOURS) == at(7, 10)
    calendar.change(timezone="Asia/Shanghai", hours=DEFAULT_HOURS, holidays=[date(2026, 12, 7)], make_up_days=[],
                    make_up_hours=[], by="manager-li", at=at(2, 9))
    assert calendar.deadline(at(4, 17), 2 * HOURS) == at(8, 10)


def test_a_day_worked_to_midnight_runs_into_the_next_one():
    calendar = a_calendar(hours={"friday": [["18:00", "24:00"]], "saturday": [["00:00", "02:00"]]})
    assert calendar.hours["friday"] == [["18:00", "24:00"]]
    assert calendar.deadline(at(4, 23), 2 * HOURS) == at(5, 1)
    assert calendar.elapsed(at(4, 20), at(5, 2)) == 6 * HOURS


@pytest.mark.parametrize("periods", [[["24:00", "24:00"]], [["09:00", "24:01"]], [["09:00", "25:00"]]])
def test_nothing_runs_past_24_00(periods):
    with pytest.raises(InvalidCalendar):
        a_calendar(hours={"monday": periods})


def test_one_holiday_or_make_up_day_at_a_time_keeps_the_rest():
    calendar = a_calendar(holidays=[date(2026, 10, 1)], make_up_hours=[["10:00", "14:00"]])
    assert calendar.set_day(date(2026, 12, 7), holiday=True, on=True, by="manager-li", at=at(2, 9))
    assert calendar.set_day(date(2026, 12, 5), holiday=False, on=True, by="manager-li", at=at(2, 9))
    assert (calendar.holidays, calendar.make_up_days) == (["2026-10-01", "2026-12-07"], ["2026-12-05"])
    assert calendar.make_up_hours == [["10:00", "14:00"]] and calendar.hours == DEFAULT_HOURS
    assert calendar.deadline(at(4, 17), 2 * HOURS) == at(5, 11)  # Saturday worked 10–14
    assert not calendar.set_day(date(2026, 12, 7), holiday=True, on=True, by="manager-wu", at=at(3, 9))
    assert calendar.updated_by == "manager-li"
    assert calendar.set_day(date(2026, 10, 1), holiday=True, on=False, by="manager-li", at=at(3, 9))
    assert calendar.holidays == ["2026-12-07"]
    assert not calendar.set_day(date(2026, 10, 1), holiday=True, on=False, by="manager-li", at=at(3, 9))


def test_a_day_cannot_be_both_a_holiday_and_a_make_up_day():
    calendar = a_calendar(make_up_days=[date(2026, 12, 5)])
    with pytest.raises(InvalidCalendar):
        calendar.set_day(date(2026, 12, 5), holiday=True, on=True, by="manager-li", at=at(2, 9))
    assert (calendar.holidays, calendar.make_up_days) == ([], ["2026-12-05"])
