"""The school directory's and the calendars' imports as workers' jobs (classcontact/import_jobs.py)."""

from django.utils import translation
from django.utils.formats import date_format

from .calendar_import import calendars_import_ics
from .imports import schools_import_csv
from .models import Calendar


def run_schools(job, data: bytes, progress):
    """Import the file of ``job``; returns its counts and one report row per row of the file."""
    with translation.override(job.created_by.language):
        report = schools_import_csv(data=data, user=job.created_by, dry_run=job.dry_run, progress=progress)
        rows = [
            [
                row.line,
                row.official_number,
                row.name,
                str(row.status.label),
                "; ".join(
                    f"{error.column}: {error.message}" if error.column else error.message
                    for error in row.errors
                )
                or ", ".join(row.changed_labels),
            ]
            for row in report.rows
        ]
    return report.counts, rows


def run_calendar(job, data: bytes, progress):
    """Import the iCalendar file of ``job`` into the calendar named by its parameters."""
    calendar = Calendar.objects.get(pk=job.params["calendar_id"])
    with translation.override(job.created_by.language):
        report = calendars_import_ics(
            calendar=calendar, data=data, user=job.created_by, dry_run=job.dry_run, progress=progress
        )
        rows = [
            [
                row.position,
                _period(row),
                row.summary,
                str(row.status.label),
                row.message,
            ]
            for row in report.rows
        ]
    return report.counts, rows


def _period(row) -> str:
    """What the event was read as: its kind and its days (e.g. "congé 19/10/2026 → 30/10/2026")."""
    if row.kind is None:
        return ""
    if not (row.start and row.end):
        return str(row.kind.label)
    days = f"{date_format(row.start, 'SHORT_DATE_FORMAT')} → {date_format(row.end, 'SHORT_DATE_FORMAT')}"
    return f"{row.kind.label} {days}"
