"""The helpdesk's periodic work: closing tickets resolved long ago, reminding agents of targets missed.

Run by Celery beat (``helpdesk.tasks``); each ticket changes in its own transaction through
the same state helper as the services.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SentNotification, Status, Ticket
from .selectors import past_target_q
from .services import AUTO_CLOSE_DAYS_DEFAULT, _notify, _set_status


def auto_close_days() -> int:
    return getattr(settings, "HELPDESK_AUTO_CLOSE_DAYS", AUTO_CLOSE_DAYS_DEFAULT)


@transaction.atomic
def _close_if_still_stale(ticket_id: int, cutoff: datetime.datetime) -> bool:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or ticket.status != Status.RESOLVED or ticket.resolved_at > cutoff:
        return False  # reopened or closed meanwhile
    _set_status(ticket, Status.CLOSED, by=None)
    _notify(ticket, "status_changed", old_status=Status.RESOLVED)
    return True


def ticket_close_stale(*, now: datetime.datetime | None = None) -> int:
    """Close tickets resolved more than ``HELPDESK_AUTO_CLOSE_DAYS`` days ago.

    Each ticket closes in its own transaction (history row without a user, e-mail to
    the school after commit); a ticket reopened meanwhile is left alone. Returns how
    many were closed. Safe to run twice.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=auto_close_days())
    ids = Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff).values_list("pk", flat=True)
    return sum(_close_if_still_stale(ticket_id, cutoff) for ticket_id in list(ids))


def reminder_key(ticket: Ticket, kind: str, due: datetime.datetime) -> str:
    return f"helpdesk.past_target:{ticket.pk}:{kind}:{due.astimezone(datetime.UTC):%Y%m%dT%H%M%S}"


def tickets_remind_past_target(*, now: datetime.datetime | None = None) -> int:
    """E-mail the agents about each target missed, once per ticket, target and due time.

    The ``SentNotification`` row (unique key) is written in the same transaction that
    enqueues the mail: running this twice, or twice at once, sends nothing more.
    Returns how many reminders were sent.
    """
    now = now or timezone.now()
    occasions = []
    tickets = Ticket.objects.filter(past_target_q(now)).only(
        "pk", "first_response_due", "resolution_due", "first_responded_at", "status"
    )
    for ticket in tickets.iterator():
        if (
            ticket.first_responded_at is None
            and ticket.first_response_due
            and ticket.first_response_due < now
        ):
            occasions.append((ticket, "first_response", ticket.first_response_due))
        if ticket.resolution_due and ticket.resolution_due < now:
            occasions.append((ticket, "resolution", ticket.resolution_due))
    keys = [reminder_key(*occasion) for occasion in occasions]
    already = set(SentNotification.objects.filter(key__in=keys).values_list("key", flat=True))
    sent = 0
    for key, (ticket, kind, _due) in zip(keys, occasions, strict=True):
        if key in already:
            continue
        with transaction.atomic():
            _row, created = SentNotification.objects.get_or_create(key=key, defaults={"ticket": ticket})
            if created:
                _notify(ticket, "past_target", target_kind=kind)
                sent += 1
    return sent
