"""School calendars from iCalendar files: calendars_import_ics and the import_calendar command."""

import datetime
from io import StringIO

from django.core.management import CommandError, call_command
import pytest

from schools.calendar_import import (
    CHANGE_REASON,
    ERROR_EVENT_AMBIGUOUS,
    ERROR_EVENT_BAD_END,
    ERROR_EVENT_DUPLICATE,
    ERROR_EVENT_NO_NUMBER,
    ERROR_EVENT_NO_START,
    ERROR_EVENT_NO_SUMMARY,
    ERROR_EVENT_NO_YEAR,
    ERROR_EVENT_NOT_ALL_DAY,
    ERROR_EVENT_RECURRING,
    ERROR_EVENT_TOO_SHORT,
    ERROR_ICS_EMPTY,
    ERROR_ICS_INVALID,
    ERROR_ICS_NO_EVENTS,
    CalendarImportError,
    EventKind,
    EventStatus,
    calendars_import_ics,
)
from schools.calendars import SchoolDays
from schools.models import Calendar, CalendarKind, Holiday, SchoolYear, Trimester
from tests.builders.schools import make_user

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def calendar():
    return Calendar.objects.create(name="FWB", code="fwb", kind=CalendarKind.FWB, is_default=True)


def event(
    summary: str | None, start: str, end: str | None = None, *, categories: str = "", extra: str = ""
) -> str:
    """An all-day VEVENT; ``start``/``end`` are YYYYMMDD (``end`` exclusive, as in iCalendar)."""
    lines = ["BEGIN:VEVENT", f"UID:{summary}-{start}@example.org", "DTSTAMP:20260101T000000Z"]
    lines.append(f"DTSTART;VALUE=DATE:{start}")
    if end:
        lines.append(f"DTEND;VALUE=DATE:{end}")
    if summary is not None:
        lines.append(f"SUMMARY:{summary}")
    if categories:
        lines.append(f"CATEGORIES:{categories}")
    if extra:
        lines.append(extra)
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def ics(*events: str) -> bytes:
    body = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ClassContact//tests//EN", *events, "END:VCALENDAR"]
    )
    return (body + "\r\n").encode()


YEAR_2026 = event("Année scolaire 2026-2027", "20260831", "20270703", categories="annee-scolaire")
TRIMESTER_1 = event("1er trimestre", "20260831", "20261219", categories="trimestre")
TRIMESTER_2 = event("Trimester 2", "20270104", "20270327", categories="school-year-part,trimester")
AUTUMN = event("Congé d'automne", "20261019", "20261031")
ARMISTICE = event("Armistice", "20261111")
FULL_FILE = ics(YEAR_2026, TRIMESTER_1, TRIMESTER_2, AUTUMN, ARMISTICE)


def history_rows() -> int:
    return sum(model.history.model.objects.count() for model in (SchoolYear, Trimester, Holiday))


def test_all_day_event_becomes_a_holiday_whose_last_day_is_the_day_before_dtend(calendar):
    report = calendars_import_ics(calendar=calendar, data=ics(AUTUMN))

    holiday = Holiday.objects.get(calendar=calendar)
    assert (holiday.name, holiday.start, holiday.end) == ("Congé d'automne", D(2026, 10, 19), D(2026, 10, 30))
    assert report.rows[0].kind == EventKind.HOLIDAY
    assert report.rows[0].status == EventStatus.CREATED


def test_event_with_only_dtstart_is_a_one_day_holiday(calendar):
    calendars_import_ics(calendar=calendar, data=ics(ARMISTICE))

    holiday = Holiday.objects.get(calendar=calendar)
    assert (holiday.start, holiday.end) == (D(2026, 11, 11), D(2026, 11, 11))


def test_event_with_a_duration_ends_the_day_before_start_plus_duration(calendar):
    calendars_import_ics(calendar=calendar, data=ics(event("Carnaval", "20270215", extra="DURATION:P14D")))

    holiday = Holiday.objects.get(calendar=calendar)
    assert (holiday.start, holiday.end) == (D(2027, 2, 15), D(2027, 2, 28))


def test_school_years_and_trimesters_come_from_their_categories(calendar):
    user = make_user()

    report = calendars_import_ics(calendar=calendar, data=FULL_FILE, user=user)

    assert report.counts == {"created": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    year = SchoolYear.objects.get(calendar=calendar)
    assert (year.label, year.start, year.end) == ("2026-2027", D(2026, 8, 31), D(2027, 7, 2))
    trimesters = list(year.trimesters.values_list("number", "start", "end"))
    assert trimesters == [(1, D(2026, 8, 31), D(2026, 12, 18)), (2, D(2027, 1, 4), D(2027, 3, 26))]
    assert Holiday.objects.filter(calendar=calendar).count() == 2
    record = year.history.get()
    assert (record.history_user, record.history_change_reason) == (user, str(CHANGE_REASON))
    assert [row.kind for row in report.rows] == [
        EventKind.SCHOOL_YEAR,
        EventKind.TRIMESTER,
        EventKind.TRIMESTER,
        EventKind.HOLIDAY,
        EventKind.HOLIDAY,
    ]


def test_a_trimester_goes_to_the_school_year_that_contains_it(calendar):
    data = ics(
        event("2025-2026", "20250825", "20260704", categories="school-year"),
        YEAR_2026,
        event("Trimestre 2", "20260105", "20260328", categories="TRIMESTRE"),
        TRIMESTER_2,
    )

    calendars_import_ics(calendar=calendar, data=data)

    by_year = dict(Trimester.objects.values_list("school_year__label", "start"))
    assert by_year == {"2025-2026": D(2026, 1, 5), "2026-2027": D(2027, 1, 4)}


def test_a_school_year_label_without_years_is_the_title(calendar):
    calendars_import_ics(
        calendar=calendar, data=ics(event("Année A", "20260831", "20270703", categories="school-year"))
    )

    assert SchoolYear.objects.get(calendar=calendar).label == "Année A"


def test_same_file_twice_creates_nothing_and_writes_no_history(calendar):
    calendars_import_ics(calendar=calendar, data=FULL_FILE)
    history_before = history_rows()

    report = calendars_import_ics(calendar=calendar, data=FULL_FILE)

    assert report.counts == {"created": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    assert (SchoolYear.objects.count(), Trimester.objects.count(), Holiday.objects.count()) == (1, 2, 2)
    assert history_rows() == history_before


def test_a_moved_end_updates_the_existing_period(calendar):
    calendars_import_ics(calendar=calendar, data=FULL_FILE)
    longer_autumn = event("Congé d'automne", "20261019", "20261102")
    later_year_end = event("Année scolaire 2026-2027", "20260831", "20270710", categories="annee-scolaire")

    report = calendars_import_ics(calendar=calendar, data=ics(later_year_end, longer_autumn))

    assert [row.status for row in report.rows] == [EventStatus.UPDATED, EventStatus.UPDATED]
    assert Holiday.objects.get(name="Congé d'automne").end == D(2026, 11, 1)
    assert SchoolYear.objects.get().end == D(2027, 7, 9)
    assert Holiday.objects.count() == 2


def test_the_import_touches_only_the_given_calendar(calendar):
    other = Calendar.objects.create(name="Lille", code="fr-zone-b", kind=CalendarKind.FR_ZONE)
    calendars_import_ics(calendar=other, data=FULL_FILE)

    report = calendars_import_ics(calendar=calendar, data=FULL_FILE)

    assert report.counts["created"] == 5
    assert (
        Holiday.objects.filter(calendar=other).count()
        == Holiday.objects.filter(calendar=calendar).count()
        == 2
    )


@pytest.mark.parametrize(
    ("bad_event", "message"),
    [
        (event(None, "20261111"), ERROR_EVENT_NO_SUMMARY),
        (
            "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261111T090000Z\r\nDTEND:20261111T100000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT",
            ERROR_EVENT_NOT_ALL_DAY,
        ),
        (event("Weekly", "20261111", extra="RRULE:FREQ=WEEKLY;COUNT=3"), ERROR_EVENT_RECURRING),
        (event("Backwards", "20261111", "20261105"), ERROR_EVENT_BAD_END),
        (event("Same day end", "20261111", "20261111"), ERROR_EVENT_BAD_END),
        (
            "BEGIN:VEVENT\r\nUID:y\r\nDTSTART;VALUE=DATE:2026xx11\r\nSUMMARY:Broken\r\nEND:VEVENT",
            ERROR_EVENT_NO_START,
        ),
        ("BEGIN:VEVENT\r\nUID:z\r\nSUMMARY:No start\r\nEND:VEVENT", ERROR_EVENT_NO_START),
        (event("Trimestre", "20260831", "20261219", categories="trimestre"), ERROR_EVENT_NO_NUMBER),
        (event("Trimestre 3", "20270405", "20270703", categories="trimestre"), ERROR_EVENT_NO_YEAR),
        (event("Year 2026-2027", "20260831", categories="school-year"), ERROR_EVENT_TOO_SHORT),
        (
            event("Both 2026-2027", "20260831", "20270703", categories="school-year,trimester"),
            ERROR_EVENT_AMBIGUOUS,
        ),
    ],
)
def test_bad_event_is_rejected_with_its_reason_and_the_others_are_imported(calendar, bad_event, message):
    report = calendars_import_ics(calendar=calendar, data=ics(AUTUMN, bad_event))

    assert report.rows[0].status == EventStatus.CREATED
    assert (report.rows[1].position, report.rows[1].status, report.rows[1].message) == (
        2,
        EventStatus.REJECTED,
        str(message),
    )
    assert Holiday.objects.get().name == "Congé d'automne"
    assert not SchoolYear.objects.exists()
    assert not Trimester.objects.exists()


def test_a_period_twice_in_one_file_rejects_the_second(calendar):
    report = calendars_import_ics(calendar=calendar, data=ics(AUTUMN, ARMISTICE, AUTUMN))

    assert report.rows[2].status == EventStatus.REJECTED
    assert report.rows[2].message == str(ERROR_EVENT_DUPLICATE % {"position": 1})
    assert Holiday.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", ERROR_ICS_EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ERROR_ICS_INVALID),
        (b"official_number;name\r\n1001;School\r\n", ERROR_ICS_INVALID),
        (event("Lonely", "20261111").encode() + b"\r\n", ERROR_ICS_INVALID),
        (ics(), ERROR_ICS_NO_EVENTS),
    ],
)
def test_a_file_that_is_not_a_usable_calendar_is_refused(calendar, data, message):
    with pytest.raises(CalendarImportError) as raised:
        calendars_import_ics(calendar=calendar, data=data)

    assert raised.value.message == message
    assert not Holiday.objects.exists()


def test_dry_run_reports_and_saves_nothing(calendar):
    report = calendars_import_ics(calendar=calendar, data=FULL_FILE, dry_run=True)

    assert report.counts["created"] == 5
    assert not SchoolYear.objects.exists()
    assert not Holiday.objects.exists()
    assert history_rows() == 0


def test_imported_calendar_answers_school_day_questions(calendar):
    calendars_import_ics(calendar=calendar, data=FULL_FILE)
    days = SchoolDays(calendar)

    assert days.is_school_day(D(2026, 10, 16))
    assert not days.is_school_day(D(2026, 10, 19))  # first day of the autumn holiday
    assert not days.is_school_day(D(2026, 10, 30))  # its last day (DTEND was 31 October)
    assert days.is_school_day(D(2026, 11, 2))
    assert not days.is_school_day(D(2026, 11, 11))


def test_command_imports_and_prints_a_summary(calendar, tmp_path):
    path = tmp_path / "fwb.ics"
    path.write_bytes(ics(AUTUMN, event("Weekly", "20261111", extra="RRULE:FREQ=WEEKLY")))
    out = StringIO()

    call_command("import_calendar", "fwb", str(path), stdout=out)

    output = out.getvalue()
    assert "Congé d'automne" in output
    assert str(ERROR_EVENT_RECURRING) in output
    assert "2 events: 1 created, 0 updated, 0 unchanged, 1 rejected." in output
    assert Holiday.objects.filter(calendar=calendar).count() == 1


def test_command_refuses_an_unknown_calendar_code(calendar, tmp_path):
    path = tmp_path / "fwb.ics"
    path.write_bytes(ics(AUTUMN))

    with pytest.raises(CommandError, match="No calendar with the code 'nowhere' \\(known: fwb\\)"):
        call_command("import_calendar", "nowhere", str(path), stdout=StringIO())


def test_command_stops_on_a_bad_file(calendar, tmp_path):
    path = tmp_path / "fwb.ics"
    path.write_bytes(b"hello")

    with pytest.raises(CommandError, match="not an iCalendar"):
        call_command("import_calendar", "fwb", str(path), stdout=StringIO())
