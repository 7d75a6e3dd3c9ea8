"""The yearly departmental report: its page with charts, its spreadsheets, and its PDF made by
a worker (a progress page, then the file). For the programme's staff and the coordinators."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from classcontact.charts import Series, bar_chart, column_chart
from classcontact.export_models import JobStatus
from classcontact.exports import FORMATS
from classcontact.storage import private_download

from .. import roles
from ..access_followup import access_report_job
from ..report import YearlyReport, report_years
from ..report_exports import (
    outcome_rows,
    plan_header,
    plan_rows,
    reach_header,
    reach_rows,
    report_csv,
    report_filename,
    report_xlsx,
)
from ..report_kept import yearly_report_kept
from ..services.report_jobs import report_job_progress, report_job_start
from .common import programme_page

#: The page lists the first equipment plans (by municipality); the spreadsheets and the PDF
#: list them all, so that the page costs the same whatever the number of classes.
PLANS_SHOWN = 20


def _year(user, school_year: str) -> str:
    if not roles.reads_yearly_report(user) or school_year not in report_years():
        raise Http404
    return school_year


def _charts(report: YearlyReport) -> dict:
    labels = [_("Trimester %(number)s") % {"number": number} for number, _reach in report.trimesters]
    rates = [
        ("b2i", _("Pupils who benefited"), report.b2i_rate),
        ("before", _("Schools before"), report.schools_b2i_rate_before),
    ]
    known = [(label, value) for _key, label, value in rates if value is not None]
    return {
        "reach_chart": column_chart(
            _("Classes, schools and districts reached by trimester"),
            labels,
            [
                Series(_("Classes"), [reach.classes for _n, reach in report.trimesters]),
                Series(_("Schools"), [reach.schools for _n, reach in report.trimesters]),
                Series(_("Districts"), [reach.districts for _n, reach in report.trimesters]),
            ],
            stacked=False,
        ),
        "pupils_chart": bar_chart(
            _("Pupils reached by trimester"), labels, [reach.pupils for _n, reach in report.trimesters]
        ),
        "b2i_chart": bar_chart(
            _("B2i validation rate (%)"),
            [label for label, _v in known],
            [value for _l, value in known],
            unit=" %",
        ),
        "b2i_rows": known,
    }


@programme_page
@require_GET
def report_home(request: HttpRequest) -> HttpResponse:
    """The latest school year's report."""
    years = report_years()
    if not roles.reads_yearly_report(request.user) or not years:
        raise Http404
    return redirect("classroom_report:year", school_year=years[0])


@programme_page
@require_GET
def report_page(request: HttpRequest, school_year: str) -> HttpResponse:
    school_year = _year(request.user, school_year)
    report = yearly_report_kept(school_year, plans_shown=PLANS_SHOWN)
    context = {
        "report": report,
        "years": report_years(),
        "reach_header": reach_header(),
        "reach_rows": reach_rows(report),
        "outcome_rows": outcome_rows(report),
        "plan_header": plan_header(),
        "plan_rows": plan_rows(report),
        **_charts(report),
    }
    return render(request, "classrooms/report/year.html", context)


@programme_page
@require_GET
def report_download(request: HttpRequest, school_year: str, fmt: str) -> HttpResponse:
    """The same figures as a spreadsheet (small: made in the request)."""
    school_year = _year(request.user, school_year)
    if fmt not in FORMATS:
        raise Http404
    report = yearly_report_kept(school_year)
    body = report_csv(report).encode("utf-8") if fmt == "csv" else report_xlsx(report)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@programme_page
@require_POST
def report_pdf_start(request: HttpRequest, school_year: str) -> HttpResponse:
    school_year = _year(request.user, school_year)
    job = report_job_start(school_year=school_year, by=request.user)
    return redirect("classroom_report:job", job_id=job.public_id)


def _state(job) -> dict:
    done, total = report_job_progress(job)
    return {"status": job.status, "done": done, "total": total, "error": job.error}


@programme_page
@require_GET
def report_job(request: HttpRequest, job_id) -> HttpResponse:
    job = access_report_job(request.user, job_id)
    finished = job.status in (JobStatus.DONE, JobStatus.FAILED)
    return render(
        request, "classrooms/report/job.html", {"job": job, "state": _state(job), "finished": finished}
    )


@programme_page
@require_GET
def report_job_status(request: HttpRequest, job_id) -> JsonResponse:
    return JsonResponse(_state(access_report_job(request.user, job_id)))


@programme_page
@require_GET
def report_job_file(request: HttpRequest, job_id) -> HttpResponse:
    job = access_report_job(request.user, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return private_download(job.file, filename=job.filename)
