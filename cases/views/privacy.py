"""A case's data protection page (coordinators): when it is erased, the legal hold, who read
its health data, and the pupil's export for a parent's request."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classcontact.paging import paginate
from classcontact.storage import private_download

from ..access import access_case_for_staff
from ..models import ConnectionCase, PupilExport
from ..privacy_forms import AccessFilterForm, LegalHoldForm
from ..privacy_models import JobStatus
from ..pupil_export import pupil_export_progress
from ..retention import (
    RetentionError,
    case_legal_hold,
    case_legal_hold_release,
    documents_purge_date,
    purge_date,
)
from ..services import pupil_export_start
from .common import case_page
from .staff import _require_coordinator


def _coordinator_case(request: HttpRequest, case_id) -> ConnectionCase:
    """Staff who are not coordinators get a 403, everyone else a 404."""
    case = access_case_for_staff(request.user, case_id)
    _require_coordinator(request.user)
    return case


def _page(request: HttpRequest, case: ConnectionCase, *, hold_form=None, status: int = 200) -> HttpResponse:
    form = AccessFilterForm(request.GET or None)
    reads = form.filter(case.health_reads.select_related("user").order_by("-at", "-pk"))
    context = {
        "case": case,
        "purge_on": purge_date(case),
        "documents_purge_on": documents_purge_date(case),
        "hold_form": hold_form or LegalHoldForm(),
        "filter_form": form,
        "page_obj": paginate(request, reads),
        "exports": case.exports.select_related("created_by")[:10],
        "keep_days": settings.PUPIL_EXPORT_KEEP_DAYS,
    }
    return render(request, "cases/case_privacy.html", context, status=status)


@case_page
def staff_case_privacy(request: HttpRequest, case_id) -> HttpResponse:
    case = _coordinator_case(request, case_id)
    return _page(request, case)


@case_page
@require_POST
def staff_case_hold(request: HttpRequest, case_id) -> HttpResponse:
    case = _coordinator_case(request, case_id)
    try:
        if request.POST.get("action") == "release":
            case_legal_hold_release(case=case, by=request.user)
            messages.success(request, _("The legal hold is lifted."))
        else:
            form = LegalHoldForm(request.POST)
            if not form.is_valid():
                return _page(request, case, hold_form=form, status=400)
            case_legal_hold(case=case, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The case is on legal hold: it will not be erased."))
    except RetentionError as error:
        messages.error(request, error.message)
    return redirect("cases:staff_privacy", case_id=case.public_id)


@case_page
@require_POST
def staff_case_export(request: HttpRequest, case_id) -> HttpResponse:
    case = _coordinator_case(request, case_id)
    export = pupil_export_start(case=case, by=request.user)
    return redirect("cases:staff_export", export_id=export.public_id)


def _export_for(request: HttpRequest, export_id) -> PupilExport:
    """A coordinator's look at a pupil's export still kept; anyone else a 404 or 403."""
    if not request.user.is_authenticated:
        raise Http404
    export = PupilExport.objects.select_related("case").filter(public_id=export_id).first()
    if export is None:
        raise Http404
    _coordinator_case(request, export.case.public_id)
    if export.created_at < timezone.now() - datetime.timedelta(days=settings.PUPIL_EXPORT_KEEP_DAYS):
        raise Http404
    return export


def _state(export: PupilExport) -> dict:
    done, total = pupil_export_progress(export)
    return {"status": export.status, "done": done, "total": total, "error": export.error}


@case_page
def staff_export(request: HttpRequest, export_id) -> HttpResponse:
    export = _export_for(request, export_id)
    context = {
        "export": export,
        "case": export.case,
        "state": _state(export),
        "finished": export.status in (JobStatus.DONE, JobStatus.FAILED),
        "keep_days": settings.PUPIL_EXPORT_KEEP_DAYS,
    }
    return render(request, "cases/pupil_export.html", context)


@case_page
def staff_export_status(request: HttpRequest, export_id) -> JsonResponse:
    return JsonResponse(_state(_export_for(request, export_id)))


@case_page
def staff_export_file(request: HttpRequest, export_id) -> HttpResponse:
    export = _export_for(request, export_id)
    if export.status != JobStatus.DONE or not export.file:
        raise Http404
    return private_download(export.file, filename=export.file.name.rsplit("/", 1)[-1])
