"""Exports too long for a request: a worker makes the file, the job's page follows it.

The request stores what was asked (the list, the format, the page's filters) and returns at
once; the worker reads the list again with the same filters, as the person who asked
(whose right is checked again), writes the file into private storage and notes its progress
through the cache. The file is for that person alone, and is deleted after
``EXPORT_KEEP_DAYS`` days by a periodic task.
"""

import datetime
from importlib import import_module
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .export_models import ExportJob, JobStatus
from .exports import Export, csv_lines, export_filename, write_xlsx
from .tasks_util import enqueue_on_commit

# Each list's export, by kind (read by the worker, which gets the kind alone).
EXPORTS = {
    "cases": "cases.exports.CASE_BOARD",
    "kits": "loans.exports.KITS",
    "loans": "loans.exports.LOANS",
    "visits": "loans.exports.VISITS",
    "tickets": "helpdesk.exports.TICKETS",
}
ERROR_NOT_ALLOWED = _("You may no longer see this list: the export was not made.")
FAILED_UNEXPECTEDLY = _("The export stopped on an unexpected error. Try again, or tell the team.")


def export_for(kind: str) -> Export:
    module, name = EXPORTS[kind].rsplit(".", 1)
    return getattr(import_module(module), name)


def _progress_key(job_id: int) -> str:
    return f"export-job:{job_id}:progress"


def export_progress(job: ExportJob) -> tuple[int, int]:
    """(rows written, rows in all); a finished job is complete."""
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job.total_rows, job.total_rows
    return cache.get(_progress_key(job.pk)) or (0, job.total_rows)


def params_of(query: QueryDict) -> dict[str, list[str]]:
    return {key: query.getlist(key) for key in query if key != "page"}


def query_of(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query


@transaction.atomic
def export_job_start(*, export: Export, fmt: str, query: QueryDict, user, total_rows: int = 0) -> ExportJob:
    """Queue the export of a list with the page's filters.

    Effects: an ExportJob (queued); after commit, the task ``classcontact.run_export_job``.
    """
    if export.kind not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export {export.kind!r}.{fmt}")
    job = ExportJob.objects.create(
        kind=export.kind, format=fmt, params=params_of(query), created_by=user, total_rows=total_rows
    )
    enqueue_on_commit("classcontact.run_export_job", job_id=job.pk)
    return job


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Make the file of a queued export (safe to run twice: a job not queued is left alone).

    Effects: the file is written into private storage, the job is done (or failed, with the
    reason, when its starter may no longer see the list).
    """
    if not ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING):
        return None
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    export = export_for(job.kind)
    if not export.allowed(job.created_by):
        return _finish(job, status=JobStatus.FAILED, error=str(ERROR_NOT_ALLOWED))
    try:
        _write(job, export)
    except Exception:
        _finish(job, status=JobStatus.FAILED, error=str(FAILED_UNEXPECTEDLY))
        raise
    return _finish(job, status=JobStatus.DONE)


def _write(job: ExportJob, export: Export) -> None:
    rows = export.rows(job.created_by, query_of(job.params))
    total = rows.count()
    job.total_rows = total
    cache.set(_progress_key(job.pk), (0, total), timeout=6 * 3600)

    def progress(done: int) -> None:
        cache.set(_progress_key(job.pk), (done, total), timeout=6 * 3600)

    with tempfile.TemporaryFile() as handle:
        if job.format == "csv":
            for line in csv_lines(export, rows, progress):
                handle.write(line.encode("utf-8"))
        else:
            write_xlsx(export, rows, handle, progress)
        handle.seek(0)
        job.filename = export_filename(export, job.format)
        job.file.save(f"{job.public_id}.{job.format}", File(handle), save=False)


def _finish(job: ExportJob, *, status: str, error: str = "") -> ExportJob:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "total_rows", "file", "filename"])
    return job


def export_jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the exports asked for more than ``EXPORT_KEEP_DAYS`` days ago, files included.

    Effects: each old job's file is removed from private storage, then the job itself.
    """
    now = now or timezone.now()
    return jobs_delete(
        ExportJob.objects.filter(created_at__lt=now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS))
    )


def jobs_delete(jobs) -> int:
    """Delete these jobs (any model with a ``file``), their files first; returns how many."""
    count = 0
    for job in jobs.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
