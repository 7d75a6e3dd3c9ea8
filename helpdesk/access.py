"""The only way a helpdesk view fetches an object: outsiders get a 404, never data."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cases.models import ConnectionCase

from .models import HelpArticle, Ticket, TicketAttachment
from .selectors import articles_visible_to, attachments_visible_to, tickets_of_member, tickets_visible_to

# Joined to the ticket: its school, people and kit. The case (with its class) and the ticket it
# was merged into are read apart, and only when set: PostgreSQL spends longer planning a join
# of eight tables (the cases' has many indexes) than the two small reads take.
TICKET_RELATED = ("school", "opened_by", "assignee", "kit")
TICKET_PREFETCH = (Prefetch("case", ConnectionCase.objects.select_related("school_class")), "merged_into")


def _tickets(tickets):
    return tickets.select_related(*TICKET_RELATED).prefetch_related(*TICKET_PREFETCH)


def access_member_ticket(user, ticket_id: int) -> Ticket:
    """A ticket of one of the user's schools (school pages: staff use the queue)."""
    return get_object_or_404(_tickets(tickets_of_member(user)), pk=ticket_id)


def access_ticket(user, ticket_id: int) -> Ticket:
    """Any ticket for staff; a ticket of one of their schools for anyone else."""
    return get_object_or_404(_tickets(tickets_visible_to(user)), pk=ticket_id)


def access_attachment(user, attachment_id: int) -> TicketAttachment:
    """An attachment of a ticket the user may see, never one of an internal note for a school."""
    return get_object_or_404(attachments_visible_to(user), pk=attachment_id)


def access_article(user, article_id: int) -> HelpArticle:
    """A published article; staff may also read drafts."""
    return get_object_or_404(articles_visible_to(user), pk=article_id)
