"""The staff's side: the board, a case's page, and the steps coordinators take by hand."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classcontact.decorators import staff_required
from classcontact.export_views import export_download
from classcontact.paging import paginate
from classcontact.storage import private_download
from classcontact.workflow import allowed_targets
from schools.models import StaffRole
from schools.selectors import user_has_staff_role, user_is_staff_member

from .. import services
from ..access import access_case_for_staff, access_case_health_data
from ..exports import CASE_BOARD
from ..forms import (
    BoardFilterForm,
    EligibilityForm,
    InternalNotesForm,
    NoteForm,
    ReasonForm,
    StaffEndRequestForm,
)
from ..models import TRANSITIONS, CaseStatus, ConnectionCase, HealthField, SchoolRequest
from ..panels import case_panels
from ..retention import purge_date
from ..selectors import case_board, school_state_label, staff_next_step, user_can_read_health_data
from .common import attempt, case_page


def _require_coordinator(user) -> None:
    if not user_has_staff_role(user, StaffRole.COORDINATOR):
        raise PermissionDenied


# The staff's side -------------------------------------------------------------------


@case_page
def staff_board(request: HttpRequest) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise Http404
    form = BoardFilterForm(request.GET or None)
    filters = form.filters()
    cases = case_board(user=request.user, filters=filters)
    page = paginate(request, cases)
    rows = [(case, staff_next_step(case)) for case in page]
    context = {"form": form, "page_obj": page, "rows": rows, "sort": filters.sort}
    return render(request, "cases/connectioncase_board.html", context)


@staff_required
def staff_board_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The board's rows with its filters, as CSV or XLSX (a worker makes long ones)."""
    return export_download(request, CASE_BOARD, fmt)


def _action_forms(case: ConnectionCase, targets, *, coordinator: bool, given: dict) -> dict:
    """The forms of the actions a coordinator may take on the case now; no other is built."""
    if not coordinator:
        return {}
    wanted = {
        "eligibility_form": (
            CaseStatus.ELIGIBLE in targets,
            EligibilityForm,
            {"school_in_fwb": case.school.in_fwb},
        ),
        "withdraw_form": (CaseStatus.WITHDRAWN in targets, ReasonForm, None),
        "end_form": (CaseStatus.END_REQUESTED in targets, StaffEndRequestForm, None),
        "note_form": (CaseStatus.PAUSED in targets, NoteForm, None),
        "notes_form": (True, InternalNotesForm, {"notes": case.internal_notes}),
    }
    return {
        name: given.get(name) or form_class(initial=initial)
        for name, (shown, form_class, initial) in wanted.items()
        if shown
    }


def _staff_detail(request: HttpRequest, case: ConnectionCase, *, status: int = 200, **forms) -> HttpResponse:
    can_read_health = user_can_read_health_data(request.user)
    if can_read_health:
        services.health_read_record(
            user=request.user, case=case, field=HealthField.REASON_CATEGORY, context="staff case page"
        )
    targets = allowed_targets(TRANSITIONS, case.status)
    is_coordinator = user_has_staff_role(request.user, StaffRole.COORDINATOR)
    context = {
        "case": case,
        "timeline": case.timeline,
        "next_step": staff_next_step(case),
        "state_label": school_state_label(case),
        "can_read_health": can_read_health,
        "is_coordinator": is_coordinator,
        "can_start_review": CaseStatus.UNDER_REVIEW in targets,
        "can_decide": CaseStatus.ELIGIBLE in targets,
        "can_withdraw": CaseStatus.WITHDRAWN in targets,
        "can_pause": CaseStatus.PAUSED in targets,
        "can_resume": case.status == CaseStatus.PAUSED,
        "can_end": CaseStatus.END_REQUESTED in targets,
        "can_close": CaseStatus.CLOSED in targets,
        "close_label": CaseStatus.CLOSED.label,
        **_action_forms(case, targets, coordinator=is_coordinator, given=forms),
        "panels": case_panels(case, request.user, staff=True),
        "purge_on": purge_date(case),
    }
    return render(request, "cases/connectioncase_staff_detail.html", context, status=status)


@case_page
def staff_case_detail(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_staff(request.user, case_id, for_page=True)
    return _staff_detail(request, case)


def _staff_case_for_action(request: HttpRequest, case_id) -> ConnectionCase:
    case = access_case_for_staff(request.user, case_id)
    _require_coordinator(request.user)
    return case


def _back(case: ConnectionCase) -> HttpResponse:
    return redirect("cases:staff_detail", case_id=case.public_id)


@case_page
@require_POST
def staff_start_review(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    attempt(request, lambda: services.case_start_review(case=case, by=request.user), _("Review started."))
    return _back(case)


@case_page
@require_POST
def staff_decide(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    form = EligibilityForm(request.POST)
    if not form.is_valid():
        case = access_case_for_staff(request.user, case_id, for_page=True)
        return _staff_detail(request, case, status=400, eligibility_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.case_decide_eligibility(
            case=case,
            by=request.user,
            school_in_fwb=data["school_in_fwb"],
            medical_reason=data["medical_reason"],
            eligible=data["decision"] == "eligible",
            reason=data["reason"],
        ),
        _("Decision recorded; the school is told by e-mail."),
    )
    return _back(case)


@case_page
@require_POST
def staff_withdraw(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        case = access_case_for_staff(request.user, case_id, for_page=True)
        return _staff_detail(request, case, status=400, withdraw_form=form)
    attempt(
        request,
        lambda: services.case_withdraw(case=case, by=request.user, reason=form.cleaned_data["reason"]),
        _("The case is withdrawn."),
    )
    return _back(case)


@case_page
@require_POST
def staff_pause(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    attempt(
        request, lambda: services.case_pause(case=case, by=request.user, note=note), _("Connection paused.")
    )
    return _back(case)


@case_page
@require_POST
def staff_resume(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    attempt(
        request, lambda: services.case_resume(case=case, by=request.user, note=note), _("Connection resumed.")
    )
    return _back(case)


@case_page
@require_POST
def staff_request_end(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    form = StaffEndRequestForm(request.POST)
    if not form.is_valid():
        case = access_case_for_staff(request.user, case_id, for_page=True)
        return _staff_detail(request, case, status=400, end_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.case_request_end(
            case=case,
            by=request.user,
            last_day=data["last_day"],
            for_parent=data["for_parent"],
            note=data["note"],
        ),
        _("End of use recorded."),
    )
    return _back(case)


@case_page
@require_POST
def staff_notes(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    form = InternalNotesForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.case_update_internal_notes(
                case=case, by=request.user, notes=form.cleaned_data["notes"]
            ),
            _("Internal notes saved."),
        )
    return _back(case)


@case_page
@require_POST
def staff_request_handled(request: HttpRequest, case_id, request_kind: str) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    if request_kind not in SchoolRequest.values:
        raise Http404
    attempt(
        request,
        lambda: services.case_mark_request_handled(case=case, by=request.user, request=request_kind),
        _("Marked as handled."),
    )
    return _back(case)


@case_page
@require_POST
def staff_step(request: HttpRequest, case_id, step: str) -> HttpResponse:
    # Closing is the only step taken by hand on the case page. The others are taken where
    # their work is done (kit and visit pages, documents page), so that loans, visits and
    # signatures stay right.
    case = _staff_case_for_action(request, case_id)
    if step != CaseStatus.CLOSED:
        raise Http404
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.case_close(case=case, by=request.user, note=note),
        _("The case is now “%(state)s”.") % {"state": CaseStatus.CLOSED.label},
    )
    return _back(case)


@case_page
def staff_certificate(request: HttpRequest, case_id) -> HttpResponse:
    """Download the medical certificate: staff coordinators only, and every read is logged."""
    case = access_case_for_staff(request.user, case_id)
    if not case.certificate:
        raise Http404
    case = access_case_health_data(request.user, case_id, field=HealthField.CERTIFICATE, context="download")
    extension = case.certificate.name.rsplit(".", 1)[-1]
    return private_download(case.certificate, filename=f"certificate-{case.number or 'draft'}.{extension}")
