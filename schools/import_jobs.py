"""The school directory's CSV import as a worker's job (classcontact/import_jobs.py)."""

from django.utils import translation

from .imports import schools_import_csv


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
