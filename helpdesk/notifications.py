"""E-mails about tickets: who receives which, rendered in each recipient's language.

Schools hear about public replies and state changes; agents hear about new tickets and
school replies (and of missed targets through helpdesk/reminders.py). An internal note is
never the subject of a mail.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from classcontact.emails import send_templated_mail
from schools.models import StaffRole, User

from .models import Status, Ticket, TicketMessage, Visibility


def school_recipients(ticket: Ticket) -> list[User]:
    """Who opened the ticket and who replied from the school, if still members of it."""
    writers = ticket.messages.filter(from_staff=False, visibility=Visibility.PUBLIC).values("author")
    return list(
        User.objects.filter(is_active=True, is_staff=False, memberships__school=ticket.school_id)
        .filter(Q(pk__in=writers) | Q(pk=ticket.opened_by_id))
        .distinct()
        .order_by("email")
    )


def agent_recipients(ticket: Ticket) -> list[User]:
    """The assignee; without one, every helpdesk agent (coordinators when there is none)."""
    if ticket.assignee_id and ticket.assignee.is_active:
        return [ticket.assignee]
    staff = User.objects.filter(is_active=True, is_staff=True).order_by("email")
    agents = list(staff.filter(groups__name=StaffRole.HELPDESK_AGENT))
    return agents or list(staff.filter(groups__name=StaffRole.COORDINATOR))


def _send(name: str, recipients: list[User], context: dict) -> int:
    for user in recipients:
        send_templated_mail(
            name=name, to=[user.email], context={**context, "recipient": user}, language=user.language
        )
    return len(recipients)


def ticket_links(ticket: Ticket) -> dict:
    return {
        "school_link": settings.SITE_URL + reverse("helpdesk:ticket_detail", args=[ticket.pk]),
        "staff_link": settings.SITE_URL + reverse("helpdesk:staff_ticket_detail", args=[ticket.pk]),
    }


def send_ticket_mail(
    *, ticket_id: int, event: str, message_id: int | None = None, old_status: str = ""
) -> int:
    """Send the mails of one ticket event; returns how many went out (0 if the ticket is gone)."""
    ticket = (
        Ticket.objects.select_related("school", "opened_by", "assignee", "merged_into")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        return 0
    message = None
    if message_id is not None:
        message = TicketMessage.objects.select_related("author").filter(pk=message_id, ticket=ticket).first()
        if message is None or message.visibility != Visibility.PUBLIC:
            return 0  # gone, or an internal note: nothing to tell anyone
    context = {"ticket": ticket, "message": message, **ticket_links(ticket)}
    if event == "opened":
        return _send("ticket-opened", agent_recipients(ticket), context)
    if event == "school_reply":
        return _send("ticket-school-reply", agent_recipients(ticket), context)
    if event == "staff_reply":
        return _send("ticket-reply", school_recipients(ticket), context)
    if event == "status_changed":
        old_label = Status(old_status).label if old_status else ""
        return _send("ticket-status", school_recipients(ticket), {**context, "old_status": old_label})
    raise ValueError(f"Unknown ticket event {event!r}")
