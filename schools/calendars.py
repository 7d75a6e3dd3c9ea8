"""Questions about school calendars: school days, trimesters, the next school day.

``SchoolDays`` loads a calendar's years and holidays once (two queries), so that code
walking over many days (helpdesk hours, availability) asks the database nothing more.
An instance is a snapshot: make a new one to see later changes to the calendar.
"""

import bisect
import datetime
from functools import cached_property

from django.utils import timezone

from classcontact.shared_reads import SharedRead

from .models import Calendar, Holiday, SchoolYear, Trimester

MAX_LOOKAHEAD_DAYS = 400
ONE_DAY = datetime.timedelta(days=1)


def default_calendar() -> Calendar | None:
    return Calendar.objects.filter(is_default=True).first()


def _load_default_school_days() -> "SchoolDays":
    return SchoolDays(default_calendar()).loaded()


# The default calendar's school days, kept between requests (classcontact.shared_reads): pages
# that count helpdesk hours read them on every request, and they change a few times a year.
DEFAULT_SCHOOL_DAYS = SharedRead(
    "schools:default-school-days", _load_default_school_days, models=[Calendar, SchoolYear, Holiday]
)


def default_school_days() -> "SchoolDays":
    """``SchoolDays`` of the default calendar, from the cache when it holds them."""
    return DEFAULT_SCHOOL_DAYS.get()


def calendar_for_school(school) -> Calendar | None:
    return school.calendar if school.calendar_id else default_calendar()


def _as_date(day: datetime.date) -> datetime.date:
    """A datetime counts as its date (its local date when aware): a date and a datetime do not compare."""
    if isinstance(day, datetime.datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


class _Periods:
    """Day ranges (first and last day included), merged and sorted for a binary search."""

    def __init__(self, ranges):
        merged: list[list[datetime.date]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1] + ONE_DAY:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _end in merged]
        self.ends = [end for _start, end in merged]

    def __contains__(self, day: datetime.date) -> bool:
        index = bisect.bisect_right(self.starts, day) - 1
        return index >= 0 and day <= self.ends[index]

    @property
    def last_day(self) -> datetime.date | None:
        return self.ends[-1] if self.ends else None


class SchoolDays:
    """The school days of one calendar: weekdays inside a school year and outside holidays."""

    def __init__(self, calendar: Calendar | None):
        self.calendar = calendar

    @cached_property
    def _years(self) -> _Periods:
        if self.calendar is None:
            return _Periods([])
        return _Periods(SchoolYear.objects.filter(calendar=self.calendar).values_list("start", "end"))

    @cached_property
    def _holidays(self) -> _Periods:
        if self.calendar is None:
            return _Periods([])
        return _Periods(Holiday.objects.filter(calendar=self.calendar).values_list("start", "end"))

    def loaded(self) -> "SchoolDays":
        """Read years and holidays now (before the object is kept in a cache)."""
        self._years, self._holidays  # noqa: B018 - reading the cached properties loads them
        return self

    def is_holiday(self, day: datetime.date) -> bool:
        return _as_date(day) in self._holidays

    def in_school_year(self, day: datetime.date) -> bool:
        return _as_date(day) in self._years

    def is_school_day(self, day: datetime.date) -> bool:
        day = _as_date(day)
        return day.weekday() < 5 and day in self._years and day not in self._holidays

    def next_school_day(self, day: datetime.date, *, include_today: bool = False) -> datetime.date | None:
        """The first school day after ``day`` (or from ``day`` with ``include_today``), within
        MAX_LOOKAHEAD_DAYS; None when there is none (for instance after the last school year)."""
        candidate = _as_date(day) if include_today else _as_date(day) + ONE_DAY
        last_day = self._years.last_day
        for _ in range(MAX_LOOKAHEAD_DAYS):
            if last_day is None or candidate > last_day:
                return None
            if self.is_school_day(candidate):
                return candidate
            candidate += ONE_DAY
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
    day = _as_date(day)
    return (
        Trimester.objects.select_related("school_year")
        .filter(school_year__calendar=calendar, start__lte=day, end__gte=day)
        .order_by("start")
        .first()
    )
