"""The deployment plan: the grid of a campaign, and a class's kit, move and visits."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from classcontact.paging import paginate
from loans.forms import VisitPlanForm
from loans.models import LENDABLE_STATES, Kit, Programme, VisitKind

from .. import roles, services
from ..access_deployment import access_application_to_place, access_campaign_plan
from ..forms_deployment import MoveForm, PlacementForm, PlanFilterForm
from ..models import Campaign
from ..selectors_deployment import (
    PLAN_KITS_PER_PAGE,
    free_kits,
    placement_of,
    plan_grid,
    plan_kits,
    plan_owners,
    plan_trimesters,
)
from ..services.deployment import delivery_day
from .common import ERROR_FORM, attempt, post_only, programme_page

DEPLOYMENT_VISITS = (VisitKind.INSTALLATION, VisitKind.RETRIEVAL)


def _movable_kits():
    return (
        Kit.objects.filter(kit_type__programme=Programme.MOBILE_CLASSROOM, state__in=LENDABLE_STATES)
        .select_related("kit_type")
        .order_by("code")
    )


@programme_page
def plan_index(request: HttpRequest) -> HttpResponse:
    if not (roles.follows_all(request.user) or roles.plans_deployment(request.user)):
        raise Http404
    campaigns = Campaign.objects.select_related("school_year").order_by("-opens_on", "pk")
    return render(request, "classrooms/plan/index.html", {"campaigns": campaigns})


@programme_page
def plan(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """One page of the campaign's grid: 40 kits by code, filtered, whatever the number of kits."""
    campaign = access_campaign_plan(request.user, campaign_id)
    form = PlanFilterForm(request.GET or None, owners=plan_owners(campaign))
    trimesters = plan_trimesters(campaign)
    kits = plan_kits(campaign, [t.pk for t in trimesters], form.filters())
    # Not counted: a page reads one kit more than it shows to know whether another follows.
    page = paginate(request, kits.select_related("kit_type"), PLAN_KITS_PER_PAGE, cap=0)
    context = {
        "campaign": campaign,
        "form": form,
        "page_obj": page,
        "grid": plan_grid(campaign, trimesters=trimesters, kits=list(page)),
        "can_place": roles.plans_deployment(request.user),
        # The grid's links share one prefix, reversed once rather than once a cell.
        "place_prefix": reverse("classrooms:plan_index") + "class/",
        "free_label": _("free"),
    }
    return render(request, "classrooms/plan/grid.html", context)


def _placement_page(request: HttpRequest, application, *, status: int = 200, **forms) -> HttpResponse:
    placement = placement_of(application)
    trimester = application.accepted_trimester
    context = {
        "application": application,
        "placement": placement,
        "place_form": None,
        "move_form": None,
        "visit_form": None,
    }
    if placement.loan is None or not placement.loan.is_open:
        if trimester is not None and application.status in ("accepted", "training_registered"):
            context["place_form"] = forms.get("place_form") or PlacementForm(kits=free_kits(trimester))
    else:
        context["move_form"] = forms.get("move_form") or MoveForm(
            campaign=application.campaign,
            kits=_movable_kits(),
            initial={"trimester": placement.loan.trimester_id, "kit": placement.loan.kit_id},
        )
        initial = (
            {"day": delivery_day(trimester), "time": "09:00", "duration_minutes": 120} if trimester else {}
        )
        context["visit_form"] = forms.get("visit_form") or VisitPlanForm(
            kinds=DEPLOYMENT_VISITS, initial=initial
        )
    return render(request, "classrooms/plan/placement.html", context, status=status)


@programme_page
def placement(request: HttpRequest, application_id) -> HttpResponse:
    application = access_application_to_place(request.user, application_id)
    if request.method != "POST":
        return _placement_page(request, application)
    trimester = application.accepted_trimester
    if trimester is None:
        raise Http404
    form = PlacementForm(request.POST, kits=free_kits(trimester))
    if not form.is_valid():
        messages.error(request, ERROR_FORM)
        return _placement_page(request, application, status=400, place_form=form)
    attempt(
        request,
        lambda: services.placement_create(
            application=application,
            kit=form.cleaned_data["kit"],
            by=request.user,
            notes=form.cleaned_data["notes"],
        ),
        _("The class is placed on the plan with this kit."),
    )
    return redirect("classrooms:placement", application_id=application.public_id)


@programme_page
@post_only("classrooms:placement", "application_id")
def placement_move(request: HttpRequest, application_id) -> HttpResponse:
    application = access_application_to_place(request.user, application_id)
    form = MoveForm(request.POST, campaign=application.campaign, kits=_movable_kits())
    if not form.is_valid():
        messages.error(request, ERROR_FORM)
        return _placement_page(request, application, status=400, move_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.placement_move(
            application=application,
            by=request.user,
            reason=data["reason"],
            kit=data["kit"],
            trimester=data["trimester"],
        ),
        _("The class is moved; the school is told."),
    )
    return redirect("classrooms:placement", application_id=application.public_id)


@programme_page
@post_only("classrooms:placement", "application_id")
def placement_visit(request: HttpRequest, application_id) -> HttpResponse:
    application = access_application_to_place(request.user, application_id)
    form = VisitPlanForm(request.POST, kinds=DEPLOYMENT_VISITS)
    if not form.is_valid():
        messages.error(request, ERROR_FORM)
        return _placement_page(request, application, status=400, visit_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.deployment_visit_plan(
            application=application,
            kind=data["kind"],
            starts_at=data["starts_at"],
            technician=data["technician"],
            by=request.user,
            duration_minutes=data["duration_minutes"],
            notes=data["notes"],
        ),
        _("The visit is planned; the technician and the school are told."),
    )
    return redirect("classrooms:placement", application_id=application.public_id)
