"""The only way a view fetches an object of the programme: anyone else gets a 404, never data.

Applications are found by their random ``public_id``; their number never opens anything.
"""

from django.http import Http404

from . import roles
from .models import Application, ApplicationAttachment, CommissionSession, Proposal
from .selectors import (
    application_for_page,
    applications_for_inspector,
    applications_of_member,
    applications_reviewed_by,
    attachments_visible_to,
    sessions_to_decide,
    sessions_visible_to,
)


def _one(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def access_school_application(user, application_id, *, for_page: bool = False) -> Application:
    """An application of one of the person's schools (the school's pages)."""
    queryset = applications_of_member(user)
    return _one(application_for_page(queryset) if for_page else queryset, public_id=application_id)


def access_school_application_to_manage(user, application_id) -> Application:
    """An application of a school the person directs (to send or withdraw it)."""
    application = access_school_application(user, application_id)
    if not roles.manages_school(user, application.school_id):
        raise Http404
    return application


def access_reviewed_application(user, application_id, *, for_page: bool = False) -> Application:
    """An application the person's programme role reads (inspector, adviser, commission…)."""
    queryset = applications_reviewed_by(user)
    return _one(application_for_page(queryset) if for_page else queryset, public_id=application_id)


def access_application_for_opinion(user, application_id) -> Application:
    """An application of a district the person inspects."""
    return _one(applications_for_inspector(user), public_id=application_id)


def access_attachment(user, attachment_id: int) -> ApplicationAttachment:
    return _one(attachments_visible_to(user), pk=attachment_id)


def access_session(user, session_id: int) -> CommissionSession:
    """A commission session, for the commission, the adviser and the decision maker."""
    return _one(sessions_visible_to(user).select_related("campaign", "chair"), pk=session_id)


def access_session_to_prepare(user, session_id: int) -> CommissionSession:
    session = access_session(user, session_id)
    if not roles.prepares_sessions(user):
        raise Http404
    return session


def access_session_to_decide(user, session_id: int) -> CommissionSession:
    return _one(sessions_to_decide(user).select_related("campaign", "chair"), pk=session_id)


def access_proposal_to_prepare(user, proposal_id: int) -> Proposal:
    if not roles.prepares_sessions(user):
        raise Http404
    return _one(Proposal.objects.select_related("session", "application"), pk=proposal_id)


def access_proposal_to_decide(user, proposal_id: int) -> Proposal:
    return _one(
        Proposal.objects.filter(session__in=sessions_to_decide(user)).select_related(
            "session", "application"
        ),
        pk=proposal_id,
    )
