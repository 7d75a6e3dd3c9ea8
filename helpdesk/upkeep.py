"""The helpdesk's periodic work: closing tickets resolved long ago (the reminders of missed
targets are a rule of the reminder engine, helpdesk/reminders.py).

Run by Celery beat (``helpdesk.tasks``); each ticket changes in its own transaction through
the same state helper as the services.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Status, Ticket
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
