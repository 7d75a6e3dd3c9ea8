"""How the deployment's pages fetch what they show: anyone else gets a 404, never data."""

from django.http import Http404

from . import roles
from .access import _one
from .models import Application, Campaign, TrainingRegistration, TrainingSession
from .selectors import applications_reviewed_by
from .selectors_deployment import teacher_applications


def access_campaign_plan(user, campaign_id: int) -> Campaign:
    """A campaign's plan, for the programme's people who follow every class."""
    if not (roles.follows_all(user) or roles.plans_deployment(user)):
        raise Http404
    return _one(Campaign.objects.all(), pk=campaign_id)


def access_application_to_place(user, application_id) -> Application:
    """An application whose kit and visits the person plans."""
    if not roles.plans_deployment(user):
        raise Http404
    queryset = applications_reviewed_by(user).select_related(
        "school", "campaign", "accepted_trimester__school_year"
    )
    return _one(queryset, public_id=application_id)


def access_teacher_application(user, application_id) -> Application:
    """An accepted class of a school where the person teaches."""
    return _one(teacher_applications(user).select_related("school"), public_id=application_id)


def access_session_to_register(user, session_id: int) -> TrainingSession:
    """A session of a campaign in which one of the person's classes was accepted."""
    campaigns = teacher_applications(user).values("campaign_id")
    return _one(TrainingSession.objects.filter(campaign_id__in=campaigns), pk=session_id)


def access_own_registration(user, registration_id: int) -> TrainingRegistration:
    if not user.is_authenticated:
        raise Http404
    return _one(TrainingRegistration.objects.filter(teacher=user), pk=registration_id)


def access_session_to_run(user, session_id: int) -> TrainingSession:
    """A session the person gives, or any session for the programme's planners."""
    if not user.is_authenticated:
        raise Http404
    sessions = TrainingSession.objects.select_related("campaign", "trainer", "trimester__school_year")
    if not roles.plans_deployment(user):
        sessions = sessions.filter(trainer=user)
    return _one(sessions, pk=session_id)
