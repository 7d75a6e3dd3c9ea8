"""The only way a helpdesk view fetches an object: outsiders get a 404, never data."""

from django.shortcuts import get_object_or_404

from cases.models import ConnectionCase

from .models import HelpArticle, Ticket, TicketAttachment
from .selectors import articles_visible_to, attachments_visible_to, tickets_of_member, tickets_visible_to

# Joined to the ticket: its school, people and kit. Its case (with the case's class) is read
# apart, and only when set: PostgreSQL spends longer planning a join of eight tables (the
# cases' has many indexes) than the small read takes. The ticket a merge closed this one into
# is read when shown, by its foreign key (rare).
TICKET_RELATED = ("school", "opened_by", "assignee", "kit")


def _ticket(tickets, ticket_id: int) -> Ticket:
    ticket = get_object_or_404(tickets.select_related(*TICKET_RELATED), pk=ticket_id)
    if ticket.case_id:
        ticket.case = ConnectionCase.objects.select_related("school_class").get(pk=ticket.case_id)
    return ticket


def access_member_ticket(user, ticket_id: int) -> Ticket:
    """A ticket of one of the user's schools (school pages: staff use the queue)."""
    return _ticket(tickets_of_member(user), ticket_id)


def access_ticket(user, ticket_id: int) -> Ticket:
    """Any ticket for staff; a ticket of one of their schools for anyone else."""
    return _ticket(tickets_visible_to(user), ticket_id)


def access_attachment(user, attachment_id: int) -> TicketAttachment:
    """An attachment of a ticket the user may see, never one of an internal note for a school."""
    return get_object_or_404(attachments_visible_to(user), pk=attachment_id)


def access_article(user, article_id: int) -> HelpArticle:
    """A published article; staff may also read drafts."""
    return get_object_or_404(articles_visible_to(user), pk=article_id)
