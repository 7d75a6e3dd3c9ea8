"""Questions about school calendars: school days, trimesters, the next school day.

``SchoolDays`` loads a calendar's years and holidays once (two queries), so that code
walking over many days (helpdesk hours, availability) asks the database nothing more.
"""

import datetime
from functools import cached_property

from .models import Calendar, Holiday, SchoolYear, Trimester

MAX_LOOKAHEAD_DAYS = 400


def default_calendar() -> Calendar | None:
    return Calendar.objects.filter(is_default=True).first()


def calendar_for_school(school) -> Calendar | None:
    return school.calendar if school.calendar_id else default_calendar()


class SchoolDays:
    """The school days of one calendar: weekdays inside a school year and outside holidays."""

    def __init__(self, calendar: Calendar | None):
        self.calendar = calendar

    @cached_property
    def _years(self) -> list[tuple[datetime.date, datetime.date]]:
        if self.calendar is None:
            return []
        return list(SchoolYear.objects.filter(calendar=self.calendar).values_list("start", "end"))

    @cached_property
    def _holidays(self) -> list[tuple[datetime.date, datetime.date]]:
        if self.calendar is None:
            return []
        return list(Holiday.objects.filter(calendar=self.calendar).values_list("start", "end"))

    def is_holiday(self, day: datetime.date) -> bool:
        return any(start <= day <= end for start, end in self._holidays)

    def in_school_year(self, day: datetime.date) -> bool:
        return any(start <= day <= end for start, end in self._years)

    def is_school_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and self.in_school_year(day) and not self.is_holiday(day)

    def next_school_day(self, day: datetime.date, *, include_today: bool = False) -> datetime.date | None:
        candidate = day if include_today else day + datetime.timedelta(days=1)
        for _ in range(MAX_LOOKAHEAD_DAYS):
            if self.is_school_day(candidate):
                return candidate
            candidate += datetime.timedelta(days=1)
        return None


def is_school_day(day: datetime.date, calendar: Calendar | None = None) -> bool:
    """Is ``day`` a school day in ``calendar`` (the default calendar when None)?"""
    return SchoolDays(calendar or default_calendar()).is_school_day(day)


def next_school_day(
    day: datetime.date, calendar: Calendar | None = None, *, include_today: bool = False
) -> datetime.date | None:
    """The first school day after ``day`` (or ``day`` itself with ``include_today``)."""
    return SchoolDays(calendar or default_calendar()).next_school_day(day, include_today=include_today)


def trimester_for(day: datetime.date, calendar: Calendar | None = None) -> Trimester | None:
    """The trimester of ``calendar`` (the default one when None) that contains ``day``."""
    calendar = calendar or default_calendar()
    if calendar is None:
        return None
    return (
        Trimester.objects.select_related("school_year")
        .filter(school_year__calendar=calendar, start__lte=day, end__gte=day)
        .first()
    )
