"""Helpdesk hours: examples, then properties checked by hypothesis over two school years."""

import datetime

from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
import pytest

from helpdesk.hours import (
    TZ,
    HelpdeskCalendar,
    HelpdeskHoursUnavailable,
    add_helpdesk_hours,
    calendar_for_request,
    helpdesk_hours_between,
    is_open,
    next_opening,
)
from schools.calendars import SchoolDays

H = datetime.timedelta(hours=1)
PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def at(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def calendar(fwb_calendar) -> HelpdeskCalendar:
    """The default hours on the FWB-like calendar, loaded once for the whole test."""
    helpdesk = HelpdeskCalendar(SchoolDays(fwb_calendar))
    helpdesk.is_open(at(2026, 1, 5, 9))  # load years and holidays now
    return helpdesk


@pytest.fixture
def weekdays(weekday_calendar) -> HelpdeskCalendar:
    """Default hours on a calendar without holidays: every weekday is a school day."""
    helpdesk = HelpdeskCalendar(SchoolDays(weekday_calendar))
    helpdesk.is_open(at(2026, 1, 5, 9))
    return helpdesk


# ---------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 11, 23, 10), 2, at(2026, 11, 23, 12)),  # Monday morning, same day
        (at(2026, 11, 23, 15), 2, at(2026, 11, 24, 9, 30)),  # over the evening
        (at(2026, 11, 23, 15), 1, at(2026, 11, 23, 16)),  # using the day up exactly ends at 16:00
        (at(2026, 11, 23, 7), 1, at(2026, 11, 23, 9, 30)),  # before opening counts from 8:30
        (at(2026, 11, 25, 12), 1, at(2026, 11, 26, 9)),  # Wednesday closes at 12:30
        (at(2026, 11, 25, 14), 0.5, at(2026, 11, 26, 9)),  # Wednesday afternoon is closed
        (at(2026, 11, 27, 15, 30), 1, at(2026, 11, 30, 9)),  # Friday to Monday
        (at(2026, 11, 28, 11), 1, at(2026, 11, 30, 9, 30)),  # Saturday counts from Monday
        (at(2026, 11, 10, 15), 2, at(2026, 11, 12, 9, 30)),  # Armistice (Wednesday 11/11) is a holiday
        (at(2026, 10, 16, 15), 2, at(2026, 11, 2, 9, 30)),  # autumn holidays: two weeks closed
        (at(2026, 7, 10, 10), 1, at(2026, 8, 31, 9, 30)),  # summer: next school year
        (at(2026, 11, 23, 8, 30), 7.5 + 7.5 + 4 + 7.5 + 7.5, at(2026, 11, 27, 16)),  # one school week
    ],
)
def test_adding_helpdesk_hours_skips_closed_time(calendar, start, hours, expected):
    assert add_helpdesk_hours(start, hours, calendar=calendar) == expected
    assert helpdesk_hours_between(start, expected, calendar=calendar) == datetime.timedelta(hours=hours)


def test_a_timedelta_is_accepted_and_the_result_is_in_brussels_time(calendar):
    result = add_helpdesk_hours(
        datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC),
        datetime.timedelta(minutes=45),
        calendar=calendar,
    )
    assert result == at(2026, 11, 23, 10, 45)
    assert result.tzinfo == TZ


def test_adding_zero_hours_gives_the_moment_when_open_and_the_next_opening_when_closed(calendar):
    assert add_helpdesk_hours(at(2026, 11, 23, 10), 0, calendar=calendar) == at(2026, 11, 23, 10)
    assert add_helpdesk_hours(at(2026, 11, 23, 16), 0, calendar=calendar) == at(2026, 11, 24, 8, 30)


def test_daylight_saving_start_in_march_keeps_hours_exact(calendar):
    friday = at(2026, 3, 27, 15)  # UTC+1
    monday = add_helpdesk_hours(friday, 2, calendar=calendar)  # clocks go forward on Sunday 29 March
    assert monday == at(2026, 3, 30, 9, 30)
    assert monday.utcoffset() == 2 * H
    assert helpdesk_hours_between(friday, monday, calendar=calendar) == 2 * H


def test_daylight_saving_end_in_october_keeps_hours_exact(weekdays):
    friday = at(2026, 10, 23, 15)  # UTC+2
    monday = add_helpdesk_hours(friday, 2, calendar=weekdays)  # clocks go back on Sunday 25 October
    assert monday == at(2026, 10, 26, 9, 30)
    assert monday.utcoffset() == H
    assert helpdesk_hours_between(friday, monday, calendar=weekdays) == 2 * H


def test_hours_between_is_negative_when_the_end_comes_first(calendar):
    assert helpdesk_hours_between(at(2026, 11, 23, 12), at(2026, 11, 23, 10), calendar=calendar) == -2 * H


def test_is_open_and_next_opening(calendar):
    assert is_open(at(2026, 11, 23, 8, 30), calendar=calendar)
    assert not is_open(at(2026, 11, 23, 16), calendar=calendar)
    assert not is_open(at(2026, 11, 25, 13), calendar=calendar)  # Wednesday afternoon
    assert not is_open(at(2026, 11, 11, 10), calendar=calendar)  # Armistice
    assert next_opening(at(2026, 11, 23, 10), calendar=calendar) == at(2026, 11, 23, 10)
    assert next_opening(at(2026, 11, 25, 13), calendar=calendar) == at(2026, 11, 26, 8, 30)
    assert next_opening(at(2026, 12, 18, 17), calendar=calendar) == at(2027, 1, 4, 8, 30)  # winter holidays
    assert calendar.closing_time(at(2026, 11, 25, 9)) == at(2026, 11, 25, 12, 30)
    assert calendar.closing_time(at(2026, 11, 25, 13)) is None


def test_opening_hours_come_from_the_settings(settings, weekdays):
    settings.HELPDESK_HOURS = {0: ("09:00", "12:00"), 3: (datetime.time(13), datetime.time(17))}
    helpdesk = HelpdeskCalendar(weekdays.school_days)
    assert helpdesk.add(at(2026, 11, 23, 11), 2) == at(2026, 11, 26, 14)  # Monday 1h, then Thursday
    assert not helpdesk.is_open(at(2026, 11, 24, 10))  # Tuesday is closed


@pytest.mark.parametrize(
    "hours",
    [{0: ("16:00", "08:30")}, {0: ("8h30", "16:00")}, {7: ("08:30", "16:00")}, {0: ("08:30",)}],
)
def test_bad_opening_hours_stop_with_a_clear_error(settings, hours):
    settings.HELPDESK_HOURS = hours
    with pytest.raises(ImproperlyConfigured, match="HELPDESK_HOURS"):
        HelpdeskCalendar(school_days=None)


def test_naive_moments_and_negative_hours_are_refused(calendar):
    with pytest.raises(ValueError, match="aware"):
        calendar.add(datetime.datetime(2026, 11, 23, 10), 1)
    with pytest.raises(ValueError, match="negative"):
        calendar.add(at(2026, 11, 23, 10), -1)


def test_without_any_school_year_there_is_no_opening(db):
    closed = HelpdeskCalendar(SchoolDays(None))
    assert closed.next_opening(at(2026, 11, 23, 10)) is None
    assert not closed.is_open(at(2026, 11, 23, 10))
    with pytest.raises(HelpdeskHoursUnavailable):
        closed.add(at(2026, 11, 23, 10), 1)


def test_the_default_calendar_is_loaded_once_whatever_the_number_of_computations(
    fwb_calendar, django_assert_num_queries
):
    helpdesk = HelpdeskCalendar()
    with django_assert_num_queries(3):  # default calendar, its years, its holidays
        for day in range(1, 200):
            start = at(2026, 1, 1, 10) + datetime.timedelta(days=day)
            helpdesk.between(start, helpdesk.add(start, day % 40))


def test_one_calendar_per_request(rf):
    request = rf.get("/")
    assert calendar_for_request(request) is calendar_for_request(request)


# ---------------------------------------------------------------- properties

moments = st.datetimes(
    min_value=datetime.datetime(2025, 8, 1),
    max_value=datetime.datetime(2027, 7, 31),
    timezones=st.just(TZ),
    allow_imaginary=False,
)
amounts = st.integers(min_value=0, max_value=150 * 60).map(
    lambda minutes: datetime.timedelta(minutes=minutes)
)


def in_opening_hours(calendar: HelpdeskCalendar, moment: datetime.datetime) -> bool:
    """Inside a day's opening hours, its closing time included."""
    window = calendar.window(moment.astimezone(TZ).date())
    return window is not None and window[0] <= moment <= window[1]


@PROPERTY_SETTINGS
@given(start=moments, amount=amounts)
def test_adding_then_measuring_gives_back_the_hours_added(calendar, start, amount):
    end = add_helpdesk_hours(start, amount, calendar=calendar)
    assert helpdesk_hours_between(start, end, calendar=calendar) == amount


@PROPERTY_SETTINGS
@given(start=moments, amount=amounts)
def test_results_never_fall_outside_opening_hours(calendar, start, amount):
    end = add_helpdesk_hours(start, amount, calendar=calendar)
    local = end.astimezone(TZ)
    assert end >= start
    assert in_opening_hours(calendar, end)
    assert calendar.school_days.is_school_day(local.date())
    assert local.weekday() < 5
    if local.weekday() == 2:
        assert local.time() <= datetime.time(12, 30)  # never a Wednesday afternoon


@PROPERTY_SETTINGS
@given(start=moments, first=amounts, second=amounts.filter(bool))
def test_adding_in_two_steps_is_adding_the_sum(calendar, start, first, second):
    in_two_steps = calendar.add(calendar.add(start, first), second)
    assert in_two_steps == calendar.add(start, first + second)


@PROPERTY_SETTINGS
@given(a=moments, b=moments, c=moments)
def test_hours_between_add_up_and_never_exceed_the_clock(calendar, a, b, c):
    a, b, c = sorted([a, b, c])
    assert calendar.between(a, b) + calendar.between(b, c) == calendar.between(a, c)
    assert datetime.timedelta(0) <= calendar.between(a, c) <= c - a


@PROPERTY_SETTINGS
@given(start=moments)
def test_next_opening_is_open_and_nothing_is_open_before_it(calendar, start):
    opening = calendar.next_opening(start)
    assert calendar.is_open(opening)
    assert calendar.between(start, opening) == datetime.timedelta(0)


@PROPERTY_SETTINGS
@given(
    start=st.datetimes(
        min_value=datetime.datetime(2026, 3, 20),
        max_value=datetime.datetime(2026, 11, 6),
        timezones=st.just(TZ),
        allow_imaginary=False,
    ),
    amount=amounts,
)
def test_daylight_saving_changes_never_add_or_remove_time(weekdays, start, amount):
    end = weekdays.add(start, amount)
    assert weekdays.between(start, end) == amount
    assert in_opening_hours(weekdays, end)
