"""The yearly report's PDF: asked in a request, made by a worker, followed on its page."""

import time

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.export_models import JobStatus
from classcontact.tasks_util import enqueue_on_commit
from schools.models import User

from .. import roles
from ..models import ReportJob
from .common import ERROR_NOT_ALLOWED, ClassroomError

#: The steps a job goes through, for its progress bar.
REPORT_STEPS = 3
FAILED_UNEXPECTEDLY = _("The report stopped on an unexpected error. Try again, or tell the team.")


def _progress_key(job_id: int) -> str:
    return f"classroom-report:{job_id}:progress"


def report_job_progress(job: ReportJob) -> tuple[int, int]:
    """(steps done, steps in all); a finished job is complete."""
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return REPORT_STEPS, REPORT_STEPS
    return cache.get(_progress_key(job.pk)) or (0, REPORT_STEPS)


def _step(job: ReportJob, done: int) -> None:
    cache.set(_progress_key(job.pk), (done, REPORT_STEPS), timeout=6 * 3600)


@transaction.atomic
def report_job_start(*, school_year: str, by: User) -> ReportJob:
    """Ask for the PDF of a school year's report.

    Effects: a queued ReportJob; after commit, the task ``classrooms.render_yearly_report``.
    """
    if not roles.reads_yearly_report(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)
    job = ReportJob.objects.create(school_year=school_year, created_by=by)
    enqueue_on_commit("classrooms.render_yearly_report", job_id=job.pk)
    return job


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Make the PDF of a queued job (safe to run twice: a job not queued is left alone).

    Effects: the figures are computed, the PDF rendered and stored; the job is done, with
    its build time (or failed).
    """
    from ..report import yearly_report
    from ..report_exports import report_pdf

    if not ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING):
        return None
    job = ReportJob.objects.select_related("created_by").get(pk=job_id)
    started = time.perf_counter()
    try:
        report = yearly_report(job.school_year)
        _step(job, 1)
        pdf = report_pdf(report)
        _step(job, 2)
        job.file.save(f"{job.public_id}.pdf", ContentFile(pdf), save=False)
    except Exception:
        _finish(job, status=JobStatus.FAILED, error=str(FAILED_UNEXPECTEDLY), started=started)
        raise
    return _finish(job, status=JobStatus.DONE, started=started)


def _finish(job: ReportJob, *, status: str, started: float, error: str = "") -> ReportJob:
    job.status, job.error = status, error
    job.finished_at = timezone.now()
    job.seconds = round(time.perf_counter() - started, 3)
    job.save(update_fields=["status", "error", "finished_at", "seconds", "file"])
    return job
