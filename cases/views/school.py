"""The school's side: a director's cases, the request form, and what a school may ask."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from classcontact.workflow import allowed_targets
from schools.selectors import user_is_staff_member

from .. import services
from ..access import access_case_for_director
from ..forms import CaseRequestForm, EndRequestForm, ReasonForm
from ..models import DIRECTOR_WITHDRAW_STATES, SCHOOL_REQUEST_STATES, TRANSITIONS, CaseStatus, ConnectionCase
from ..panels import case_panels
from ..selectors import (
    cases_of_director,
    school_next_step,
    school_state_label,
    schools_for_new_request,
    user_can_request_cases,
)
from .common import ERROR_FORM, attempt, case_page


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
            if attempt(
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
        "panels": case_panels(case, request.user, staff=False),
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
    attempt(
        request,
        lambda: services.case_withdraw(case=case, by=request.user, reason=form.cleaned_data["reason"]),
        _("The request is withdrawn."),
    )
    return redirect("cases:detail", case_id=case.public_id)


@case_page
@school_action
def case_request_presentation(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_director(request.user, case_id)
    attempt(
        request,
        lambda: services.case_request_presentation(case=case, by=request.user),
        _("Your request for a presentation is sent. The ClassContact team will contact you to fix a date."),
    )
    return redirect("cases:detail", case_id=case.public_id)


@case_page
@school_action
def case_request_classmates_letter(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_director(request.user, case_id)
    attempt(
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
    attempt(
        request,
        lambda: services.case_request_end(
            case=case, by=request.user, last_day=form.cleaned_data["last_day"], note=form.cleaned_data["note"]
        ),
        _("Thank you. The ClassContact team will contact you to collect the kit."),
    )
    return redirect("cases:detail", case_id=case.public_id)
