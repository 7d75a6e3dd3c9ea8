"""Visits and internet referrals: lists, a technician's agenda, planning, completing, moving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classcontact.decorators import staff_required
from classcontact.export_views import export_download
from schools.selectors import managed_school_ids, user_is_staff_member

from .. import services
from ..access import (
    access_referral,
    access_school_kits,
    access_visit,
    access_visit_for_planner,
    access_visit_for_technician,
    require_planner,
)
from ..exports import VISITS
from ..forms import (
    ReferralCreateForm,
    ReferralUpdateForm,
    VisitCancelForm,
    VisitCompleteForm,
    VisitFilterForm,
    VisitPlanForm,
    VisitRescheduleForm,
)
from ..holders import holder_staff_url
from ..models import LoanStatus, VisitKind, VisitStatus
from ..selectors import VisitFilters, technician_agenda, user_manages_inventory, user_plans_visits
from ..selectors import visit_list as select_visits
from .common import paginate, staff_page


@login_required
def school_visit_new(request: HttpRequest, school_id: int) -> HttpResponse:
    """A coordinator plans a visit at a school outside a case (presentation, training, evaluation)."""
    require_planner(request.user)
    school = access_school_kits(request.user, school_id)
    kinds = [VisitKind.TEAM_PRESENTATION, VisitKind.TRAINING, VisitKind.INTERNET_EVALUATION]
    form = VisitPlanForm(request.POST or None, kinds=kinds, initial={"duration_minutes": 90})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_plan(
                kind=data["kind"],
                school=school,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                technician=data["technician"],
                address=data["address"],
                notes=data["notes"],
                by=request.user,
            )
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The visit is planned; the technician and the school are told by e-mail.")
            )
            return redirect("loans:school_overview", school_id=school.pk)
    status = 400 if form.errors else 200
    return render(request, "loans/visit_form.html", {"form": form, "school": school}, status=status)


# --- visits ------------------------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if not user_is_staff_member(request.user) and not managed_school_ids(request.user):
        raise Http404
    form = VisitFilterForm(request.GET or None)
    visits = select_visits(user=request.user, filters=VisitFilters(**form.filters()))
    return render(request, "loans/visit_list.html", {"form": form, "page_obj": paginate(request, visits)})


@staff_page
def my_visits(request: HttpRequest) -> HttpResponse:
    """A technician's visits on a phone: late, today, this week, later."""
    agenda = technician_agenda(request.user)
    return render(request, "loans/visit_mine.html", {"agenda": agenda})


def _visit_page(request: HttpRequest, visit, *, complete_form=None, referral_form=None, status: int = 200):
    user = request.user
    staff = user_is_staff_member(user)
    may_act = staff and (visit.technician_id == user.pk or user_plans_visits(user))
    if complete_form is None and may_act and visit.status == VisitStatus.PLANNED:
        complete_form = VisitCompleteForm(visit=visit)
    if (
        referral_form is None
        and may_act
        and visit.kind == VisitKind.INTERNET_EVALUATION
        and visit.status == VisitStatus.DONE
    ):
        referral_form = ReferralCreateForm(initial={"referred_on": timezone.localdate()})
    context = {
        "visit": visit,
        "staff": staff,
        "complete_form": complete_form,
        "referral_form": referral_form,
        "referrals": list(visit.referrals.all()),
        "can_plan": staff and user_plans_visits(user) and visit.status == VisitStatus.PLANNED,
        "cancel_form": VisitCancelForm() if staff and user_plans_visits(user) else None,
        "holder_url": holder_staff_url(visit) if staff else None,
    }
    return render(request, "loans/visit_detail.html", context, status=status)


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id)
    return _visit_page(request, visit)


@login_required
@require_POST
def visit_complete(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The technician marks the visit done with its checklist (on a phone, on site)."""
    visit = access_visit_for_technician(request.user, visit_id)
    form = VisitCompleteForm(request.POST, visit=visit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_complete(
                visit=visit,
                by=request.user,
                outcome=data["outcome"],
                checklist=form.checklist(),
                notes=data["notes"],
                training_given=data.get("training_given", False),
                user_guide_handed_over=data.get("user_guide_handed_over", False),
                room=data.get("room", ""),
                early_reason=data.get("early_reason", ""),
            )
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            return _after_completion(request, visit)
    return _visit_page(request, visit, complete_form=form, status=400)


def _after_completion(request: HttpRequest, visit) -> HttpResponse:
    """A retrieval done leads to the check-in of the kit it brought back; any other visit to its page."""
    loan = visit.loan
    if visit.kind == VisitKind.RETRIEVAL and loan is not None and loan.status == LoanStatus.LENT:
        if user_manages_inventory(request.user):
            messages.success(request, _("The visit is marked done. Now check the kit in, item by item."))
            return redirect("loans:loan_check_in", loan_id=loan.pk)
    messages.success(request, _("The visit is marked done."))
    return redirect("loans:visit_detail", visit_id=visit.pk)


@login_required
def visit_reschedule(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit_for_planner(request.user, visit_id)
    local = timezone.localtime(visit.starts_at)
    initial = {
        "day": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": visit.duration_minutes,
        "technician": visit.technician_id,
    }
    form = VisitRescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_reschedule(
                visit=visit,
                starts_at=data["starts_at"],
                technician=data["technician"],
                duration_minutes=data["duration_minutes"],
                by=request.user,
            )
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The visit is moved; the technician and the school are told by e-mail.")
            )
            return redirect("loans:visit_detail", visit_id=visit.pk)
    status = 400 if form.errors else 200
    return render(request, "loans/visit_reschedule.html", {"form": form, "visit": visit}, status=status)


@login_required
@require_POST
def visit_cancel(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit_for_planner(request.user, visit_id)
    form = VisitCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.ERROR_REASON_REQUIRED)
        return redirect("loans:visit_detail", visit_id=visit.pk)
    try:
        services.visit_cancel(visit=visit, by=request.user, reason=form.cleaned_data["reason"])
    except services.KitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The visit is cancelled."))
    return redirect("loans:visit_detail", visit_id=visit.pk)


@login_required
@require_POST
def referral_create(request: HttpRequest, visit_id: int) -> HttpResponse:
    """An internet evaluation ends in a referral to the partner internet provider."""
    visit = access_visit_for_technician(request.user, visit_id)
    form = ReferralCreateForm(request.POST)
    if form.is_valid():
        try:
            referral = services.referral_create(visit=visit, by=request.user, **form.cleaned_data)
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral to the internet provider is recorded."))
            return redirect("loans:referral_detail", referral_id=referral.pk)
    return _visit_page(request, visit, referral_form=form, status=400)


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Follow a referral: the provider's reference, its state, the outcome, the date fixed."""
    referral = access_referral(request.user, referral_id, for_change=request.method == "POST")
    staff = user_is_staff_member(request.user)
    form = None
    if staff and user_manages_inventory(request.user):
        initial = {
            "status": referral.status,
            "provider_reference": referral.provider_reference,
            "outcome": referral.outcome,
            "fixed_on": referral.fixed_on,
        }
        form = ReferralUpdateForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.referral_update(referral=referral, by=request.user, **form.cleaned_data)
            except services.KitError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The referral is updated."))
                return redirect("loans:referral_detail", referral_id=referral.pk)
    elif request.method == "POST":
        raise PermissionDenied
    status = 400 if form is not None and form.errors else 200
    return render(request, "loans/referral_detail.html", {"referral": referral, "form": form}, status=status)


@staff_required
def visit_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The visits with the list's filters, as CSV or XLSX (a technician's own only)."""
    return export_download(request, VISITS, fmt)
