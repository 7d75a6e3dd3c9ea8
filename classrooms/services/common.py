"""What every change of an application shares: its errors, its lock, its timeline, its mails."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.errors import DomainError
from classcontact.notifying import notifying
from classcontact.numbering import counter_reserve
from classcontact.tasks_util import enqueue_on_commit
from classcontact.workflow import change_state
from schools.models import User

from ..models import (
    APPLICATION_NUMBER_SCOPE,
    TRANSITIONS,
    Application,
    ApplicationEvent,
    EventKind,
    format_application_number,
)

ERROR_NOT_DRAFT = _("This application has already been sent: it can no longer be changed here.")
ERROR_INCOMPLETE = _("The application is not complete yet. Missing: %(fields)s.")
ERROR_REASON_REQUIRED = _("Give a reason.")
ERROR_DIRECTOR_ONLY = _("Only the school's director (or delegate) can do this.")
ERROR_NOT_ALLOWED = _("You cannot do this for this application.")
ERROR_CAMPAIGN_CLOSED = _("Applications for this campaign are closed.")
ERROR_SCHOOL_NOT_IN_PROGRAMME = _("This school does not take part in the mobile classroom programme.")
ERROR_TRIMESTER_NOT_OFFERED = _("This trimester is not offered by the campaign.")
ERROR_OPINION_REQUIRED = _("Choose an opinion.")

# Events that lead to e-mails (see ``classrooms.notifications``).
MAILED_EVENTS = frozenset(
    {
        EventKind.INVITED,
        EventKind.SUBMITTED,
        EventKind.OPINION_GIVEN,
        EventKind.ACCEPTED,
        EventKind.REFUSED,
        EventKind.WAITING_LIST,
        EventKind.WITHDRAWN,
        EventKind.MOVED,
    }
)


class ClassroomError(DomainError):
    """A request that the rules of the programme refuse; ``message`` is shown as it is."""


def lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def record(
    application: Application,
    *,
    kind: str,
    by: User | None,
    message: str = "",
    public: bool = True,
    from_status: str = "",
    to_status: str = "",
) -> ApplicationEvent:
    """Write one timeline row; a mailed kind is handed to the mail task once the change commits."""
    notify = notifying()
    event = ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=by,
        message=message,
        is_public=public,
        from_status=from_status,
        to_status=to_status,
        notified_at=None if notify else timezone.now(),
    )
    if notify and kind in MAILED_EVENTS:
        enqueue_on_commit("classrooms.send_application_event_mail", event_id=event.pk)
    return event


def move(
    application: Application,
    *,
    target: str,
    by: User | None,
    kind: str,
    message: str = "",
    public: bool = True,
    fields: tuple[str, ...] = (),
) -> ApplicationEvent:
    """Move a locked application to ``target`` (checked), save ``fields`` with it, record the event."""
    return change_state(
        application,
        target,
        table=TRANSITIONS,
        by=by,
        fields=fields,
        record=lambda change: record(
            application,
            kind=kind,
            by=by,
            message=message,
            public=public,
            from_status=change.previous,
            to_status=change.target,
        ),
    )


def allocate_application_number(*, year: int) -> str:
    """The next number of ``year`` (CM-2026-0042); the counter row stays locked until commit."""
    while True:
        number = format_application_number(year, counter_reserve(scope=APPLICATION_NUMBER_SCOPE, year=year))
        if not Application.objects.filter(number=number).exists():
            return number
