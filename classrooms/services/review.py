"""The district inspector's opinion on an application."""

from django.db import transaction
from django.utils import timezone

from classcontact.workflow import check_transition
from schools.models import User

from ..models import TRANSITIONS, Application, ApplicationStatus, EventKind, Opinion
from ..selectors import applications_for_inspector
from .common import ERROR_NOT_ALLOWED, ERROR_OPINION_REQUIRED, ClassroomError, lock, move

A = ApplicationStatus


@transaction.atomic
def application_give_opinion(
    *, application: Application, by: User, opinion: str, comment: str = "", shared: bool = False
) -> Application:
    """The inspector of the school's district gives an opinion, which sends it on to the adviser.

    Effects: the opinion, its comment and whether the school may read it, who and when;
    state submitted → opinion_given; a timeline event (the school sees that an opinion was
    given, with its text only when shared); e-mails to the school's directors and to the
    advisers after commit.
    """
    application = lock(application)
    check_transition(TRANSITIONS, application.status, A.OPINION_GIVEN)
    if not applications_for_inspector(by).filter(pk=application.pk).exists():
        raise ClassroomError(ERROR_NOT_ALLOWED)
    if opinion not in Opinion.values:
        raise ClassroomError(ERROR_OPINION_REQUIRED)
    application.opinion = opinion
    application.opinion_comment = comment.strip()
    application.opinion_shared = shared
    application.opinion_by = by
    application.opinion_at = timezone.now()
    move(
        application,
        target=A.OPINION_GIVEN,
        by=by,
        kind=EventKind.OPINION_GIVEN,
        fields=("opinion", "opinion_comment", "opinion_shared", "opinion_by", "opinion_at"),
    )
    return application
