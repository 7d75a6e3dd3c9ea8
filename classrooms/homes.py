"""The mobile classroom programme's lines on people's home pages (classcontact.homes).

The inspector sees the applications waiting for their opinion, the adviser and the chair
those to put before the commission and the sessions to prepare, the commission's members
their coming sessions, the decision maker the proposals waiting for a decision, a resource
teacher the evaluations to complete; a school's people see the training sessions coming.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.homes import WorkLine, work_line
from schools.selectors import user_programme_roles

from . import roles
from .models import ApplicationStatus, ClassFollowUp, CommissionSession, SessionStatus, TrainingSession
from .selectors import applications_followed_by, applications_for_inspector
from .selectors_deployment import teacher_applications

A = ApplicationStatus


def _numbered(text):
    """The button of a line about an application, named by its number."""
    return lambda application: text % {"item": application.number_display}


def _review_page(application) -> str:
    return reverse("classrooms:review", args=[application.public_id])


def _session_page(session) -> str:
    return reverse("classrooms:session", args=[session.pk])


def _inspector_lines(user) -> list[WorkLine]:
    waiting = applications_for_inspector(user).filter(status=A.SUBMITTED).order_by("submitted_at", "pk")
    return [
        work_line(
            waiting.only("public_id", "number"),
            key="classroom-opinions",
            label=_("Mobile classroom applications waiting for your opinion"),
            url=_review_page,
            action=_numbered(_("Give an opinion on %(item)s")),
            list_url=reverse("classrooms:inbox"),
        )
    ]


def _preparer_lines(user) -> list[WorkLine]:
    ready = applications_followed_by(user).filter(status=A.OPINION_GIVEN).order_by("opinion_at", "pk")
    open_sessions = CommissionSession.objects.filter(status=SessionStatus.OPEN).order_by("held_on", "pk")
    return [
        work_line(
            ready.only("public_id", "number"),
            key="classroom-for-commission",
            label=_("Applications to put before the commission"),
            url=_review_page,
            action=_numbered(_("Open %(item)s")),
            list_url=f"{reverse('classrooms:review_list')}?state={A.OPINION_GIVEN}",
        ),
        work_line(
            open_sessions,
            key="classroom-sessions-to-prepare",
            label=_("Commission sessions to prepare"),
            url=_session_page,
            action=_("Prepare %(item)s"),
            list_url=reverse("classrooms:sessions"),
        ),
    ]


def _member_lines(user) -> list[WorkLine]:
    coming = CommissionSession.objects.filter(
        members=user, status=SessionStatus.OPEN, held_on__gte=timezone.localdate()
    ).order_by("held_on", "pk")
    return [
        work_line(
            coming,
            key="classroom-coming-sessions",
            label=_("Commission sessions you are invited to"),
            url=_session_page,
            action=_("Read the agenda of %(item)s"),
            list_url=reverse("classrooms:sessions"),
        )
    ]


def _decider_lines(user) -> list[WorkLine]:
    sent = CommissionSession.objects.filter(status=SessionStatus.SENT).order_by("held_on", "pk")
    return [
        work_line(
            sent,
            key="classroom-decisions",
            label=_("Commission proposals waiting for your decision"),
            url=lambda session: reverse("classrooms:decision", args=[session.pk]),
            action=_("Decide on %(item)s"),
            list_url=reverse("classrooms:decision_list"),
        )
    ]


def _resource_teacher_lines(user) -> list[WorkLine]:
    to_evaluate = (
        ClassFollowUp.objects.filter(resource_teacher=user, application__status=A.RETURNED)
        .select_related("application")
        .only("application__public_id", "application__number")
        .order_by("application__status_changed_at", "pk")
    )
    return [
        work_line(
            to_evaluate,
            key="classroom-evaluations",
            label=_("Classes back from their loan whose evaluation is to complete"),
            url=lambda followup: reverse("classrooms:followup", args=[followup.application.public_id]),
            action=lambda followup: (
                _("Complete the evaluation of %(item)s") % {"item": followup.application.number_display}
            ),
            list_url=reverse("classrooms:my_classes"),
        )
    ]


def school_lines(user) -> list[WorkLine]:
    """A school's teachers and directors: the training sessions coming for their accepted classes."""
    if user.is_staff:
        return []
    coming = TrainingSession.objects.filter(
        starts_at__gt=timezone.now(), campaign_id__in=teacher_applications(user).values("campaign_id")
    ).order_by("starts_at", "pk")
    trainings = reverse("classrooms:my_trainings")
    return [
        work_line(
            coming.only("pk"),
            key="classroom-trainings",
            label=_("Mobile classroom training sessions coming"),
            url=lambda _session: trainings,
            action=_("See the sessions and register"),
        )
    ]


def programme_lines(user) -> list[WorkLine]:
    """What waits for a person of the programme, by role (none for anyone else).

    Programme roles need a second factor: a person whose login is not verified (a school's
    director or teacher) holds none, and their home is not asked for them."""
    verified = getattr(user, "is_verified", None)
    if verified is None or not verified() or not user_programme_roles(user):
        return []
    lines: list[WorkLine] = []
    if roles.is_inspector(user):
        lines += _inspector_lines(user)
    if roles.prepares_sessions(user):
        lines += _preparer_lines(user)
    elif roles.reads_sessions(user) and not roles.decides(user):
        lines += _member_lines(user)
    if roles.decides(user):
        lines += _decider_lines(user)
    if roles.is_resource_teacher(user):
        lines += _resource_teacher_lines(user)
    return lines
