"""The staff side: the queue and its filters, a ticket's page and every action on it."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone
import pytest

from helpdesk import services
from helpdesk.forms import ERROR_BODY_OR_CANNED, ERROR_MERGE_UNKNOWN, ERROR_NOTE_WITH_FILES
from helpdesk.models import CannedReply, Category, Status, Ticket, Visibility
from helpdesk.selectors import TargetState
from tests.builders.files import png_upload
from tests.builders.helpdesk import open_ticket
from tests.builders.schools import make_school, make_teacher

SECRET = "Note interne : l'école a déjà eu trois kits."


@pytest.fixture
def agent_client(client, helpdesk_agent):
    client.force_login(helpdesk_agent)
    return client


def queue(client, **params) -> list[Ticket]:
    response = client.get(reverse("helpdesk:staff_queue"), params)
    assert response.status_code == 200
    return list(response.context["page_obj"])


def refs(tickets) -> set[str]:
    return {t.reference for t in tickets}


# ---------------------------------------------------------------- queue


def test_the_queue_shows_active_tickets_most_urgent_first(agent_client, school_a, teacher_a, helpdesk_agent):
    later = open_ticket(school_a, teacher_a, subject="Plus tard", category=Category.OTHER)
    urgent = open_ticket(school_a, teacher_a, subject="Urgent", category=Category.CONNECTION)
    done = open_ticket(school_a, teacher_a, subject="Fini")
    services.ticket_set_status(ticket=done, status=Status.RESOLVED, by=helpdesk_agent)
    assert [t.reference for t in queue(agent_client)] == [urgent.reference, later.reference]
    assert refs(queue(agent_client, state="resolved")) == {done.reference}
    assert refs(queue(agent_client, state="all")) == {later.reference, urgent.reference, done.reference}


def test_the_queue_filters_by_category_school_and_assignee(
    agent_client, school_a, teacher_a, helpdesk_agent, coordinator
):
    other_school = make_school(name="Institut Saint-Luc", official_number="9999")
    other = open_ticket(other_school, make_teacher(other_school), category=Category.KIT_MOVE)
    mine = open_ticket(school_a, teacher_a, category=Category.HARDWARE)
    theirs = open_ticket(school_a, teacher_a, category=Category.HARDWARE)
    services.ticket_assign(ticket=mine, assignee=helpdesk_agent, by=helpdesk_agent)
    services.ticket_assign(ticket=theirs, assignee=coordinator, by=helpdesk_agent)

    assert refs(queue(agent_client, category="kit_move")) == {other.reference}
    assert refs(queue(agent_client, school="9999")) == {other.reference}
    assert refs(queue(agent_client, school="saint-luc")) == {other.reference}
    assert refs(queue(agent_client, assignee="me")) == {mine.reference}
    assert refs(queue(agent_client, assignee=str(coordinator.pk))) == {theirs.reference}
    assert refs(queue(agent_client, assignee="none")) == {other.reference}


def test_the_queue_filters_due_soon_and_past_target(agent_client, school_a, teacher_a, helpdesk_agent):
    now = timezone.now()
    late = open_ticket(school_a, teacher_a, subject="En retard")
    soon = open_ticket(school_a, teacher_a, subject="Bientôt")
    calm = open_ticket(school_a, teacher_a, subject="Tranquille")
    answered_late = open_ticket(school_a, teacher_a, subject="Répondu mais pas résolu")
    services.ticket_reply(ticket=answered_late, author=helpdesk_agent, body="Nous regardons.")
    Ticket.objects.filter(pk=late.pk).update(first_response_due=now - datetime.timedelta(minutes=5))
    Ticket.objects.filter(pk=soon.pk).update(first_response_due=now + datetime.timedelta(minutes=30))
    Ticket.objects.filter(pk=calm.pk).update(
        first_response_due=now + datetime.timedelta(days=30), resolution_due=now + datetime.timedelta(days=40)
    )
    Ticket.objects.filter(pk=answered_late.pk).update(
        first_response_due=now - datetime.timedelta(days=1),
        resolution_due=now - datetime.timedelta(minutes=1),
    )

    assert refs(queue(agent_client, due="past")) == {late.reference, answered_late.reference}
    assert refs(queue(agent_client, due="soon")) == {soon.reference}
    states = {t.reference: t.target_state for t in queue(agent_client)}
    assert states[late.reference] == TargetState.LATE
    assert states[soon.reference] == TargetState.DUE_SOON
    assert states[calm.reference] == TargetState.ON_TIME
    assert states[answered_late.reference] == TargetState.LATE


def test_the_queue_searches_reference_subject_and_school(agent_client, school_a, teacher_a):
    camera = open_ticket(school_a, teacher_a, subject="Caméra 360 en panne")
    sound = open_ticket(school_a, teacher_a, subject="Micro qui grésille")
    assert refs(queue(agent_client, q="micro")) == {sound.reference}
    assert refs(queue(agent_client, q=camera.reference)) == {camera.reference}
    assert refs(queue(agent_client, q=" " + camera.reference.lower())) == {camera.reference}
    assert refs(queue(agent_client, q="École A")) == {camera.reference, sound.reference}
    assert queue(agent_client, q="introuvable") == []


def test_the_queue_is_paginated(agent_client, settings, school_a, teacher_a):
    settings.PAGE_SIZE = 3
    for n in range(7):
        open_ticket(school_a, teacher_a, subject=f"Ticket {n}")
    response = agent_client.get(reverse("helpdesk:staff_queue"), {"page": 3})
    assert response.context["page_obj"].paginator.num_pages == 3
    assert len(response.context["page_obj"]) == 1


def test_bad_filter_values_show_the_active_queue_not_an_error(agent_client, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    assert refs(queue(agent_client, state="bogus", due="never", category="x", page="abc")) == {
        ticket.reference
    }


# ---------------------------------------------------------------- a ticket's page


def test_staff_see_internal_notes_set_apart_from_public_replies(
    agent_client, school_a, teacher_a, helpdesk_agent
):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_add_note(ticket=ticket, author=helpdesk_agent, body=SECRET)
    services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Réponse publique")
    page = agent_client.get(reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])).content.decode()
    note_at = page.index('data-testid="internal-note"')
    assert page.index("Note interne : l&#x27;école a déjà eu trois kits.") > note_at
    assert 'data-testid="public-message"' in page
    assert 'data-testid="ticket-targets"' in page


def test_read_only_staff_see_the_ticket_without_action_forms(client, read_only_staff, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    client.force_login(read_only_staff)
    page = client.get(reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])).content.decode()
    assert ticket.subject.replace("'", "&#x27;") in page
    assert reverse("helpdesk:staff_ticket_reply", args=[ticket.pk]) not in page
    assert reverse("helpdesk:staff_ticket_assign", args=[ticket.pk]) not in page


def test_a_public_reply_goes_to_the_school_and_can_change_the_status(
    agent_client, school_a, teacher_a, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("helpdesk:staff_ticket_reply", args=[ticket.pk]),
            {
                "visibility": "public",
                "body": "C'est réparé.",
                "status": "resolved",
                "attachments": [png_upload("schema.png")],
            },
        )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.first_responded_at is not None
    message = ticket.messages.get()
    assert message.attachments.get().filename == "schema.png"
    assert [m.to for m in mail.outbox] == [[teacher_a.email]]


def test_an_internal_note_from_the_page_stays_internal(
    agent_client, school_a, teacher_a, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("helpdesk:staff_ticket_reply", args=[ticket.pk]),
            {"visibility": "internal", "body": SECRET},
        )
    assert response.status_code == 302
    assert ticket.messages.get().visibility == Visibility.INTERNAL
    assert mail.outbox == []


def test_an_internal_note_takes_no_file_and_no_status(agent_client, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_reply", args=[ticket.pk]),
        {"visibility": "internal", "body": SECRET, "attachments": [png_upload()], "status": "resolved"},
    )
    assert response.status_code == 400
    form = response.context["reply_form"]
    assert form.errors["attachments"] == [str(ERROR_NOTE_WITH_FILES)]
    assert "status" in form.errors
    assert SECRET.replace("'", "&#x27;") in response.content.decode()  # typed text kept
    assert not ticket.messages.exists()


def test_a_canned_reply_is_sent_when_the_message_is_left_empty(agent_client, school_a, teacher_a):
    canned = CannedReply.objects.create(title="Redémarrage", body="Redémarrez le Chromebook, svp.")
    CannedReply.objects.create(title="Ancienne", body="Plus utilisée", is_active=False)
    ticket = open_ticket(school_a, teacher_a)
    page = agent_client.get(reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])).content.decode()
    assert 'data-body="Redémarrez le Chromebook, svp."' in page and "Ancienne" not in page
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_reply", args=[ticket.pk]),
        {"visibility": "public", "canned": canned.pk, "body": ""},
    )
    assert response.status_code == 302
    assert ticket.messages.get().body == canned.body


def test_a_reply_needs_a_message_or_a_canned_reply(agent_client, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_reply", args=[ticket.pk]), {"visibility": "public", "body": ""}
    )
    assert response.status_code == 400
    assert response.context["reply_form"].errors["body"] == [str(ERROR_BODY_OR_CANNED)]


def test_assign_to_me_and_to_nobody(agent_client, school_a, teacher_a, helpdesk_agent):
    ticket = open_ticket(school_a, teacher_a)
    agent_client.post(
        reverse("helpdesk:staff_ticket_assign", args=[ticket.pk]), {"assignee": helpdesk_agent.pk}
    )
    ticket.refresh_from_db()
    assert ticket.assignee == helpdesk_agent
    agent_client.post(reverse("helpdesk:staff_ticket_assign", args=[ticket.pk]), {"assignee": ""})
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_assigning_to_a_school_user_is_refused_next_to_the_field(agent_client, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_assign", args=[ticket.pk]), {"assignee": teacher_a.pk}
    )
    assert response.status_code == 400
    assert "assignee" in response.context["assign_form"].errors


def test_the_status_form_offers_only_allowed_transitions(agent_client, school_a, teacher_a, helpdesk_agent):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=helpdesk_agent)
    response = agent_client.get(reverse("helpdesk:staff_ticket_detail", args=[ticket.pk]))
    choices = [value for value, _label in response.context["status_form"].fields["status"].choices]
    assert choices == [Status.OPEN, Status.CLOSED]
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_status", args=[ticket.pk]), {"status": "waiting"}
    )
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_triage_from_the_page_recounts_the_due_times(agent_client, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a, category=Category.OTHER)
    before = ticket.resolution_due
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_triage", args=[ticket.pk]),
        {"category": "connection", "priority": "urgent"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == "urgent" and ticket.resolution_due < before


def test_merging_into_an_unknown_or_foreign_ticket_shows_the_error(
    agent_client, school_a, school_b, teacher_a, director_b
):
    ticket = open_ticket(school_a, teacher_a)
    foreign = open_ticket(school_b, director_b)
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_merge", args=[ticket.pk]), {"into": "HD-1999-00001"}
    )
    assert response.status_code == 400
    assert response.context["merge_form"].errors["into"] == [str(ERROR_MERGE_UNKNOWN)]
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_merge", args=[ticket.pk]), {"into": foreign.reference}
    )
    assert response.status_code == 400
    assert response.context["merge_form"].errors["into"] == [str(services.ERROR_MERGE_OTHER_SCHOOL)]
    ticket.refresh_from_db()
    assert ticket.merged_into is None


def test_the_school_sees_where_a_merged_ticket_continues(client, school_a, teacher_a, helpdesk_agent):
    kept, duplicate = open_ticket(school_a, teacher_a), open_ticket(school_a, teacher_a)
    services.ticket_merge(ticket=duplicate, into=kept, by=helpdesk_agent)
    client.force_login(teacher_a)
    page = client.get(reverse("helpdesk:ticket_detail", args=[duplicate.pk])).content.decode()
    assert reverse("helpdesk:ticket_detail", args=[kept.pk]) in page
    kept_page = client.get(reverse("helpdesk:ticket_detail", args=[kept.pk])).content.decode()
    assert "was merged into this ticket" not in kept_page  # the merge note is internal


def test_the_history_page_lists_who_changed_what(agent_client, school_a, teacher_a, helpdesk_agent):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_set_status(ticket=ticket, status=Status.OPEN, by=helpdesk_agent)
    response = agent_client.get(reverse("helpdesk:staff_ticket_history", args=[ticket.pk]))
    records = response.context["records"]
    assert [r.history_user for r in records] == [helpdesk_agent, teacher_a]
    assert [(c.field, c.old, c.new) for c in records[0].changes] == [("status", "new", "open")]


def test_a_search_matching_many_schools_still_finds_every_ticket(agent_client, monkeypatch, helpdesk_agent):
    from helpdesk.selectors import lists

    monkeypatch.setattr(lists, "SCHOOL_ID_LIST_LIMIT", 2)
    tickets = []
    for n in range(4):
        school = make_school(name=f"Athénée Horta {n}")
        tickets.append(open_ticket(school, make_teacher(school), subject=f"Sujet {n}"))
    assert refs(queue(agent_client, q="horta")) == refs(tickets)
    assert refs(queue(agent_client, school="horta")) == refs(tickets)
    assert refs(queue(agent_client, school=tickets[0].school.official_number)) == {tickets[0].reference}
