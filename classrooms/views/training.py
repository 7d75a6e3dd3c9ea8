"""Training sessions: the teachers' page (register in two clicks, cancel, waiting list),
the programme's list of sessions, and the trainer's attendance sheet."""

import uuid

from django.contrib import messages
from django.contrib.auth.models import Group
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schools.models import ProgrammeRole, User

from .. import roles, services
from ..access_deployment import (
    access_campaign_plan,
    access_own_registration,
    access_session_to_register,
    access_session_to_run,
    access_teacher_application,
)
from ..forms_deployment import TrainingSessionForm
from ..models import RegistrationStatus, TrainingSession
from ..selectors_deployment import registrations_of, seats_taken, teacher_applications, upcoming_sessions
from .common import ERROR_FORM, attempt, programme_page


@programme_page
def my_trainings(request: HttpRequest) -> HttpResponse:
    applications = list(
        teacher_applications(request.user).select_related(
            "school", "campaign", "accepted_trimester__school_year"
        )
    )
    sessions = list(upcoming_sessions({a.campaign_id for a in applications}))
    taken = seats_taken([s.pk for s in sessions])
    mine = registrations_of(request.user)
    rows = []
    for session in sessions:
        classes = [a for a in applications if a.campaign_id == session.campaign_id]
        rows.append(
            {
                "session": session,
                "free": max(session.seats - taken.get(session.pk, 0), 0),
                "registration": mine.get(session.pk),
                "application": classes[0] if classes else None,
            }
        )
    communities = {a.campaign.community_url for a in applications if a.campaign.community_url}
    context = {"rows": rows, "applications": applications, "communities": sorted(communities)}
    return render(request, "classrooms/training/mine.html", context)


@programme_page
@require_POST
def register(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session_to_register(request.user, session_id)
    try:
        application_id = uuid.UUID(request.POST.get("application", ""))
    except ValueError as error:
        raise Http404 from error
    application = access_teacher_application(request.user, application_id)
    waiting = request.POST.get("waiting_list") == "1"
    try:
        services.training_register(
            session=session, application=application, teacher=request.user, waiting_list=waiting
        )
    except services.ClassroomError as error:
        messages.error(request, error.message)
    else:
        if waiting:
            messages.success(
                request, _("You are on the waiting list; you will be e-mailed if a seat frees up.")
            )
        else:
            messages.success(request, _("You are registered; the invitation is in your mailbox."))
    return redirect("classrooms:my_trainings")


@programme_page
@require_POST
def cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = access_own_registration(request.user, registration_id)
    attempt(
        request,
        lambda: services.training_cancel(registration=registration, by=request.user),
        _("Your registration is cancelled."),
    )
    return redirect("classrooms:my_trainings")


def _trainers():
    groups = Group.objects.filter(name__in=[role.value for role in ProgrammeRole])
    return User.objects.filter(is_active=True, groups__in=groups).distinct().order_by("last_name", "email")


@programme_page
def sessions(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign_plan(request.user, campaign_id)
    can_create = roles.plans_deployment(request.user)
    form = (
        TrainingSessionForm(request.POST or None, campaign=campaign, trainers=_trainers())
        if can_create
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                lambda: services.training_session_create(
                    campaign=campaign,
                    trimester=data["trimester"],
                    title=data["title"],
                    starts_at=data["starts_at"],
                    place=data["place"],
                    trainer=data["trainer"],
                    seats=data["seats"],
                    duration_minutes=data["duration_minutes"],
                    by=request.user,
                ),
                _("The training session is planned."),
            ):
                return redirect("classrooms:training_sessions", campaign_id=campaign.pk)
        else:
            messages.error(request, ERROR_FORM)
    rows = list(
        TrainingSession.objects.filter(campaign=campaign)
        .select_related("trainer", "trimester__school_year")
        .order_by("starts_at")
    )
    taken = seats_taken([s.pk for s in rows])
    context = {"campaign": campaign, "rows": [(s, taken.get(s.pk, 0)) for s in rows], "form": form}
    return render(
        request, "classrooms/training/sessions.html", context, status=400 if form and form.errors else 200
    )


@programme_page
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session_to_run(request.user, session_id)
    registrations = list(
        session.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("teacher", "application__school")
        .order_by("status", "teacher__last_name", "teacher__email")
    )
    if request.method == "POST":
        present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        attempt(
            request,
            lambda: services.training_record_attendance(
                session=session, by=request.user, present_ids=present
            ),
            _("Attendance recorded."),
        )
        return redirect("classrooms:training_attendance", session_id=session.pk)
    return render(
        request, "classrooms/training/attendance.html", {"session": session, "registrations": registrations}
    )
