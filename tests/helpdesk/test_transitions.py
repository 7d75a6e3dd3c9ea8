"""The ticket state machine: only the transitions of the table, each with its effects."""

import datetime

from django.utils import timezone
import pytest

from classcontact.workflow import InvalidTransition
from helpdesk import services, upkeep
from helpdesk.models import TRANSITIONS, Status, Ticket
from tests.builders.helpdesk import open_ticket

ALL_PAIRS = [(a, b) for a in Status.values for b in Status.values if a != b]


def test_the_table_names_every_status_and_closed_is_final():
    assert set(TRANSITIONS) == set(Status.values)
    assert TRANSITIONS[Status.CLOSED] == ()
    assert all(target in Status.values for targets in TRANSITIONS.values() for target in targets)


def put_in(ticket: Ticket, status: str) -> Ticket:
    """Set a starting state for the test directly (the transition under test comes after)."""
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    ticket.refresh_from_db()
    return ticket


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_set_status_follows_the_transition_table(school_a, teacher_a, helpdesk_agent, current, target):
    ticket = put_in(open_ticket(school_a, teacher_a), current)
    if target in TRANSITIONS[current]:
        services.ticket_set_status(ticket=ticket, status=target, by=helpdesk_agent)
        ticket.refresh_from_db()
        assert ticket.status == target
        assert ticket.history.first().history_user == helpdesk_agent
    else:
        with pytest.raises(InvalidTransition):
            services.ticket_set_status(ticket=ticket, status=target, by=helpdesk_agent)
        ticket.refresh_from_db()
        assert ticket.status == current


def test_resolving_records_the_time_and_reopening_clears_it(school_a, teacher_a, helpdesk_agent):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=helpdesk_agent)
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None
    services.ticket_set_status(ticket=ticket, status=Status.OPEN, by=helpdesk_agent)
    ticket.refresh_from_db()
    assert ticket.resolved_at is None
    services.ticket_set_status(ticket=ticket, status=Status.CLOSED, by=helpdesk_agent)
    ticket.refresh_from_db()
    assert ticket.closed_at is not None


@pytest.mark.parametrize("current", [Status.RESOLVED, Status.WAITING])
def test_a_school_reply_reopens_a_resolved_or_waiting_ticket(school_a, teacher_a, current):
    ticket = put_in(open_ticket(school_a, teacher_a), current)
    services.ticket_reply(ticket=ticket, author=teacher_a, body="Le problème est revenu.")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.resolved_at is None


def test_a_school_reply_leaves_a_new_ticket_new(school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_reply(ticket=ticket, author=teacher_a, body="Précision : local 12.")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_a_closed_ticket_takes_no_reply(school_a, teacher_a):
    ticket = put_in(open_ticket(school_a, teacher_a), Status.CLOSED)
    with pytest.raises(services.HelpdeskError) as error:
        services.ticket_reply(ticket=ticket, author=teacher_a, body="Encore moi.")
    assert error.value.message == services.ERROR_TICKET_CLOSED
    assert not ticket.messages.exists()


def test_an_agent_reply_can_move_the_ticket_along_the_table(school_a, teacher_a, helpdesk_agent):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_reply(
        ticket=ticket, author=helpdesk_agent, body="Pouvez-vous redémarrer ?", status=Status.WAITING
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    ticket = put_in(ticket, Status.CLOSED)
    with pytest.raises(services.HelpdeskError):
        services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Trop tard.")


def test_resolved_tickets_close_after_the_configured_days(settings, school_a, teacher_a, helpdesk_agent):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 7
    old = open_ticket(school_a, teacher_a, subject="Ancien")
    recent = open_ticket(school_a, teacher_a, subject="Récent")
    active = open_ticket(school_a, teacher_a, subject="Actif")
    for ticket in (old, recent):
        services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=helpdesk_agent)
    Ticket.objects.filter(pk=old.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=8))

    assert upkeep.ticket_close_stale() == 1
    assert upkeep.ticket_close_stale() == 0  # safe to run twice
    old.refresh_from_db()
    recent.refresh_from_db()
    active.refresh_from_db()
    assert old.status == Status.CLOSED and old.closed_at is not None
    assert old.history.first().history_user is None  # closed by the task, not by a person
    assert recent.status == Status.RESOLVED
    assert active.status == Status.NEW
