"""School days, next school day and trimesters (schools.calendars)."""

import datetime
import zoneinfo

import pytest

from schools.calendars import (
    MAX_LOOKAHEAD_DAYS,
    SchoolDays,
    calendar_for_school,
    default_calendar,
    default_school_days,
    is_school_day,
    next_school_day,
    trimester_for,
)
from schools.models import Calendar, CalendarKind, Holiday, SchoolYear, Trimester
from tests.builders.schools import make_school

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def fwb():
    """The default calendar: two school years, trimesters and holidays (days in comments)."""
    calendar = Calendar.objects.create(name="FWB", code="fwb", kind=CalendarKind.FWB, is_default=True)
    year = SchoolYear.objects.create(
        calendar=calendar, label="2026-2027", start=D(2026, 8, 31), end=D(2027, 7, 2)
    )
    SchoolYear.objects.create(calendar=calendar, label="2027-2028", start=D(2027, 8, 30), end=D(2028, 7, 7))
    Trimester.objects.create(school_year=year, number=1, start=D(2026, 8, 31), end=D(2026, 12, 18))
    Trimester.objects.create(school_year=year, number=2, start=D(2027, 1, 4), end=D(2027, 3, 26))
    Trimester.objects.create(school_year=year, number=3, start=D(2027, 4, 12), end=D(2027, 7, 2))
    # Mon 19 Oct – Fri 30 Oct 2026
    Holiday.objects.create(calendar=calendar, name="Automne", start=D(2026, 10, 19), end=D(2026, 10, 30))
    # Mon 21 Dec 2026 – Fri 1 Jan 2027
    Holiday.objects.create(calendar=calendar, name="Hiver", start=D(2026, 12, 21), end=D(2027, 1, 1))
    # Thu 13 May 2027, a single day
    Holiday.objects.create(calendar=calendar, name="Ascension", start=D(2027, 5, 13), end=D(2027, 5, 13))
    # Overlapping entries (two sources for the same week) still count as holidays throughout.
    Holiday.objects.create(calendar=calendar, name="Printemps", start=D(2027, 3, 29), end=D(2027, 4, 5))
    Holiday.objects.create(calendar=calendar, name="Pâques", start=D(2027, 4, 2), end=D(2027, 4, 9))
    return calendar


@pytest.fixture
def lille():
    """A school's own calendar, with other holidays."""
    calendar = Calendar.objects.create(name="Lille", code="fr-zone-b", kind=CalendarKind.FR_ZONE)
    year = SchoolYear.objects.create(
        calendar=calendar, label="2026-2027", start=D(2026, 9, 1), end=D(2027, 7, 3)
    )
    Trimester.objects.create(school_year=year, number=1, start=D(2026, 9, 1), end=D(2026, 11, 30))
    Holiday.objects.create(calendar=calendar, name="Toussaint", start=D(2026, 10, 17), end=D(2026, 11, 2))
    return calendar


def test_weekdays_of_a_school_year_are_school_days(fwb):
    days = SchoolDays(fwb)

    assert days.is_school_day(D(2026, 8, 31))  # Monday, first day of the year
    assert days.is_school_day(D(2026, 10, 16))  # Friday
    assert days.is_school_day(D(2027, 7, 2))  # Friday, last day of the year


def test_weekends_are_not_school_days(fwb):
    days = SchoolDays(fwb)

    assert not days.is_school_day(D(2026, 9, 5))  # Saturday
    assert not days.is_school_day(D(2026, 9, 6))  # Sunday


def test_holidays_first_and_last_days_included_are_not_school_days(fwb):
    days = SchoolDays(fwb)

    assert days.is_school_day(D(2026, 10, 16))  # Friday before
    assert not days.is_school_day(D(2026, 10, 19))  # first day
    assert not days.is_school_day(D(2026, 10, 22))
    assert not days.is_school_day(D(2026, 10, 30))  # last day
    assert days.is_school_day(D(2026, 11, 2))  # Monday after
    assert days.is_holiday(D(2026, 10, 19)) and days.is_holiday(D(2026, 10, 30))
    assert not days.is_holiday(D(2026, 10, 18))  # the Sunday before: a weekend, not a holiday


def test_single_day_and_overlapping_holidays(fwb):
    days = SchoolDays(fwb)

    assert days.is_school_day(D(2027, 5, 12))
    assert not days.is_school_day(D(2027, 5, 13))  # Ascension
    assert days.is_school_day(D(2027, 5, 14))
    assert not any(days.is_school_day(D(2027, 3, 29) + datetime.timedelta(days=n)) for n in range(12))
    assert days.is_school_day(D(2027, 4, 12))


def test_days_outside_any_school_year_are_not_school_days(fwb):
    days = SchoolDays(fwb)

    assert not days.in_school_year(D(2027, 7, 5))
    assert not days.is_school_day(D(2027, 7, 5))  # a summer Monday
    assert not days.is_school_day(D(2026, 8, 28))  # the Friday before the first year
    assert not days.is_school_day(D(2029, 1, 8))  # after the last year


def test_a_datetime_counts_as_its_local_date(fwb):
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    # 23:30 UTC on Sunday 18 October is already Monday 19 October (a holiday) in Brussels.
    late_sunday_utc = datetime.datetime(2026, 10, 18, 23, 30, tzinfo=datetime.UTC)
    days = SchoolDays(fwb)

    assert not days.is_school_day(late_sunday_utc)
    assert days.is_holiday(late_sunday_utc)
    assert days.is_school_day(datetime.datetime(2026, 10, 16, 9, 0, tzinfo=brussels))
    assert days.next_school_day(datetime.datetime(2026, 10, 16, 9, 0)) == D(2026, 11, 2)


def test_module_functions_use_the_default_calendar_when_none_is_given(fwb, lille):
    # Saturday 17 October: a holiday in Lille, a weekend everywhere; Friday 16: school in both.
    # Monday 2 November: school in FWB, holiday in Lille.
    assert is_school_day(D(2026, 11, 2)) is True
    assert is_school_day(D(2026, 11, 2), fwb) is True
    assert is_school_day(D(2026, 11, 2), lille) is False
    assert is_school_day(D(2026, 10, 19)) is False
    assert is_school_day(D(2026, 10, 19), lille) is False
    assert is_school_day(D(2026, 8, 31), lille) is False  # Lille starts on 1 September


def test_a_school_uses_its_own_calendar_or_else_the_default_one(fwb, lille):
    with_default = make_school()
    with_own = make_school(calendar=lille)

    assert calendar_for_school(with_default) == fwb
    assert calendar_for_school(with_own) == lille
    assert SchoolDays(calendar_for_school(with_default)).is_school_day(D(2026, 11, 2))
    assert not SchoolDays(calendar_for_school(with_own)).is_school_day(D(2026, 11, 2))


def test_without_a_default_calendar_there_are_no_school_days():
    assert default_calendar() is None
    assert is_school_day(D(2026, 10, 16)) is False
    assert next_school_day(D(2026, 10, 16)) is None
    assert trimester_for(D(2026, 10, 16)) is None
    assert SchoolDays(None).next_school_day(D(2026, 10, 16)) is None


def test_next_school_day_skips_the_weekend(fwb):
    assert next_school_day(D(2026, 9, 4)) == D(2026, 9, 7)  # Friday -> Monday
    assert next_school_day(D(2026, 9, 5)) == D(2026, 9, 7)  # Saturday -> Monday


def test_next_school_day_crosses_a_holiday(fwb):
    assert next_school_day(D(2026, 10, 16)) == D(2026, 11, 2)
    assert next_school_day(D(2026, 10, 25)) == D(2026, 11, 2)
    assert next_school_day(D(2026, 12, 18)) == D(2027, 1, 4)  # across the new year
    assert next_school_day(D(2027, 5, 12)) == D(2027, 5, 14)  # over a single day


def test_next_school_day_crosses_the_end_of_the_school_year(fwb):
    assert next_school_day(D(2027, 7, 2)) == D(2027, 8, 30)
    assert next_school_day(D(2027, 7, 20)) == D(2027, 8, 30)


def test_next_school_day_after_the_last_school_year_is_none(fwb):
    assert next_school_day(D(2028, 7, 7)) is None
    assert next_school_day(D(2030, 1, 1)) is None


def test_next_school_day_looks_at_most_max_lookahead_days_ahead(fwb):
    first_day = D(2026, 8, 31)

    assert next_school_day(first_day - datetime.timedelta(days=MAX_LOOKAHEAD_DAYS)) == first_day
    assert next_school_day(first_day - datetime.timedelta(days=MAX_LOOKAHEAD_DAYS + 1)) is None


def test_next_school_day_include_today(fwb):
    assert next_school_day(D(2026, 10, 16), include_today=True) == D(2026, 10, 16)
    assert next_school_day(D(2026, 10, 19), include_today=True) == D(2026, 11, 2)
    assert next_school_day(D(2026, 10, 16), include_today=False) == D(2026, 11, 2)


def test_next_school_day_in_a_schools_own_calendar(fwb, lille):
    assert next_school_day(D(2026, 10, 16), lille) == D(2026, 11, 3)
    assert next_school_day(D(2026, 10, 16), fwb) == D(2026, 11, 2)


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (D(2026, 8, 31), 1),  # first day
        (D(2026, 10, 22), 1),  # a holiday inside the trimester
        (D(2026, 12, 18), 1),  # last day
        (D(2027, 1, 4), 2),
        (D(2027, 3, 26), 2),
        (D(2027, 7, 2), 3),
    ],
)
def test_trimester_for_a_day_inside_a_trimester(fwb, day, number):
    trimester = trimester_for(day)

    assert trimester.number == number
    assert trimester.school_year.label == "2026-2027"


@pytest.mark.parametrize("day", [D(2026, 12, 25), D(2027, 4, 1), D(2027, 7, 15), D(2025, 1, 6)])
def test_trimester_for_a_day_between_trimesters_is_none(fwb, day):
    assert trimester_for(day) is None


def test_trimester_for_looks_in_the_given_calendar(fwb, lille):
    assert trimester_for(D(2026, 12, 1), fwb).number == 1
    assert trimester_for(D(2026, 12, 1), lille) is None
    assert trimester_for(D(2026, 9, 1), lille).school_year.calendar == lille


def test_school_days_walks_a_year_with_at_most_two_queries(fwb, django_assert_max_num_queries):
    first = D(2026, 8, 1)

    with django_assert_max_num_queries(2):
        days = SchoolDays(fwb)
        school_days = [
            first + datetime.timedelta(days=n)
            for n in range(730)
            if days.is_school_day(first + datetime.timedelta(days=n))
        ]
        following = [days.next_school_day(day) for day in school_days[:200]]

    # 2026-2027: 44 weeks of five days, minus the weekdays of autumn (10), winter (10),
    # spring and Easter together (10) and Ascension (1).
    assert len([day for day in school_days if day <= D(2027, 7, 2)]) == 44 * 5 - 31
    assert school_days[-1] == D(2028, 7, 7)
    assert all(later > day for day, later in zip(school_days, following, strict=False))


def test_the_default_school_days_are_shared_between_requests_until_a_calendar_changes(
    fwb, django_assert_num_queries
):
    monday = D(2026, 11, 9)
    assert default_school_days().is_school_day(monday)
    with django_assert_num_queries(0):  # kept in the cache
        assert default_school_days().is_school_day(monday)
    holiday = Holiday.objects.create(calendar=fwb, name="Armistice (pont)", start=monday, end=monday)
    assert not default_school_days().is_school_day(monday)
    holiday.delete()
    assert default_school_days().is_school_day(monday)
    year = fwb.school_years.get(label="2026-2027")
    year.start = D(2026, 11, 16)
    year.save()
    assert not default_school_days().is_school_day(monday)
    fwb.is_default = False
    fwb.save()
    assert not default_school_days().is_school_day(D(2026, 11, 23))


def test_the_school_days_are_read_from_the_calendar_when_the_cache_is_unreachable(fwb, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    monday = D(2026, 11, 9)
    assert default_school_days().is_school_day(monday)
    Holiday.objects.create(calendar=fwb, name="Armistice (pont)", start=monday, end=monday)
    assert not default_school_days().is_school_day(monday)
