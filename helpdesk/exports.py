"""The staff queue of tickets as a spreadsheet, with the queue's filters and order."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.exports import Column, Export

from .forms import QueueFilterForm
from .hours import HelpdeskCalendar
from .selectors import due_soon_threshold, helpdesk_staff, queue_tickets, with_target_states


def ticket_rows(user, params: QueryDict):
    """The queue's tickets for ``params`` (its query string), through its own form and selector."""
    form = QueueFilterForm(params or None, staff=list(helpdesk_staff()))
    now = timezone.now()
    return queue_tickets(
        user=user, now=now, soon=due_soon_threshold(now, HelpdeskCalendar()), **form.filters()
    )


def with_targets(tickets: list) -> list:
    """Each ticket's target state, as the queue shows it (the calendar is read once a batch)."""
    now = timezone.now()
    return with_target_states(tickets, now=now, soon=due_soon_threshold(now, HelpdeskCalendar()))


TICKETS = Export(
    kind="tickets",
    model_label="helpdesk.ticket",
    filename="tickets",
    columns=(
        Column(_("Reference"), lambda ticket: ticket.reference),
        Column(_("Subject"), lambda ticket: ticket.subject),
        Column(_("School"), lambda ticket: ticket.school.name),
        Column(_("Category"), lambda ticket: ticket.get_category_display()),
        Column(_("Priority"), lambda ticket: ticket.get_priority_display()),
        Column(_("Status"), lambda ticket: ticket.get_status_display()),
        Column(_("Target"), lambda ticket: ticket.target_state_label),
        Column(_("Opened"), lambda ticket: ticket.created_at),
        Column(_("Assigned to"), lambda ticket: ticket.assignee),
        Column(_("First answer due"), lambda ticket: ticket.first_response_due),
        Column(_("First answered"), lambda ticket: ticket.first_responded_at),
        Column(_("Resolution due"), lambda ticket: ticket.resolution_due),
        Column(_("Resolved"), lambda ticket: ticket.resolved_at),
        Column(_("Case"), lambda ticket: ticket.case_number),
        Column(_("Kit"), lambda ticket: ticket.kit_code),
    ),
    rows=ticket_rows,
    decorate=with_targets,
)
