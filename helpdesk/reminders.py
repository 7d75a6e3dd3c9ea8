"""The helpdesk's reminder rule, run by the portal's reminder engine (schools.reminders).

A ticket that missed its first-answer or resolution target reminds its assignee (without
one: every helpdesk agent, or the coordinators when there is none), once per ticket, target
and due time: a due time moved by a triage is a new occasion. The targets themselves are
counted in helpdesk hours when the ticket is opened or triaged; the engine only says when.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.reminders import Occasion, Recipient, Rule, register, subject_of, subject_pk

from .models import Ticket
from .notifications import agent_recipients, ticket_links
from .selectors import past_target_q


def _missed(ticket: Ticket, now: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
    missed = []
    if ticket.first_responded_at is None and ticket.first_response_due and ticket.first_response_due < now:
        missed.append(("first_response", ticket.first_response_due))
    if ticket.resolution_due and ticket.resolution_due < now:
        missed.append(("resolution", ticket.resolution_due))
    return missed


def past_target_occasions(today: datetime.date, subject: str | None = None):
    """One occasion per target missed by an active ticket, due at once."""
    now = timezone.now()
    tickets = Ticket.objects.filter(past_target_q(now)).select_related("school", "assignee").order_by("pk")
    if subject is not None:
        tickets = tickets.filter(pk=subject_pk(subject, Ticket))
    for ticket in tickets:
        recipients = [Recipient(user.email, user.language) for user in agent_recipients(ticket)]
        for kind, due in _missed(ticket, now):
            yield Occasion(
                key=f"ticket:{ticket.pk}:{kind}:{due.astimezone(datetime.UTC):%Y%m%dT%H%M%S}",
                since=timezone.localdate(due),
                school=None,
                recipients=recipients,
                context={"ticket": ticket, "target_kind": kind, **ticket_links(ticket)},
                subject=subject_of(ticket),
            )


register(
    Rule(
        name="helpdesk.past_target",
        occasions=past_target_occasions,
        steps=(0,),
        mail="ticket-past-target",
        label=_("Helpdesk ticket past its target"),
    )
)
