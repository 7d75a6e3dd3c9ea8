"""First-answer and resolution targets: which are running, due soon, late, met."""

from collections.abc import Iterable
from dataclasses import dataclass
import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..hours import HelpdeskCalendar, HelpdeskHoursUnavailable
from ..models import ACTIVE_STATUSES, Ticket, next_due_expression  # noqa: F401 - part of the selectors

# A target is "due soon" when it falls within this many helpdesk hours from now.
DUE_SOON_HOURS = 2


class TargetState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    LATE = "late", _("Late")
    MET = "met", _("Met")
    MISSED = "missed", _("Met late")
    NONE = "none", _("No target")


# ---------------------------------------------------------------- targets


def past_target_q(now: datetime.datetime) -> Q:
    """Active tickets with a missed target (a first answer is due before the resolution)."""
    return Q(status__in=ACTIVE_STATUSES) & (
        Q(first_responded_at__isnull=True, first_response_due__lt=now) | Q(resolution_due__lt=now)
    )


def due_soon_q(now: datetime.datetime, soon: datetime.datetime) -> Q:
    """Active tickets whose running target falls between now and ``soon``."""
    return Q(status__in=ACTIVE_STATUSES) & (
        Q(first_responded_at__isnull=True, first_response_due__gte=now, first_response_due__lte=soon)
        | Q(first_responded_at__isnull=False, resolution_due__gte=now, resolution_due__lte=soon)
    )


def due_soon_threshold(now: datetime.datetime, calendar: HelpdeskCalendar) -> datetime.datetime:
    try:
        return calendar.add(now, DUE_SOON_HOURS)
    except HelpdeskHoursUnavailable:
        return now + datetime.timedelta(hours=DUE_SOON_HOURS)


@dataclass(frozen=True)
class TargetInfo:
    label: str
    due: datetime.datetime | None
    done_at: datetime.datetime | None
    state: str

    @property
    def state_label(self) -> str:
        return TargetState(self.state).label


def _target_state(
    due: datetime.datetime | None,
    done_at: datetime.datetime | None,
    running: bool,
    now: datetime.datetime,
    soon: datetime.datetime,
) -> str:
    if due is None:
        return TargetState.NONE
    if done_at is not None:
        return TargetState.MET if done_at <= due else TargetState.MISSED
    if not running:
        return TargetState.NONE
    if now > due:
        return TargetState.LATE
    if due <= soon:
        return TargetState.DUE_SOON
    return TargetState.ON_TIME


def ticket_targets(ticket: Ticket, *, now: datetime.datetime, soon: datetime.datetime) -> list[TargetInfo]:
    """The first-answer and resolution targets of a ticket, each with its state."""
    running = ticket.status in ACTIVE_STATUSES
    return [
        TargetInfo(
            str(_("First answer")),
            ticket.first_response_due,
            ticket.first_responded_at,
            _target_state(ticket.first_response_due, ticket.first_responded_at, running, now, soon),
        ),
        TargetInfo(
            str(_("Resolution")),
            ticket.resolution_due,
            ticket.resolved_at,
            _target_state(ticket.resolution_due, ticket.resolved_at, running, now, soon),
        ),
    ]


def running_due(ticket: Ticket) -> datetime.datetime | None:
    """When the target a ticket runs against is due: the first answer until there is one,
    then the resolution; None once resolved or closed (``next_due_expression`` in SQL)."""
    if ticket.status not in ACTIVE_STATUSES:
        return None
    return ticket.first_response_due if ticket.first_responded_at is None else ticket.resolution_due


def ticket_target_state(ticket: Ticket, *, now: datetime.datetime, soon: datetime.datetime) -> str:
    """One state for a list: the running target while active, the resolution afterwards."""
    if ticket.status in ACTIVE_STATUSES:
        return _target_state(running_due(ticket), None, True, now, soon)
    if ticket.resolved_at is None:
        return TargetState.NONE
    return _target_state(ticket.resolution_due, ticket.resolved_at, False, now, soon)


def with_target_states(tickets: Iterable[Ticket], *, now, soon) -> list[Ticket]:
    """Set ``target_state`` (and its label) and ``next_due`` on each ticket of a page, no query."""
    tickets = list(tickets)
    for ticket in tickets:
        ticket.target_state = ticket_target_state(ticket, now=now, soon=soon)
        ticket.target_state_label = TargetState(ticket.target_state).label
        ticket.next_due = running_due(ticket)
    return tickets
