"""Sending a staff list as a spreadsheet, and the page of an export made by a worker."""

import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .decorators import staff_required
from .export_jobs import export_job_start, export_progress
from .export_models import ExportJob, JobStatus
from .exports import FORMATS, Export, csv_lines, export_filename, write_xlsx
from .storage import private_download


def export_download(request: HttpRequest, export: Export, fmt: str) -> HttpResponse:
    """The list's rows with the page's filters: the file itself up to ``EXPORT_STREAM_MAX_ROWS``
    rows, else a job for a worker and its page. Only staff whose role may view the list's model."""
    if fmt not in FORMATS:
        raise Http404
    if not export.allowed(request.user):
        raise PermissionDenied
    rows = export.rows(request.user, request.GET)
    total = rows.count()
    if total > settings.EXPORT_STREAM_MAX_ROWS:
        job = export_job_start(export=export, fmt=fmt, query=request.GET, user=request.user, total_rows=total)
        return redirect("export_job", job_id=job.public_id)
    filename = export_filename(export, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(export, rows), content_type=FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        handle = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - the response closes it
        write_xlsx(export, rows, handle)
        handle.seek(0)
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=FORMATS["xlsx"])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def access_export_job(user, job_id) -> ExportJob:
    """The person who asked for the export, and nobody else (a superuser neither): 404."""
    job = get_object_or_404(ExportJob, public_id=job_id)
    if job.created_by_id != user.pk:
        raise Http404
    return job


def _state(job: ExportJob) -> dict:
    done, total = export_progress(job)
    return {"status": job.status, "done": done, "total": total, "error": job.error}


@staff_required
def export_job(request: HttpRequest, job_id) -> HttpResponse:
    job = access_export_job(request.user, job_id)
    finished = job.status in (JobStatus.DONE, JobStatus.FAILED)
    return render(
        request,
        "staff/export_job.html",
        {"job": job, "state": _state(job), "finished": finished, "keep_days": settings.EXPORT_KEEP_DAYS},
    )


@staff_required
def export_job_status(request: HttpRequest, job_id) -> JsonResponse:
    return JsonResponse(_state(access_export_job(request.user, job_id)))


@staff_required
def export_job_file(request: HttpRequest, job_id) -> HttpResponse:
    job = access_export_job(request.user, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    response = private_download(job.file, filename=job.filename)
    if job.format == "csv":  # plain text has no signature: say what it is
        response["Content-Type"] = FORMATS["csv"]
    return response
