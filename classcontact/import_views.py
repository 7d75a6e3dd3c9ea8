"""The page of an import run by a worker: progress bar, then counts and the report to download."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from .decorators import staff_required
from .import_jobs import progress_of
from .import_models import ImportJob, ImportStatus
from .storage import private_download


def access_import_job(user, job_id) -> ImportJob:
    """The person who started the import, or a superuser; anyone else gets a 404."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), public_id=job_id)
    if job.created_by_id != user.pk and not user.is_superuser:
        raise Http404
    return job


def _state(job: ImportJob) -> dict:
    done, total = progress_of(job)
    return {"status": job.status, "done": done, "total": total, "counts": job.counts, "error": job.error}


@staff_required
def import_job(request: HttpRequest, job_id) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED)
    context = {"job": job, "state": _state(job), "finished": finished}
    return render(request, "staff/import_job.html", context)


@staff_required
def import_job_status(request: HttpRequest, job_id) -> JsonResponse:
    return JsonResponse(_state(access_import_job(request.user, job_id)))


@staff_required
def import_job_report(request: HttpRequest, job_id) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    if not job.report:
        raise Http404
    return private_download(job.report, filename=f"import-report-{job.created_at:%Y%m%d-%H%M}.csv")
