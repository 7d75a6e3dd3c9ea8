"""The helpdesk figures kept as tickets change equal those computed from the tickets, for
any period and any moment they are read at, after every kind of change and after a rebuild."""

import datetime

from django.core.management import call_command
from django.utils import timezone
import pytest

from cases.dashboard import Period
from helpdesk import services
from helpdesk.figures import ticket_figures_refresh
from helpdesk.models import DailyTicketFigures, Priority, Status, Ticket, TicketFigures
from helpdesk.selectors.dashboard import helpdesk_figures, helpdesk_figures_from_tickets
from tests.builders.helpdesk import open_ticket

pytestmark = pytest.mark.django_db


def assert_figures_match_the_tickets():
    today = timezone.localdate()
    periods = [
        Period(start=today.replace(day=1), end=today),
        Period(start=datetime.date(today.year - 1, 9, 15), end=today + datetime.timedelta(days=3)),
        Period(start=datetime.date(today.year - 1, 1, 1), end=datetime.date(today.year - 1, 12, 31)),
    ]
    now = timezone.now()
    for period in periods:
        # Read now, and a month later: targets still running then are late.
        for moment in (now, now + datetime.timedelta(days=30)):
            window = {
                "starts_at": period.starts_at,
                "ends_before": period.ends_before,
                "months": period.months,
                "now": moment,
            }
            assert helpdesk_figures(**window) == helpdesk_figures_from_tickets(**window), (period, moment)


@pytest.fixture
def tickets(school_a, director_a, coordinator):
    """Answered and resolved, waiting for the school, merged, triaged, never answered last
    year, answered late last year."""
    resolved, waiting, duplicate, triaged, forgotten, late = (
        open_ticket(school_a, director_a, subject=f"Ticket {n}") for n in range(6)
    )
    services.ticket_reply(ticket=resolved, author=coordinator, body="Fixed.", status=Status.RESOLVED)
    services.ticket_reply(ticket=waiting, author=coordinator, body="Which kit?", status=Status.WAITING)
    services.ticket_merge(ticket=duplicate, into=resolved, by=coordinator)
    services.ticket_triage(
        ticket=triaged, category=triaged.category, priority=Priority.URGENT, by=coordinator
    )
    last_year = timezone.now() - datetime.timedelta(days=365)
    for ticket, answered in ((forgotten, None), (late, last_year + datetime.timedelta(days=9))):
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=last_year,
            first_response_due=last_year + datetime.timedelta(days=1),
            resolution_due=last_year + datetime.timedelta(days=5),
            first_responded_at=answered,
        )
        ticket_figures_refresh(ticket_id=ticket.pk)  # the figures follow, as a rebuild does
    return {"resolved": resolved, "waiting": waiting, "duplicate": duplicate, "late": late}


def test_the_kept_figures_equal_the_tickets(tickets):
    assert TicketFigures.objects.count() == 5  # every ticket but the merged one
    assert_figures_match_the_tickets()


def test_the_figures_follow_reopening_and_closing(tickets, director_a, coordinator):
    services.ticket_reply(ticket=tickets["resolved"], author=director_a, body="It broke again.")
    services.ticket_reply(ticket=tickets["waiting"], author=director_a, body="Kit 12.")
    services.ticket_set_status(ticket=tickets["late"], status=Status.CLOSED, by=coordinator)

    assert Ticket.objects.get(pk=tickets["resolved"].pk).status == Status.OPEN
    assert_figures_match_the_tickets()


def test_a_rebuild_gives_the_same_figures_as_the_changes_did(tickets):
    kept = sorted(DailyTicketFigures.objects.values_list("day", "tickets", "first_met", "first_open"))
    DailyTicketFigures.objects.update(tickets=0)  # figures gone wrong

    call_command("rebuild_ticket_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sorted(DailyTicketFigures.objects.values_list("day", "tickets", "first_met", "first_open")) == kept
    assert_figures_match_the_tickets()
