"""The helpdesk's lines on home pages (classcontact.homes) and its panel on a case's pages."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cases.panels import CasePanel
from classcontact.homes import WorkLine, work_line
from schools.models import StaffRole
from schools.selectors import managed_school_ids, user_has_staff_role, user_is_staff_member

from .models import Status, Ticket
from .selectors.targets import next_due_expression, past_target_q
from .selectors.visibility import tickets_of_member

#: Tickets about one case shown on its page; the rest are a search away.
CASE_PANEL_LIMIT = 10


def _staff_ticket(ticket) -> str:
    return reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])


def staff_lines(user) -> list[WorkLine]:
    """Tickets past their target, for the coordinators and read-only staff."""
    if not user_has_staff_role(user, StaffRole.COORDINATOR, StaffRole.READ_ONLY):
        return []
    late = (
        Ticket.objects.filter(past_target_q(timezone.now()))
        .annotate(running_due=next_due_expression())
        .only("pk", "reference", "subject")
        .order_by("running_due", "pk")
    )
    return [
        work_line(
            late,
            key="tickets-past-target",
            label=_("Helpdesk tickets past their target"),
            url=_staff_ticket,
            action=_("Answer %(item)s"),
            list_url=f"{reverse('helpdesk:staff_queue')}?{urlencode({'due': 'past'})}",
            urgent=True,
        )
    ]


def school_lines(user) -> list[WorkLine]:
    """Tickets waiting for the school's answer: a director's school's, a teacher's own."""
    if not user.is_authenticated or user_is_staff_member(user):
        return []
    # The schools it directs as a list (read once per request, shared with the cases' lines):
    # with them, the planner reads these schools' tickets instead of walking every ticket by date.
    waiting = tickets_of_member(user).filter(
        Q(school_id__in=managed_school_ids(user)) | Q(opened_by=user), status=Status.WAITING
    )
    return [
        work_line(
            waiting.only("pk", "reference", "subject").order_by("created_at", "pk"),
            key="tickets-waiting",
            label=_("Helpdesk tickets waiting for your answer"),
            url=lambda ticket: reverse("helpdesk:ticket_detail", args=[ticket.pk]),
            action=_("Answer %(item)s"),
            list_url=f"{reverse('helpdesk:ticket_list')}?{urlencode({'state': Status.WAITING})}",
        )
    ]


def case_ticket_panels(case, user, *, staff: bool) -> list[CasePanel]:
    """The school's tickets about this case, newest first (one query)."""
    tickets = list(
        Ticket.objects.filter(case=case, merged_into__isnull=True)
        .only("pk", "reference", "subject", "status", "created_at")
        .order_by("-created_at", "-pk")[: CASE_PANEL_LIMIT + 1]
    )
    context = {
        "tickets": tickets[:CASE_PANEL_LIMIT],
        "more": len(tickets) > CASE_PANEL_LIMIT,
        "url_name": "helpdesk:staff_ticket_detail" if staff else "helpdesk:ticket_detail",
        "list_url": reverse("helpdesk:staff_queue" if staff else "helpdesk:ticket_list")
        + "?"
        + urlencode({"q": case.number, "state": "all"}),
        "new_url": None if staff else reverse("helpdesk:ticket_open"),
    }
    return [CasePanel(template="helpdesk/partials/case_tickets.html", context=context)]
