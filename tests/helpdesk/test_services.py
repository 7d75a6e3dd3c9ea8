"""What each helpdesk service changes, records and sends."""

import datetime
from decimal import Decimal

from django.core import mail
from django.utils import timezone
import pytest

from helpdesk import services
from helpdesk.hours import add_helpdesk_hours
from helpdesk.models import (
    Category,
    Priority,
    Status,
    Target,
    Ticket,
    TicketAttachment,
    Visibility,
)
from schools.models import Calendar, CalendarKind, ReminderSent, SchoolYear
from schools.reminders import run_reminders, subject_of
from tests.builders.files import png_upload
from tests.builders.helpdesk import open_ticket
from tests.builders.schools import make_staff, make_teacher

SECRET = "Note interne : le directeur est difficile, ne pas lui dire."


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def all_text(message) -> str:
    return message.subject + message.body + "".join(content for content, _type in message.alternatives)


# ---------------------------------------------------------------- opening


def test_opening_numbers_the_ticket_and_counts_targets_in_helpdesk_hours(school_a, teacher_a):
    first = open_ticket(school_a, teacher_a, category=Category.CONNECTION)
    second = open_ticket(school_a, teacher_a, category=Category.OTHER)
    year = timezone.localtime(first.created_at).year
    number = int(first.reference.rsplit("-", 1)[1])
    assert first.reference == f"HD-{year}-{number:05d}"
    assert second.reference == f"HD-{year}-{number + 1:05d}"
    assert first.priority == Priority.HIGH  # a lesson is running: high by default
    assert second.priority == Priority.NORMAL
    target = Target.objects.get(category=Category.CONNECTION, priority=Priority.HIGH)
    assert first.first_response_due == add_helpdesk_hours(first.created_at, target.first_response_hours)
    assert first.resolution_due == add_helpdesk_hours(first.created_at, target.resolution_hours)
    assert first.status == Status.NEW
    assert first.history.first().history_user == teacher_a


def test_targets_edited_in_the_admin_apply_to_new_tickets(school_a, teacher_a):
    Target.objects.filter(category=Category.HARDWARE, priority=Priority.NORMAL).update(
        first_response_hours=Decimal("2"), resolution_hours=Decimal("10")
    )
    ticket = open_ticket(school_a, teacher_a, category=Category.HARDWARE)
    assert ticket.first_response_due == add_helpdesk_hours(ticket.created_at, 2)
    assert ticket.resolution_due == add_helpdesk_hours(ticket.created_at, 10)


def test_every_category_and_priority_has_a_seeded_target(db):
    assert Target.objects.count() == len(Category.values) * len(Priority.values)
    assert all(t.first_response_hours <= t.resolution_hours for t in Target.objects.all())


def test_without_school_calendar_a_ticket_opens_without_target(school_a, teacher_a):
    Calendar.objects.update(is_default=False)
    ticket = open_ticket(school_a, teacher_a)
    assert ticket.first_response_due is None and ticket.resolution_due is None


def test_only_members_of_the_school_open_its_tickets(school_a, director_b):
    with pytest.raises(services.HelpdeskError) as error:
        open_ticket(school_a, director_b)
    assert error.value.message == services.ERROR_NOT_A_MEMBER
    assert not Ticket.objects.exists()


def test_opening_stores_attachments_privately_and_tells_the_agents(
    school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(school_a, teacher_a, attachments=[png_upload("écran.png")])
    attachment = TicketAttachment.objects.get(ticket=ticket)
    assert attachment.filename == "écran.png"
    assert attachment.message is None
    assert attachment.file.path.startswith(str(settings.PRIVATE_ROOT))
    assert "écran" not in attachment.file.name  # stored under a random name
    [message] = sent_to(helpdesk_agent.email)
    assert ticket.reference in message.subject
    assert school_a.name in message.subject
    assert f"/helpdesk/staff/tickets/{ticket.pk}/" in message.body
    assert message.alternatives  # text and HTML


def test_new_ticket_mail_goes_to_the_assignee_only_once_there_is_one(
    school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    other_agent = make_staff("helpdesk_agent", email="other.agent@example.org")
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_assign(ticket=ticket, assignee=other_agent, by=helpdesk_agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(ticket=ticket, author=teacher_a, body="Une précision.")
    assert [m.to for m in mail.outbox] == [["other.agent@example.org"]]


# ---------------------------------------------------------------- replies and notes


def test_an_agent_reply_records_the_first_answer_and_mails_the_school(
    school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.ticket_reply(
            ticket=ticket, author=helpdesk_agent, body="Pouvez-vous redémarrer la caméra ?"
        )
    ticket.refresh_from_db()
    assert message.visibility == Visibility.PUBLIC and message.from_staff
    assert ticket.first_responded_at == message.created_at
    assert ticket.status == Status.OPEN
    [sent] = mail.outbox
    assert sent.to == [teacher_a.email]
    assert ticket.reference in sent.subject
    assert "Pouvez-vous redémarrer la caméra ?" in sent.body
    assert f"/helpdesk/tickets/{ticket.pk}/" in sent.body


def test_an_agent_who_answers_an_unassigned_ticket_takes_it_and_keeps_an_assigned_one_with_its_agent(
    school_a, teacher_a, helpdesk_agent, coordinator
):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Je m'en occupe.")
    ticket.refresh_from_db()
    assert ticket.assignee == helpdesk_agent
    assert ticket.history.first().history_user == helpdesk_agent

    services.ticket_reply(ticket=ticket, author=coordinator, body="Complément.")
    ticket.refresh_from_db()
    assert ticket.assignee == helpdesk_agent


def test_a_school_reply_does_not_assign_the_ticket(school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_reply(ticket=ticket, author=teacher_a, body="Toujours en panne.")
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_later_reply_keeps_the_first_answer_time(school_a, teacher_a, helpdesk_agent):
    ticket = open_ticket(school_a, teacher_a)
    first = services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Un.")
    services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Deux.")
    ticket.refresh_from_db()
    assert ticket.first_responded_at == first.created_at


def test_a_school_reply_mails_the_agents_not_the_school(
    school_a, teacher_a, director_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(ticket=ticket, author=director_a, body="Toujours pas de son.")
    [sent] = mail.outbox
    assert sent.to == [helpdesk_agent.email]
    assert "Toujours pas de son." in sent.body


def test_school_mails_reach_who_opened_and_who_replied_from_the_school(
    school_a, teacher_a, director_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    colleague = make_teacher(school_a, email="colleague@example.org")  # never wrote: not mailed
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_reply(ticket=ticket, author=director_a, body="Je suis le directeur.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Bien noté.")
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([teacher_a.email, director_a.email])
    assert colleague.email not in recipients


def test_school_mails_are_in_each_recipients_language(
    school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    teacher_a.language = "en"
    teacher_a.save(update_fields=["language"])
    ticket = open_ticket(school_a, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=helpdesk_agent)
    [sent] = mail.outbox
    assert sent.subject == f"Your ticket {ticket.reference} is now: Resolved"


def test_internal_notes_never_reach_the_school_by_mail(
    school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.ticket_add_note(ticket=ticket, author=helpdesk_agent, body=SECRET)
        services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Réponse publique.")
        services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=helpdesk_agent)
        services.ticket_reply(ticket=ticket, author=teacher_a, body="Merci.")
    assert note.visibility == Visibility.INTERNAL
    assert len(mail.outbox) == 3  # reply and status to the school, school reply to the agent
    assert all(SECRET not in all_text(message) for message in mail.outbox)
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None and ticket.first_responded_at > note.created_at


def test_a_note_sends_nothing_and_records_no_first_answer(
    school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.ticket_add_note(ticket=ticket, author=helpdesk_agent, body=SECRET)
    assert callbacks == []
    assert mail.outbox == []
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None and ticket.status == Status.NEW


def test_the_mail_task_refuses_to_send_an_internal_note(school_a, teacher_a, helpdesk_agent):
    from helpdesk.tasks import send_ticket_mail

    ticket = open_ticket(school_a, teacher_a)
    note = services.ticket_add_note(ticket=ticket, author=helpdesk_agent, body=SECRET)
    assert send_ticket_mail(ticket_id=ticket.pk, event="staff_reply", message_id=note.pk) == 0
    assert mail.outbox == []


def test_the_mail_task_returns_quietly_when_the_ticket_is_gone(db):
    from helpdesk.tasks import send_ticket_mail

    assert send_ticket_mail(ticket_id=987654, event="opened") == 0


def test_notes_and_staff_replies_need_a_helpdesk_role(school_a, teacher_a, read_only_staff, technician):
    ticket = open_ticket(school_a, teacher_a)
    for person in (read_only_staff, technician, teacher_a):
        with pytest.raises(services.HelpdeskError):
            services.ticket_add_note(ticket=ticket, author=person, body="Note")
    with pytest.raises(services.HelpdeskError):
        services.ticket_reply(ticket=ticket, author=read_only_staff, body="Réponse")
    assert not ticket.messages.exists()


# ---------------------------------------------------------------- assignment, triage, merge


def test_tickets_are_assigned_to_helpdesk_staff_only(
    school_a, teacher_a, helpdesk_agent, coordinator, technician
):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_assign(ticket=ticket, assignee=coordinator, by=helpdesk_agent)
    ticket.refresh_from_db()
    assert ticket.assignee == coordinator
    assert ticket.history.first().history_user == helpdesk_agent
    with pytest.raises(services.HelpdeskError) as error:
        services.ticket_assign(ticket=ticket, assignee=technician, by=helpdesk_agent)
    assert error.value.message == services.ERROR_NOT_AN_AGENT
    services.ticket_assign(ticket=ticket, assignee=None, by=helpdesk_agent)
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_triage_counts_the_due_times_again_from_the_opening(school_a, teacher_a, helpdesk_agent):
    ticket = open_ticket(school_a, teacher_a, category=Category.OTHER)
    services.ticket_triage(
        ticket=ticket, category=Category.CONNECTION, priority=Priority.URGENT, by=helpdesk_agent
    )
    ticket.refresh_from_db()
    target = Target.objects.get(category=Category.CONNECTION, priority=Priority.URGENT)
    assert ticket.first_response_due == add_helpdesk_hours(ticket.created_at, target.first_response_hours)
    assert ticket.resolution_due == add_helpdesk_hours(ticket.created_at, target.resolution_hours)


def test_merging_closes_the_duplicate_and_notes_it_on_the_ticket_that_stays(
    school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    kept = open_ticket(school_a, teacher_a, subject="Pas de son")
    duplicate = open_ticket(school_a, teacher_a, subject="Pas de son (bis)")
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_merge(ticket=duplicate, into=kept, by=helpdesk_agent)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED
    assert duplicate.merged_into == kept
    note = kept.messages.get()
    assert note.visibility == Visibility.INTERNAL and duplicate.reference in note.body
    [sent] = mail.outbox
    assert sent.to == [teacher_a.email]
    assert kept.reference in sent.body


def test_merging_refuses_another_school_itself_and_closed_tickets(
    school_a, school_b, teacher_a, director_b, helpdesk_agent
):
    ticket = open_ticket(school_a, teacher_a)
    foreign = open_ticket(school_b, director_b)
    cases = [
        (ticket, foreign, services.ERROR_MERGE_OTHER_SCHOOL),
        (ticket, ticket, services.ERROR_MERGE_ITSELF),
    ]
    for duplicate, into, error_message in cases:
        with pytest.raises(services.HelpdeskError) as error:
            services.ticket_merge(ticket=duplicate, into=into, by=helpdesk_agent)
        assert error.value.message == error_message
    closed = open_ticket(school_a, teacher_a)
    services.ticket_set_status(ticket=closed, status=Status.CLOSED, by=helpdesk_agent)
    with pytest.raises(services.HelpdeskError) as error:
        services.ticket_merge(ticket=closed, into=ticket, by=helpdesk_agent)
    assert error.value.message == services.ERROR_MERGE_CLOSED
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.merged_into is None


# ---------------------------------------------------------------- reminders


@pytest.fixture
def school_day(db) -> datetime.date:
    """A default calendar whose school year spans today; the first weekday from today."""
    Calendar.objects.filter(is_default=True).update(is_default=False)
    calendar = Calendar.objects.create(
        name="Helpdesk", code="helpdesk-days", kind=CalendarKind.FWB, is_default=True
    )
    today = timezone.localdate()
    SchoolYear.objects.create(
        calendar=calendar,
        label=f"{today.year}-{today.year + 1}",
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=30),
    )
    while today.weekday() >= 5:
        today += datetime.timedelta(days=1)
    return today


def _remind(capture, day) -> list:
    """Run the reminder engine on ``day``; the missed-target mails it sent."""
    mail.outbox.clear()
    with capture(execute=True):
        run_reminders(today=day)
    return [m for m in mail.outbox if m.extra_headers.get("X-ClassContact-Mail") == "ticket-past-target"]


def test_each_missed_target_is_reminded_once(
    school_a, teacher_a, helpdesk_agent, school_day, django_capture_on_commit_callbacks
):
    late = open_ticket(school_a, teacher_a, subject="En retard")
    on_time = open_ticket(school_a, teacher_a, subject="À l'heure")
    past = timezone.now() - datetime.timedelta(hours=1)
    Ticket.objects.filter(pk=late.pk).update(
        first_response_due=past, resolution_due=past + datetime.timedelta(minutes=30)
    )

    first = _remind(django_capture_on_commit_callbacks, school_day)  # first answer and resolution
    again = _remind(django_capture_on_commit_callbacks, school_day)

    assert len(first) == 2 and again == []
    assert ReminderSent.objects.filter(subject=subject_of(late)).count() == 2
    assert not ReminderSent.objects.filter(subject=subject_of(on_time)).exists()
    assert all(late.reference in m.subject and m.to == [helpdesk_agent.email] for m in first)

    # A new due time (after triage) is a new occasion.
    Ticket.objects.filter(pk=late.pk).update(resolution_due=past + datetime.timedelta(minutes=50))
    assert len(_remind(django_capture_on_commit_callbacks, school_day)) == 1


def test_answered_and_resolved_tickets_are_not_reminded(
    school_a, teacher_a, helpdesk_agent, school_day, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=helpdesk_agent)
    past = timezone.now() - datetime.timedelta(hours=1)
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due=past, resolution_due=past)
    assert _remind(django_capture_on_commit_callbacks, school_day) == []


def test_the_beat_schedule_runs_both_helpdesk_tasks(settings):
    from classcontact.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"helpdesk.close_stale_tickets", "schools.run_reminders"} <= tasks
    app.loader.import_default_modules()
    assert {"helpdesk.close_stale_tickets", "schools.run_reminders", "helpdesk.send_ticket_mail"} <= set(
        app.tasks
    )
