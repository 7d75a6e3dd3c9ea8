"""The logistics pages of a case: find and reserve its kit, plan its visits, see them all.

Staff only (coordinators for the changes); the kit logistics themselves live in ``loans``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from classcontact.errors import DomainError
from classcontact.paging import paginate
from loans.forms import AvailabilityForm, ReserveForCaseForm, VisitPlanForm
from loans.models import Kit, KitType, VisitKind
from loans.selectors import (
    FREE_KITS_COUNT_CAP,
    holder_kit_panel,
    kits_free_between,
    user_manages_inventory,
    user_plans_visits,
)

from .. import services
from ..access import access_case_for_planning, access_case_for_staff
from ..models import CaseStatus


def _page(request: HttpRequest, queryset, *, cap: int | None = None):
    return paginate(request, queryset, cap=cap)


def _connection_kit_type() -> KitType | None:
    return KitType.objects.filter(programme="connection").order_by("pk").first()


@login_required
def case_assign(request: HttpRequest, case_id) -> HttpResponse:
    """A coordinator finds a free kit for an eligible case and reserves it."""
    case = access_case_for_planning(request.user, case_id)
    if request.method == "POST":
        form = ReserveForCaseForm(request.POST)
        if form.is_valid():
            kit = Kit.objects.filter(pk=form.cleaned_data["kit"]).first()
            if kit is None:
                raise Http404
            try:
                loan = services.case_reserve_kit(
                    case=case, kit=kit, start=form.cleaned_data["start"], by=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Kit %(code)s is reserved for case %(case)s.")
                    % {"code": loan.kit.code, "case": case.number_display},
                )
                return redirect("cases:case_logistics", case_id=case.public_id)
        else:
            messages.error(request, _("Choose a kit and a first day."))
        return redirect(request.get_full_path())

    kit_type = _connection_kit_type()
    initial = {
        "kit_type": kit_type.pk if kit_type else None,
        "start": timezone.localdate(),
        "region": case.school.region,
    }
    form = AvailabilityForm(request.GET or None, initial=initial)
    if not form.is_bound:
        form = AvailabilityForm(initial, initial=initial)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        kits = kits_free_between(
            kit_type=data["kit_type"], start=data["start"], end=None, region=data["region"]
        )
        page = _page(request, kits, cap=FREE_KITS_COUNT_CAP)
    context = {
        "case": case,
        "form": form,
        "page_obj": page,
        "open_loan": holder_kit_panel(case).open_loan,
        "can_assign": case.status == CaseStatus.ELIGIBLE,
        "start": form.cleaned_data.get("start") if form.is_valid() else timezone.localdate(),
    }
    return render(request, "cases/case_assign.html", context)


@login_required
def case_logistics(request: HttpRequest, case_id) -> HttpResponse:
    """A case's kit, visits and referrals, with the next logistics step."""
    case = access_case_for_staff(request.user, case_id)
    panel = holder_kit_panel(case)
    context = {
        "case": case,
        "panel": panel,
        "staff": True,
        "can_plan": user_plans_visits(request.user),
        "can_check_in": user_manages_inventory(request.user),
    }
    return render(request, "cases/case_logistics.html", context)


def _planning_kinds_for(case) -> list[str]:
    kinds = [
        VisitKind.HOME_SETUP,
        VisitKind.INTERNET_EVALUATION,
        VisitKind.TEAM_PRESENTATION,
        VisitKind.TRAINING,
    ]
    if case.status in services.BEFORE_SIGNATURES:
        kinds.remove(VisitKind.HOME_SETUP)
    if case.status in (CaseStatus.DOCUMENTS_SIGNED, CaseStatus.INSTALLATION_PLANNED):
        kinds.insert(0, VisitKind.INSTALLATION)
    if case.status in (CaseStatus.END_REQUESTED, CaseStatus.RETRIEVAL_PLANNED):
        kinds.append(VisitKind.RETRIEVAL)
    return kinds


@login_required
def case_visit_new(request: HttpRequest, case_id) -> HttpResponse:
    """A coordinator plans a visit of a case (installation, set-up at home, retrieval…)."""
    case = access_case_for_planning(request.user, case_id)
    kinds = _planning_kinds_for(case)
    initial = {"kind": request.GET.get("kind") or kinds[0], "duration_minutes": 90}
    form = VisitPlanForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_visit_plan(
                kind=data["kind"],
                case=case,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                technician=data["technician"],
                address=data["address"],
                notes=data["notes"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The visit is planned; the technician and the school are told by e-mail.")
            )
            return redirect("cases:case_logistics", case_id=case.public_id)
    status = 400 if form.errors else 200
    return render(
        request,
        "loans/visit_form.html",
        {
            "form": form,
            "school": case.school,
            "reference": f"{case.number_display} · {case.get_status_display()}",
            "back_url": reverse("cases:case_logistics", kwargs={"case_id": case.public_id}),
        },
        status=status,
    )
