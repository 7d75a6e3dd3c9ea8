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
    """A ticket's messages in order (of a ticket fetched through ``access_ticket``); internal
    notes only for staff."""
    messages = ticket.messages.select_related("author").order_by("created_at", "pk")
    if not user_is_staff_member(user):
        messages = messages.filter(visibility=Visibility.PUBLIC)
    return messages


def _without_internal_files(user, attachments: QuerySet[TicketAttachment]) -> QuerySet[TicketAttachment]:
    """Schools never see the files of an internal note."""
    if user_is_staff_member(user):
        return attachments
    return attachments.filter(Q(message__isnull=True) | Q(message__visibility=Visibility.PUBLIC))


def attachments_visible_to(user) -> QuerySet[TicketAttachment]:
    return _without_internal_files(user, TicketAttachment.objects.filter(ticket__in=tickets_visible_to(user)))


def attachments_by_message(user, ticket: Ticket) -> dict[int | None, list[TicketAttachment]]:
    """The attachments of a ticket the user may read (the caller fetched it through
    ``access_ticket``), keyed by message id (None: sent with the ticket), one query."""
    attachments = _without_internal_files(user, TicketAttachment.objects.filter(ticket=ticket))
    grouped: dict[int | None, list[TicketAttachment]] = {}
    for attachment in attachments.only("message_id", "filename", "size").order_by("created_at", "pk"):
        grouped.setdefault(attachment.message_id, []).append(attachment)
    return grouped


def articles_visible_to(user) -> QuerySet[HelpArticle]:
    if user_is_staff_member(user):
        return HelpArticle.objects.all()
    return HelpArticle.objects.filter(published=True)
