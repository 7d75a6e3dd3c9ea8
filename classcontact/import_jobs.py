"""Imports run by a worker: the request stores the file and returns at once; the page of the
job shows a progress bar, then the counts and a downloadable report.

Each kind of import names a runner, ``run(job, data, progress) -> (counts, report rows)``;
``progress(done, total)`` is reported through the cache, since the import writes inside one
transaction that other processes cannot see into.
"""

from importlib import import_module
import io

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .import_models import ImportJob, ImportStatus
from .spreadsheets import FormulaSafeWriter
from .tasks_util import enqueue_on_commit

RUNNERS = {
    "schools": "schools.import_jobs.run_schools",
    "calendar": "schools.import_jobs.run_calendar",
    "items": "loans.import_jobs.run_items",
}
REPORT_COLUMNS = ["line", "reference", "name", "result", "details"]
FAILED_UNEXPECTEDLY = _(
    "The import stopped on an unexpected error; nothing was saved. Try again, or tell the team."
)


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def progress_note(job_id: int, done: int, total: int) -> None:
    cache.set(_progress_key(job_id), (done, total), timeout=6 * 3600)


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in all) of a job; a finished job is complete."""
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job.total_rows, job.total_rows
    return cache.get(_progress_key(job.pk)) or (0, job.total_rows)


@transaction.atomic
def import_job_start(
    *, kind: str, upload, user, dry_run: bool = False, params: dict | None = None
) -> ImportJob:
    """Store the uploaded file and queue its import.

    Effects: an ImportJob (queued) with the file in private storage; after commit, the task
    ``classcontact.run_import_job`` is sent to the workers.
    """
    if kind not in RUNNERS:
        raise ValueError(f"unknown import {kind!r}")
    upload.seek(0)
    job = ImportJob(
        kind=kind, params=params or {}, filename=upload.name[:200], dry_run=dry_run, created_by=user
    )
    job.file.save(upload.name, ContentFile(upload.read()), save=False)
    job.save()
    # Enqueued by name: the task module imports this one, never the reverse.
    enqueue_on_commit("classcontact.run_import_job", job_id=job.pk)
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import (safe to run twice: a job that is not queued is left alone).

    Effects: the job runs, its counts and a CSV report (formula cells neutralised) are stored,
    its status becomes done, or failed with the reason when the file is refused as a whole.
    """
    updated = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    if not updated:
        return None
    job = ImportJob.objects.get(pk=job_id)
    runner = _runner(job.kind)
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        counts, rows = runner(job, data, lambda done, total: progress_note(job.pk, done, total))
    except DomainError as error:
        return _finish(job, status=ImportStatus.FAILED, error=str(error.message))
    except Exception:
        _finish(job, status=ImportStatus.FAILED, error=str(FAILED_UNEXPECTEDLY))
        raise
    job.counts = counts
    job.total_rows = len(rows)
    job.report.save(
        f"report-{job.public_id}.csv", ContentFile(_report_csv(rows).encode("utf-8-sig")), save=False
    )
    return _finish(job, status=ImportStatus.DONE)


def _runner(kind: str):
    module, name = RUNNERS[kind].rsplit(".", 1)
    return getattr(import_module(module), name)


def _report_csv(rows) -> str:
    out = io.StringIO()
    writer = FormulaSafeWriter(out, delimiter=";")
    writer.writerow(REPORT_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def _finish(job: ImportJob, *, status: str, error: str = "") -> ImportJob:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "counts", "total_rows", "report"])
    return job
