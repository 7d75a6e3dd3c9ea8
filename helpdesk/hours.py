"""Helpdesk hours: when the helpdesk is open, and time counted in opening hours only.

The helpdesk is open on school days (the default school calendar: weekends, holidays and
days outside a school year are closed) during each weekday's opening hours, Brussels
time. Targets ("answer within 4 helpdesk hours") are counted in these hours only.

Every moment given is an aware datetime; every moment returned is an aware datetime in
Europe/Brussels. Durations are measured on the UTC time line, so a daylight-saving
change never adds or removes an hour.

``HelpdeskCalendar`` reads the default school calendar once (from the cache requests share,
or three small queries); hand the same object to every call that works on a page of tickets, e.g. with
``calendar_for_request(request)``.
"""

import datetime
from decimal import Decimal
from functools import cached_property
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TZ = ZoneInfo("Europe/Brussels")
UTC = datetime.UTC

# Weekday (Monday = 0) → (opening, closing) in local time, or None when closed all day.
DEFAULT_HOURS: dict[int, tuple[str, str] | None] = {
    0: ("08:30", "16:00"),
    1: ("08:30", "16:00"),
    2: ("08:30", "12:30"),
    3: ("08:30", "16:00"),
    4: ("08:30", "16:00"),
    5: None,
    6: None,
}

# How far ahead to look for an opening before giving up (covers long summer holidays).
MAX_LOOKAHEAD_DAYS = 400

Hours = dict[int, tuple[datetime.time, datetime.time] | None]


class HelpdeskHoursUnavailable(Exception):
    """The calendar has no opening within ``MAX_LOOKAHEAD_DAYS`` (no school year set up?)."""


class SchoolDayCalendar(Protocol):
    def is_school_day(self, day: datetime.date) -> bool: ...


def _as_time(value) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError as exc:
        raise ImproperlyConfigured(f"HELPDESK_HOURS: {value!r} is not a time such as '08:30'.") from exc


def parse_hours(raw: dict) -> Hours:
    """Check and convert a ``HELPDESK_HOURS``-style dict; a missing weekday is closed."""
    hours: Hours = {}
    for weekday in range(7):
        span = raw.get(weekday)
        if span is None:
            hours[weekday] = None
            continue
        try:
            start, end = span
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"HELPDESK_HOURS[{weekday}] must be (start, end) or None, not {span!r}."
            ) from exc
        start, end = _as_time(start), _as_time(end)
        if start >= end:
            raise ImproperlyConfigured(f"HELPDESK_HOURS[{weekday}]: {start} is not before {end}.")
        hours[weekday] = (start, end)
    unknown = set(raw) - set(range(7))
    if unknown:
        raise ImproperlyConfigured(f"HELPDESK_HOURS: unknown weekdays {sorted(unknown)} (use 0-6).")
    return hours


def configured_hours() -> Hours:
    return parse_hours(getattr(settings, "HELPDESK_HOURS", None) or DEFAULT_HOURS)


def _as_timedelta(amount) -> datetime.timedelta:
    if isinstance(amount, datetime.timedelta):
        delta = amount
    elif isinstance(amount, int | float | Decimal):
        delta = datetime.timedelta(hours=float(amount))
    else:
        raise TypeError(f"Expected hours or a timedelta, not {type(amount).__name__}.")
    if delta < datetime.timedelta(0):
        raise ValueError("Cannot add a negative number of helpdesk hours.")
    return delta


def _require_aware(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Helpdesk hours need an aware datetime.")
    return moment.astimezone(UTC)


class HelpdeskCalendar:
    """Opening hours on the school days of one calendar.

    ``school_days`` answers ``is_school_day(date)``: a ``schools.calendars.SchoolDays``
    (the default calendar when omitted, loaded on first use), or any object that does.
    """

    def __init__(self, school_days: SchoolDayCalendar | None = None, hours: dict | None = None):
        self._school_days = school_days
        self.hours: Hours = parse_hours(hours) if hours is not None else configured_hours()
        self._windows: dict[datetime.date, tuple[datetime.datetime, datetime.datetime] | None] = {}

    @cached_property
    def school_days(self) -> SchoolDayCalendar:
        if self._school_days is not None:
            return self._school_days
        from schools.calendars import default_school_days

        return default_school_days()

    def window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The opening and closing moments (UTC) of ``day``, or None when closed all day."""
        if day not in self._windows:
            span = self.hours.get(day.weekday())
            if span is None or not self.school_days.is_school_day(day):
                self._windows[day] = None
            else:
                start, end = span
                self._windows[day] = (
                    datetime.datetime.combine(day, start, tzinfo=TZ).astimezone(UTC),
                    datetime.datetime.combine(day, end, tzinfo=TZ).astimezone(UTC),
                )
        return self._windows[day]

    def is_open(self, moment: datetime.datetime) -> bool:
        moment = _require_aware(moment)
        window = self.window(moment.astimezone(TZ).date())
        return window is not None and window[0] <= moment < window[1]

    def closing_time(self, moment: datetime.datetime) -> datetime.datetime | None:
        """When the helpdesk closes, if it is open at ``moment``."""
        moment = _require_aware(moment)
        window = self.window(moment.astimezone(TZ).date())
        if window is None or not window[0] <= moment < window[1]:
            return None
        return window[1].astimezone(TZ)

    def next_opening(self, moment: datetime.datetime) -> datetime.datetime | None:
        """``moment`` itself when open, else the start of the next opening; None if none ahead."""
        moment = _require_aware(moment)
        day = moment.astimezone(TZ).date()
        for _ in range(MAX_LOOKAHEAD_DAYS):
            window = self.window(day)
            if window is not None and moment < window[1]:
                return max(moment, window[0]).astimezone(TZ)
            day += datetime.timedelta(days=1)
        return None

    def add(self, moment: datetime.datetime, amount) -> datetime.datetime:
        """The moment when ``amount`` helpdesk hours have passed since ``moment``.

        Adding zero gives ``moment`` when open, else the next opening. A result that uses
        up a day's hours exactly is that day's closing time (16:00, not the next morning).
        """
        remaining = _as_timedelta(amount)
        current = _require_aware(moment)
        day = current.astimezone(TZ).date()
        for _ in range(MAX_LOOKAHEAD_DAYS):
            window = self.window(day)
            if window is not None and current < window[1]:
                current = max(current, window[0])
                available = window[1] - current
                if remaining <= available:
                    return (current + remaining).astimezone(TZ)
                remaining -= available
            day += datetime.timedelta(days=1)
        raise HelpdeskHoursUnavailable(
            f"No helpdesk opening within {MAX_LOOKAHEAD_DAYS} days of {moment.isoformat()}."
        )

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
        """Helpdesk hours from ``start`` to ``end`` (negative when ``end`` comes first)."""
        start, end = _require_aware(start), _require_aware(end)
        if end < start:
            return -self.between(end, start)
        total = datetime.timedelta(0)
        day, last = start.astimezone(TZ).date(), end.astimezone(TZ).date()
        while day <= last:
            window = self.window(day)
            if window is not None:
                overlap = min(window[1], end) - max(window[0], start)
                if overlap > datetime.timedelta(0):
                    total += overlap
            day += datetime.timedelta(days=1)
        return total


def _calendar(calendar: HelpdeskCalendar | None) -> HelpdeskCalendar:
    return calendar if calendar is not None else HelpdeskCalendar()


def add_helpdesk_hours(
    moment: datetime.datetime, hours_or_timedelta, *, calendar: HelpdeskCalendar | None = None
) -> datetime.datetime:
    """Add N helpdesk hours (a number or a timedelta) to an aware moment."""
    return _calendar(calendar).add(moment, hours_or_timedelta)


def helpdesk_hours_between(
    start: datetime.datetime, end: datetime.datetime, *, calendar: HelpdeskCalendar | None = None
) -> datetime.timedelta:
    """Helpdesk hours between two aware moments."""
    return _calendar(calendar).between(start, end)


def is_open(moment: datetime.datetime, *, calendar: HelpdeskCalendar | None = None) -> bool:
    return _calendar(calendar).is_open(moment)


def next_opening(
    moment: datetime.datetime, *, calendar: HelpdeskCalendar | None = None
) -> datetime.datetime | None:
    return _calendar(calendar).next_opening(moment)


def calendar_for_request(request) -> HelpdeskCalendar:
    """One calendar per request: a page of tickets loads the school calendar once."""
    calendar = getattr(request, "_helpdesk_calendar", None)
    if calendar is None:
        calendar = request._helpdesk_calendar = HelpdeskCalendar()
    return calendar
