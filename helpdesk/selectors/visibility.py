"""Who sees which tickets, messages, attachments and articles; who works the tickets."""

from django.db.models import Q, QuerySet

from schools.models import Membership, School, StaffRole
from schools.selectors import user_has_staff_role, user_is_staff_member

from ..models import HelpArticle, Ticket, TicketAttachment, TicketMessage, Visibility

# ---------------------------------------------------------------- scoping

# Staff roles that work tickets (answer, assign, change states); other staff only read.
HELPDESK_ROLES = (StaffRole.HELPDESK_AGENT, StaffRole.COORDINATOR)


def user_works_helpdesk(user) -> bool:
    return user_has_staff_role(user, *HELPDESK_ROLES)


def tickets_of_member(user) -> QuerySet[Ticket]:
    """The tickets of the schools ``user`` belongs to (director, delegate or teacher)."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.filter(school__in=Membership.objects.filter(user=user).values("school"))


def schools_for_tickets(user) -> QuerySet:
    """The schools a user may open tickets for: those they belong to, in any role."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user).order_by("name")


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Staff see every ticket; anyone else, their own schools' tickets."""
    if user_is_staff_member(user):
        return Ticket.objects.all()
    return tickets_of_member(user)


def messages_visible_to(user, ticket: Ticket) -> QuerySet[TicketMessage]:
    """A ticket's messages in order; internal notes only for staff."""
    messages = ticket.messages.select_related("author").order_by("created_at", "pk")
    if not user_is_staff_member(user):
        messages = messages.filter(visibility=Visibility.PUBLIC)
    return messages


def attachments_visible_to(user) -> QuerySet[TicketAttachment]:
    attachments = TicketAttachment.objects.filter(ticket__in=tickets_visible_to(user))
    if not user_is_staff_member(user):
        attachments = attachments.filter(Q(message__isnull=True) | Q(message__visibility=Visibility.PUBLIC))
    return attachments


def attachments_by_message(user, ticket: Ticket) -> dict[int | None, list[TicketAttachment]]:
    """A ticket's attachments keyed by message id (None: sent with the ticket), one query."""
    grouped: dict[int | None, list[TicketAttachment]] = {}
    for attachment in attachments_visible_to(user).filter(ticket=ticket).order_by("created_at", "pk"):
        grouped.setdefault(attachment.message_id, []).append(attachment)
    return grouped


def articles_visible_to(user) -> QuerySet[HelpArticle]:
    if user_is_staff_member(user):
        return HelpArticle.objects.all()
    return HelpArticle.objects.filter(published=True)
