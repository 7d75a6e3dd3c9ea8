"""Pages of the connection cases: the school's side, then the staff's side.

Views are thin: fetch through ``access``, bind a form, call one service, turn a refusal
into a message, redirect. Anyone who may not see a case gets a 404.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from classcontact.storage import private_download
from classcontact.workflow import InvalidTransition, allowed_targets
from schools.models import StaffRole
from schools.selectors import user_has_staff_role, user_is_staff_member

from . import services
from .access import access_case_for_director, access_case_for_staff, access_case_health_data
from .forms import (
    BoardFilterForm,
    CaseRequestForm,
    EligibilityForm,
    EndRequestForm,
    InternalNotesForm,
    NoteForm,
    ReasonForm,
    StaffEndRequestForm,
)
from .models import (
    DIRECTOR_WITHDRAW_STATES,
    SCHOOL_REQUEST_STATES,
    TRANSITIONS,
    CaseStatus,
    ConnectionCase,
    HealthField,
    SchoolRequest,
)
from .selectors import (
    case_board,
    cases_of_director,
    school_next_step,
    school_state_label,
    schools_for_new_request,
    staff_next_step,
    user_can_read_health_data,
    user_can_request_cases,
)

ERROR_MOVED_ON = gettext_lazy(
    "This is not possible any more: the case is now “%(state)s”. The page shows where it stands."
)
ERROR_FORM = gettext_lazy("Please correct the highlighted fields.")


def case_page(view):
    """Anonymous visitors get a 404 page (with a way to log in); views raise 404 for outsiders."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "cases/not_found.html", {"next": request.get_full_path()}, status=404)
        return view(request, *args, **kwargs)

    wrapper.anonymous_gets_404 = True  # read by the URL walk test
    return wrapper


def school_action(view):
    """A form of the school's case page posts here. Anything else (a reload, or the language
    switch on the page shown after refused input, which lives at this address) goes back to the case.
    """

    @wraps(view)
    def wrapper(request, case_id, *args, **kwargs):
        if request.method != "POST":
            return redirect("cases:detail", case_id=case_id)
        return view(request, case_id, *args, **kwargs)

    return wrapper


def _require_coordinator(user) -> None:
    if not user_has_staff_role(user, StaffRole.COORDINATOR):
        raise PermissionDenied


def _attempt(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Run a service; a refusal becomes an error message instead of an error page."""
    try:
        call()
    except services.CaseError as error:
        messages.error(request, error.message)
        return False
    except InvalidTransition as error:
        messages.error(request, ERROR_MOVED_ON % {"state": CaseStatus(error.current).label})
        return False
    messages.success(request, success)
    return True


# The school's side ------------------------------------------------------------------


@case_page
def case_list(request: HttpRequest) -> HttpResponse:
    """A director's cases, across the schools they manage."""
    if user_is_staff_member(request.user):
        return redirect("cases:staff_board")
    if not user_can_request_cases(request.user):
        raise Http404
    cases = cases_of_director(request.user).select_related("school").order_by("-status_changed_at", "-id")
    page = Paginator(cases, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, school_state_label(case), school_next_step(case)) for case in page]
    schools = list(schools_for_new_request(request.user))
    return render(
        request, "cases/connectioncase_list.html", {"page_obj": page, "rows": rows, "schools": schools}
    )


@case_page
def case_new(request: HttpRequest) -> HttpResponse:
    """Start a request: straight to the form with one school, else choose the school."""
    schools = list(schools_for_new_request(request.user))
    if not schools:
        raise Http404
    if len(schools) == 1:
        return redirect("cases:new_for_school", school_id=schools[0].pk)
    return render(request, "cases/connectioncase_choose_school.html", {"schools": schools})


@case_page
def case_new_for_school(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_object_or_404(schools_for_new_request(request.user), pk=school_id)
    return _request_form(request, school=school, case=None)


@case_page
def case_edit(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_director(request.user, case_id)
    if case.status != CaseStatus.DRAFT:
        messages.info(request, services.ERROR_NOT_DRAFT)
        return redirect("cases:detail", case_id=case.public_id)
    return _request_form(request, school=case.school, case=case)


def _request_form(request: HttpRequest, *, school, case: ConnectionCase | None) -> HttpResponse:
    has_certificate = bool(case and case.certificate)
    status = 200
    if request.method == "POST":
        submitting = request.POST.get("action") == "submit"
        form = CaseRequestForm(
            request.POST, request.FILES, school=school, submitting=submitting, has_certificate=has_certificate
        )
        if form.is_valid():
            try:
                saved = services.case_save_draft(
                    by=request.user, school=school, case=case, data=form.to_data()
                )
            except services.CaseError as error:
                messages.error(request, error.message)
                if case is not None:  # sent meanwhile, from another tab or by a colleague
                    return redirect("cases:detail", case_id=case.public_id)
                context = {"form": form, "school": school, "case": None}
                return render(request, "cases/connectioncase_form.html", context, status=400)
            case = saved
            if not submitting:
                messages.success(request, _("Draft saved. You can finish it later from “My cases”."))
                return redirect("cases:edit", case_id=case.public_id)
            if _attempt(
                request,
                lambda: services.case_submit(case=case, by=request.user),
                _("Your request has been sent. A confirmation is on its way by e-mail."),
            ):
                return redirect("cases:detail", case_id=case.public_id)
            return redirect("cases:edit", case_id=case.public_id)
        messages.error(request, ERROR_FORM)
        status = 400
    else:
        initial = CaseRequestForm.initial_for(case) if case else None
        form = CaseRequestForm(initial=initial, school=school, has_certificate=has_certificate)
    context = {"form": form, "school": school, "case": case}
    return render(request, "cases/connectioncase_form.html", context, status=status)


def _director_detail(
    request: HttpRequest, case: ConnectionCase, *, status: int = 200, **forms
) -> HttpResponse:
    context = {
        "case": case,
        "state_label": school_state_label(case),
        "next_step": school_next_step(case),
        "timeline": case.timeline,
        "can_edit": case.status == CaseStatus.DRAFT,
        "can_withdraw": case.status in DIRECTOR_WITHDRAW_STATES,
        "can_request": case.status in SCHOOL_REQUEST_STATES,
        "can_end": CaseStatus.END_REQUESTED in allowed_targets(TRANSITIONS, case.status),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
        "end_form": forms.get("end_form") or EndRequestForm(),
    }
    return render(request, "cases/connectioncase_detail.html", context, status=status)


@case_page
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    if user_is_staff_member(request.user):
        return redirect("cases:staff_detail", case_id=case_id)
    case = access_case_for_director(request.user, case_id, for_page=True)
    return _director_detail(request, case)


@case_page
@school_action
def case_withdraw(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_director(request.user, case_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        case = access_case_for_director(request.user, case_id, for_page=True)
        return _director_detail(request, case, status=400, withdraw_form=form)
    _attempt(
        request,
        lambda: services.case_withdraw(case=case, by=request.user, reason=form.cleaned_data["reason"]),
        _("The request is withdrawn."),
    )
    return redirect("cases:detail", case_id=case.public_id)


@case_page
@school_action
def case_request_presentation(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_director(request.user, case_id)
    _attempt(
        request,
        lambda: services.case_request_presentation(case=case, by=request.user),
        _("Your request for a presentation is sent. The ClassContact team will contact you to fix a date."),
    )
    return redirect("cases:detail", case_id=case.public_id)


@case_page
@school_action
def case_request_classmates_letter(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_director(request.user, case_id)
    _attempt(
        request,
        lambda: services.case_request_classmates_letter(case=case, by=request.user),
        _("Your request for the letter is sent. The ClassContact team will send it to you."),
    )
    return redirect("cases:detail", case_id=case.public_id)


@case_page
@school_action
def case_request_end(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_director(request.user, case_id)
    form = EndRequestForm(request.POST)
    if not form.is_valid():
        case = access_case_for_director(request.user, case_id, for_page=True)
        return _director_detail(request, case, status=400, end_form=form)
    _attempt(
        request,
        lambda: services.case_request_end(
            case=case, by=request.user, last_day=form.cleaned_data["last_day"], note=form.cleaned_data["note"]
        ),
        _("Thank you. The ClassContact team will contact you to collect the kit."),
    )
    return redirect("cases:detail", case_id=case.public_id)


# The staff's side -------------------------------------------------------------------


@case_page
def staff_board(request: HttpRequest) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise Http404
    form = BoardFilterForm(request.GET or None)
    filters = form.filters()
    cases = case_board(user=request.user, filters=filters)
    page = Paginator(cases, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, staff_next_step(case)) for case in page]
    context = {"form": form, "page_obj": page, "rows": rows, "sort": filters.sort}
    return render(request, "cases/connectioncase_board.html", context)


def _staff_detail(request: HttpRequest, case: ConnectionCase, *, status: int = 200, **forms) -> HttpResponse:
    can_read_health = user_can_read_health_data(request.user)
    if can_read_health:
        services.health_read_record(
            user=request.user, case=case, field=HealthField.REASON_CATEGORY, context="staff case page"
        )
    targets = allowed_targets(TRANSITIONS, case.status)
    context = {
        "case": case,
        "timeline": case.timeline,
        "next_step": staff_next_step(case),
        "state_label": school_state_label(case),
        "can_read_health": can_read_health,
        "is_coordinator": user_has_staff_role(request.user, StaffRole.COORDINATOR),
        "can_start_review": CaseStatus.UNDER_REVIEW in targets,
        "can_decide": CaseStatus.ELIGIBLE in targets,
        "can_withdraw": CaseStatus.WITHDRAWN in targets,
        "can_pause": CaseStatus.PAUSED in targets,
        "can_resume": case.status == CaseStatus.PAUSED,
        "can_end": CaseStatus.END_REQUESTED in targets,
        "can_close": CaseStatus.CLOSED in targets,
        "close_label": CaseStatus.CLOSED.label,
        "eligibility_form": forms.get("eligibility_form")
        or EligibilityForm(initial={"school_in_fwb": case.school.in_fwb}),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
        "end_form": forms.get("end_form") or StaffEndRequestForm(),
        "note_form": NoteForm(),
        "notes_form": InternalNotesForm(initial={"notes": case.internal_notes}),
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
    _attempt(request, lambda: services.case_start_review(case=case, by=request.user), _("Review started."))
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
    _attempt(
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
    _attempt(
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
    _attempt(
        request, lambda: services.case_pause(case=case, by=request.user, note=note), _("Connection paused.")
    )
    return _back(case)


@case_page
@require_POST
def staff_resume(request: HttpRequest, case_id) -> HttpResponse:
    case = _staff_case_for_action(request, case_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _attempt(
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
    _attempt(
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
        _attempt(
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
    _attempt(
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
    _attempt(
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
