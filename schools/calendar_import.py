"""Import of a school calendar from an iCalendar (.ics) file.

Every all-day event becomes a holiday, unless its CATEGORIES say it is a school year
("school-year", "annee-scolaire") or a trimester ("trimester", "trimestre"). Events are
matched on what identifies them in the calendar (a year's label, a trimester's number in its
year, a holiday's first day and name), so importing the same file twice creates nothing.
"""

from dataclasses import dataclass, field
import datetime
import re

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
import icalendar

from classcontact.errors import DomainError

from .imports import normalise_key
from .models import Calendar, Holiday, SchoolYear, Trimester

ERROR_ICS_EMPTY = _("The file is empty.")
ERROR_ICS_INVALID = _("The file is not an iCalendar (.ics) file.")
ERROR_ICS_NO_EVENTS = _("The file holds no events.")
ERROR_ICS_CONFLICT = _(
    "The calendar was changed by someone else during the import. Nothing was saved: try again."
)

ERROR_EVENT_NO_SUMMARY = _("The event has no title (SUMMARY).")
ERROR_EVENT_NO_START = _("The event has no valid first day (DTSTART).")
ERROR_EVENT_NOT_ALL_DAY = _("Only all-day events are imported; this one has a time of day.")
ERROR_EVENT_BAD_END = _("The event's end (DTEND or DURATION) is not a whole day after its start.")
ERROR_EVENT_RECURRING = _("Recurring events are not imported: list each period as its own event.")
ERROR_EVENT_AMBIGUOUS = _("The event is marked both as a school year and as a trimester.")
ERROR_EVENT_TOO_SHORT = _("A school year or a trimester lasts more than one day.")
ERROR_EVENT_NO_LABEL = _("No school year label (such as 2026-2027) in the title.")
ERROR_EVENT_NO_NUMBER = _("No trimester number in the title (such as “Trimestre 2”).")
ERROR_EVENT_NO_YEAR = _("No school year of this calendar contains this trimester.")
ERROR_EVENT_TITLE_TOO_LONG = _("The title is too long (at most %(limit)s characters).")
ERROR_EVENT_DUPLICATE = _("The same period already appears earlier in this file (event %(position)s).")

CHANGE_REASON = _("Calendar import (iCalendar)")

SCHOOL_YEAR_CATEGORIES = frozenset({"school_year", "annee_scolaire"})
TRIMESTER_CATEGORIES = frozenset({"trimester", "trimestre"})
YEAR_LABEL = re.compile(r"(\d{4})\s*[-/–]\s*(\d{4})")
TRIMESTER_NUMBER = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")


class CalendarImportError(DomainError):
    """The file as a whole cannot be imported; ``message`` says why."""


class EventKind(models.TextChoices):
    SCHOOL_YEAR = "school_year", _("school year")
    TRIMESTER = "trimester", _("trimester")
    HOLIDAY = "holiday", _("holiday")


class EventStatus(models.TextChoices):
    # A result, not a date: "created" and "updated" alone read as dates in French.
    CREATED = "created", pgettext_lazy("import result", "created")
    UPDATED = "updated", pgettext_lazy("import result", "updated")
    UNCHANGED = "unchanged", _("unchanged")
    REJECTED = "rejected", _("rejected")


@dataclass
class EventResult:
    position: int  # 1 for the file's first VEVENT
    summary: str
    kind: EventKind | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None  # last day, included
    status: EventStatus = EventStatus.UNCHANGED
    message: str = ""
    # Parsed identity: the year's label, or the trimester's number.
    label: str = ""
    number: int | None = None


@dataclass
class CalendarImportReport:
    calendar_code: str
    rows: list[EventResult] = field(default_factory=list)
    dry_run: bool = False

    def _with(self, status: EventStatus) -> list[EventResult]:
        return [row for row in self.rows if row.status == status]

    @property
    def created(self) -> list[EventResult]:
        return self._with(EventStatus.CREATED)

    @property
    def updated(self) -> list[EventResult]:
        return self._with(EventStatus.UPDATED)

    @property
    def unchanged(self) -> list[EventResult]:
        return self._with(EventStatus.UNCHANGED)

    @property
    def rejected(self) -> list[EventResult]:
        return self._with(EventStatus.REJECTED)

    @property
    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in EventStatus}
        for row in self.rows:
            counts[row.status.value] += 1
        return counts


class _Rejected(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _parse(data: bytes) -> list:
    if not data.strip():
        raise CalendarImportError(ERROR_ICS_EMPTY)
    try:
        parsed = icalendar.Calendar.from_ical(data)
    except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError):
        raise CalendarImportError(ERROR_ICS_INVALID) from None
    if getattr(parsed, "name", None) != "VCALENDAR":
        raise CalendarImportError(ERROR_ICS_INVALID)
    events = parsed.walk("VEVENT")
    if not events:
        raise CalendarImportError(ERROR_ICS_NO_EVENTS)
    return events


def _categories(event) -> set[str]:
    found = event.get("CATEGORIES")
    if found is None:
        return set()
    properties = found if isinstance(found, list) else [found]
    names: set[str] = set()
    for prop in properties:
        for name in getattr(prop, "cats", [prop]):
            names.add(normalise_key(str(name)))
    return names


def _date(event, name: str) -> datetime.date | None:
    if event.get(name) is None:
        return None
    try:
        value = event.decoded(name)
    except (ValueError, TypeError, KeyError):
        raise _Rejected(ERROR_EVENT_NO_START if name == "DTSTART" else ERROR_EVENT_BAD_END) from None
    if isinstance(value, datetime.datetime):
        raise _Rejected(ERROR_EVENT_NOT_ALL_DAY)
    if not isinstance(value, datetime.date):
        raise _Rejected(ERROR_EVENT_NO_START if name == "DTSTART" else ERROR_EVENT_BAD_END)
    return value


def _read_event(event, row: EventResult) -> None:
    """Fill ``row`` from ``event``, or raise _Rejected."""
    if not row.summary:
        raise _Rejected(ERROR_EVENT_NO_SUMMARY)
    if event.get("RRULE") is not None or event.get("RDATE") is not None:
        raise _Rejected(ERROR_EVENT_RECURRING)
    _read_dates(event, row)
    _read_kind(event, row)
    _read_name(row)


def _read_dates(event, row: EventResult) -> None:
    """The first and last days of an all-day event."""
    start = _date(event, "DTSTART")
    if start is None:
        raise _Rejected(ERROR_EVENT_NO_START)
    end_exclusive = _date(event, "DTEND")
    if end_exclusive is None and event.get("DURATION") is not None:
        end_exclusive = start + _duration(event)
    if end_exclusive is None:
        row.start = row.end = start  # a lone DTSTART is a one-day event
    elif end_exclusive <= start:
        raise _Rejected(ERROR_EVENT_BAD_END)
    else:
        # DTEND of an all-day event is exclusive: the day after the last one.
        row.start, row.end = start, end_exclusive - datetime.timedelta(days=1)


def _duration(event) -> datetime.timedelta:
    """An event's DURATION, in whole days."""
    try:
        duration = event.decoded("DURATION")
    except (ValueError, TypeError, KeyError):
        raise _Rejected(ERROR_EVENT_BAD_END) from None
    if not isinstance(duration, datetime.timedelta) or duration.seconds or duration.microseconds:
        raise _Rejected(ERROR_EVENT_BAD_END)
    return duration


def _read_kind(event, row: EventResult) -> None:
    """A school year or a trimester by its category (and longer than a day); else a holiday."""
    categories = _categories(event)
    is_year = bool(categories & SCHOOL_YEAR_CATEGORIES)
    is_trimester = bool(categories & TRIMESTER_CATEGORIES)
    if is_year and is_trimester:
        raise _Rejected(ERROR_EVENT_AMBIGUOUS)
    if is_year or is_trimester:
        row.kind = EventKind.SCHOOL_YEAR if is_year else EventKind.TRIMESTER
        if row.end <= row.start:
            raise _Rejected(ERROR_EVENT_TOO_SHORT)
    else:
        row.kind = EventKind.HOLIDAY


def _read_name(row: EventResult) -> None:
    """A school year's label, a trimester's number or a holiday's name, from the summary."""
    if row.kind == EventKind.SCHOOL_YEAR:
        match = YEAR_LABEL.search(row.summary)
        limit = SchoolYear._meta.get_field("label").max_length
        if match:
            row.label = f"{match[1]}-{match[2]}"
        elif len(row.summary) <= limit:
            row.label = row.summary
        else:
            raise _Rejected(ERROR_EVENT_NO_LABEL)
    elif row.kind == EventKind.TRIMESTER:
        match = TRIMESTER_NUMBER.search(row.summary)
        if not match or int(match[1]) == 0:
            raise _Rejected(ERROR_EVENT_NO_NUMBER)
        row.number = int(match[1])
    else:
        limit = Holiday._meta.get_field("name").max_length
        if len(row.summary) > limit:
            raise _Rejected(ERROR_EVENT_TITLE_TOO_LONG % {"limit": limit})


def _save(obj, changed: list[str] | None, *, user, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason
    if changed is None:
        obj.save()
    else:
        obj.save(update_fields=changed)


def _sync_dates(obj, row: EventResult, *, user, reason: str) -> None:
    """Give an existing period the row's dates, saving only when they differ."""
    changed = [
        name for name, value in (("start", row.start), ("end", row.end)) if getattr(obj, name) != value
    ]
    if changed:
        obj.start, obj.end = row.start, row.end
        _save(obj, changed, user=user, reason=reason)
        row.status = EventStatus.UPDATED
    else:
        row.status = EventStatus.UNCHANGED


def calendars_import_check(*, data: bytes) -> None:
    """Refuse at once a file that is not a usable iCalendar file (``CalendarImportError``)."""
    _parse(data)


def calendars_import_ics(
    *, calendar: Calendar, data: bytes, user=None, dry_run: bool = False, progress=None
) -> CalendarImportReport:
    """Add the school years, trimesters and holidays of an .ics file to ``calendar``.

    Effects: in one transaction (the calendar row locked), creates the periods that are new
    and corrects the dates of those that exist, each with a history row naming ``user``;
    identical periods are left alone. Trimesters go to the school year that contains them.
    With ``dry_run`` everything is rolled back. Raises ``CalendarImportError`` for a file
    that is not a usable iCalendar file. ``progress(done, total)`` follows the events read.
    """
    events = _parse(data)
    progress = progress or (lambda done, total: None)
    report = CalendarImportReport(calendar_code=calendar.code, dry_run=dry_run)
    for position, event in enumerate(events, start=1):
        row = EventResult(position=position, summary=str(event.get("SUMMARY", "")).strip())
        try:
            _read_event(event, row)
        except _Rejected as rejected:
            row.status, row.message = EventStatus.REJECTED, str(rejected.message)
        report.rows.append(row)
        progress(position, len(events))

    try:
        with transaction.atomic():
            _apply(calendar, report, user=user)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        raise CalendarImportError(ERROR_ICS_CONFLICT) from None
    return report


def _reject_duplicate(row: EventResult, seen: dict, key) -> bool:
    if key in seen:
        row.status = EventStatus.REJECTED
        row.message = str(ERROR_EVENT_DUPLICATE % {"position": seen[key]})
        return True
    seen[key] = row.position
    return False


def _apply(calendar: Calendar, report: CalendarImportReport, *, user) -> None:
    Calendar.objects.select_for_update().filter(pk=calendar.pk).first()
    reason = str(CHANGE_REASON)
    valid = [row for row in report.rows if row.status != EventStatus.REJECTED]

    years = {year.label: year for year in SchoolYear.objects.filter(calendar=calendar)}
    seen: dict = {}
    for row in (row for row in valid if row.kind == EventKind.SCHOOL_YEAR):
        if _reject_duplicate(row, seen, ("year", row.label)):
            continue
        year = years.get(row.label)
        if year is None:
            year = SchoolYear(calendar=calendar, label=row.label, start=row.start, end=row.end)
            _save(year, None, user=user, reason=reason)
            years[row.label] = year
            row.status = EventStatus.CREATED
        else:
            _sync_dates(year, row, user=user, reason=reason)

    trimesters = {
        (trimester.school_year_id, trimester.number): trimester
        for trimester in Trimester.objects.filter(school_year__calendar=calendar)
    }
    for row in (row for row in valid if row.kind == EventKind.TRIMESTER):
        year = next((y for y in years.values() if y.start <= row.start and row.end <= y.end), None)
        if year is None:
            row.status, row.message = EventStatus.REJECTED, str(ERROR_EVENT_NO_YEAR)
            continue
        if _reject_duplicate(row, seen, ("trimester", year.pk, row.number)):
            continue
        trimester = trimesters.get((year.pk, row.number))
        if trimester is None:
            trimester = Trimester(school_year=year, number=row.number, start=row.start, end=row.end)
            _save(trimester, None, user=user, reason=reason)
            row.status = EventStatus.CREATED
        else:
            _sync_dates(trimester, row, user=user, reason=reason)

    holidays = {
        (holiday.start, holiday.name): holiday for holiday in Holiday.objects.filter(calendar=calendar)
    }
    for row in (row for row in valid if row.kind == EventKind.HOLIDAY):
        if _reject_duplicate(row, seen, ("holiday", row.start, row.summary)):
            continue
        holiday = holidays.get((row.start, row.summary))
        if holiday is None:
            holiday = Holiday(calendar=calendar, name=row.summary, start=row.start, end=row.end)
            _save(holiday, None, user=user, reason=reason)
            row.status = EventStatus.CREATED
        else:
            _sync_dates(holiday, row, user=user, reason=reason)
