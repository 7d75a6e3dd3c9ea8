"""The inventory's CSV import as a worker's job (classcontact/import_jobs.py)."""

from django.utils import translation

from .imports import items_import_csv


def run_items(job, data: bytes, progress):
    """Import the file of ``job``; returns its counts and one report row per row of the file."""
    with translation.override(job.created_by.language):
        report = items_import_csv(data=data, user=job.created_by, dry_run=job.dry_run, progress=progress)
        rows = [
            [
                row.line,
                row.serial_number,
                "",
                str(row.status.label),
                "; ".join(
                    f"{error.column}: {error.message}" if error.column else error.message
                    for error in row.errors
                )
                or ", ".join(row.changes),
            ]
            for row in report.rows
        ]
    counts = {**report.counts, "ignored_columns": report.ignored_columns}
    return counts, rows
