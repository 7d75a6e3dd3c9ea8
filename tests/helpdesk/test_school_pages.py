"""The helpdesk as directors and teachers use it: open, follow, reply, read the guide."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
import pytest

from classcontact.storage import ERROR_FILE_TOO_LARGE, ERROR_FILE_TYPE
from helpdesk import services
from helpdesk.forms import ERROR_TOO_MANY_FILES
from helpdesk.hours import TZ, HelpdeskCalendar
from helpdesk.models import ATTACHMENT_MAX_BYTES, HelpArticle, Status, Ticket, TicketAttachment
from helpdesk.selectors import TargetState, helpdesk_status
from tests.builders.files import pdf_upload, png_bytes, png_upload
from tests.builders.helpdesk import open_ticket
from tests.builders.schools import make_member

SECRET = "Note interne : vérifier le contrat avant de répondre."


def form_data(**changes):
    return {
        "subject": "La caméra 360 ne s'allume pas",
        "category": "hardware",
        "description": "Depuis ce matin, en classe de P5.",
        **changes,
    }


@pytest.fixture
def teacher_client(client, teacher_a):
    client.force_login(teacher_a)
    return client


# ---------------------------------------------------------------- opening a ticket


def test_a_teacher_opens_a_ticket_with_attachments(
    teacher_client, school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher_client.post(
            reverse("helpdesk:ticket_open"),
            form_data(attachments=[png_upload("photo.png"), pdf_upload("facture.pdf")]),
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("helpdesk:ticket_detail", args=[ticket.pk])
    assert ticket.school == school_a and ticket.opened_by == teacher_a
    assert sorted(ticket.attachments.values_list("filename", flat=True)) == ["facture.pdf", "photo.png"]
    assert [m.to for m in mail.outbox] == [[helpdesk_agent.email]]
    page = teacher_client.get(response.url).content.decode()
    assert ticket.reference in page and "photo.png" in page


def test_the_school_field_is_hidden_for_one_school_and_a_choice_for_several(
    teacher_client, teacher_a, school_b
):
    response = teacher_client.get(reverse("helpdesk:ticket_open"))
    assert 'type="hidden" name="school"' in response.content.decode()
    from schools.models import Membership

    Membership.objects.create(user=teacher_a, school=school_b, role="teacher")
    response = teacher_client.get(reverse("helpdesk:ticket_open"))
    assert '<select name="school"' in response.content.decode()


def test_a_member_cannot_open_a_ticket_for_another_school(teacher_client, school_b):
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(school=school_b.pk))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_a_file_that_is_not_an_image_or_pdf_is_refused_by_its_content(teacher_client):
    fake = SimpleUploadedFile(
        "photo.png", b"MZ\x90\x00 this is a program, not a picture", content_type="image/png"
    )
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(attachments=[fake]))
    assert response.status_code == 400
    errors = response.context["form"].errors["attachments"]
    expected = str(ERROR_FILE_TYPE) % {"accepted": "JPEG, PNG, PDF"}
    assert errors == [f"photo.png: {expected}"]
    page = response.content.decode()
    assert escape(f"photo.png: {expected}") in page
    assert 'value="La caméra 360 ne s&#x27;allume pas"' in page  # typed data kept
    assert "Depuis ce matin, en classe de P5." in page
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()


def test_a_file_over_10_mb_is_refused_with_a_clear_error(teacher_client):
    big = SimpleUploadedFile(
        "scan.png",
        png_bytes(1) + b"\0" * (ATTACHMENT_MAX_BYTES - len(png_bytes(1)) + 1),
        content_type="image/png",
    )
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(attachments=[big]))
    assert response.status_code == 400
    message = str(ERROR_FILE_TOO_LARGE) % {"limit": 10}
    assert response.context["form"].errors["attachments"] == [f"scan.png: {message}"]
    assert response.context["form"]["subject"].value() == "La caméra 360 ne s'allume pas"
    assert response.context["files_lost"]
    assert not Ticket.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(teacher_client):
    exact = SimpleUploadedFile(
        "scan.png",
        png_bytes(1) + b"\0" * (ATTACHMENT_MAX_BYTES - len(png_bytes(1))),
        content_type="image/png",
    )
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(attachments=[exact]))
    assert response.status_code == 302
    assert TicketAttachment.objects.get().size == ATTACHMENT_MAX_BYTES


def test_empty_files_and_too_many_files_are_refused(teacher_client):
    empty = SimpleUploadedFile("vide.png", b"", content_type="image/png")
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(attachments=[empty]))
    assert response.status_code == 400
    [error] = response.context["form"].errors["attachments"]
    assert error.startswith("vide.png: ")
    response = teacher_client.post(
        reverse("helpdesk:ticket_open"), form_data(attachments=[png_upload(f"{n}.png") for n in range(6)])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == [str(ERROR_TOO_MANY_FILES) % {"count": 5}]
    assert not Ticket.objects.exists()


def test_missing_fields_are_shown_next_to_the_field(teacher_client):
    response = teacher_client.post(
        reverse("helpdesk:ticket_open"), form_data(subject="", category="nonsense")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"subject", "category"}
    assert "Depuis ce matin, en classe de P5." in response.content.decode()


def test_an_account_without_school_is_told_so(client, db):
    from tests.builders.schools import make_user

    client.force_login(make_user(email="nobody@example.org"))
    response = client.get(reverse("helpdesk:ticket_open"))
    assert response.status_code == 200
    assert response.context["has_school"] is False
    assert "ticket-open-form" not in response.content.decode()


# ---------------------------------------------------------------- following a ticket


def test_the_detail_shows_public_replies_and_targets_but_never_internal_notes(
    teacher_client, school_a, teacher_a, helpdesk_agent
):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_add_note(ticket=ticket, author=helpdesk_agent, body=SECRET)
    services.ticket_reply(ticket=ticket, author=helpdesk_agent, body="Avez-vous essayé l'autre port USB ?")
    response = teacher_client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk]))
    page = response.content.decode()
    assert "Avez-vous essayé l&#x27;autre port USB ?" in page
    assert SECRET not in page
    assert 'data-testid="internal-note"' not in page
    assert not any(entry.internal for entry in response.context["conversation"])
    assert 'data-testid="ticket-targets"' in page
    ticket.refresh_from_db()
    assert date_format(timezone.localtime(ticket.resolution_due), "DATETIME_FORMAT") in page


def test_attachments_of_another_ticket_do_not_leak_through_the_list(teacher_client, school_a, teacher_a):
    first = open_ticket(school_a, teacher_a, attachments=[png_upload("premier.png")])
    open_ticket(school_a, teacher_a, attachments=[png_upload("second.png")])
    page = teacher_client.get(reverse("helpdesk:ticket_detail", args=[first.pk])).content.decode()
    assert "premier.png" in page and "second.png" not in page


def test_a_school_reply_reopens_a_resolved_ticket_from_the_page(
    teacher_client, school_a, teacher_a, helpdesk_agent, django_capture_on_commit_callbacks
):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=helpdesk_agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher_client.post(
            reverse("helpdesk:ticket_reply", args=[ticket.pk]),
            {"body": "Ça recommence.", "attachments": [png_upload()]},
        )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.messages.get().attachments.count() == 1
    assert [m.to for m in mail.outbox] == [[helpdesk_agent.email]]


def test_an_empty_reply_is_refused_next_to_the_field(teacher_client, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    response = teacher_client.post(reverse("helpdesk:ticket_reply", args=[ticket.pk]), {"body": "  "})
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not ticket.messages.exists()


def test_switching_language_after_a_refused_reply_shows_the_ticket_again(
    teacher_client, school_a, teacher_a, client, director_b
):
    """The page shown after a refused reply lives at the reply address; the language switch returns there."""
    ticket = open_ticket(school_a, teacher_a)
    reply_url = reverse("helpdesk:ticket_reply", args=[ticket.pk])
    assert teacher_client.post(reply_url, {"body": ""}).status_code == 400

    switched = teacher_client.post(
        reverse("set_language"), {"language": "en", "next": reply_url}, follow=True
    )

    assert switched.status_code == 200
    assert switched.redirect_chain[-1][0] == reverse("helpdesk:ticket_detail", args=[ticket.pk])
    assert not ticket.messages.exists()
    client.force_login(director_b)
    assert client.get(reply_url).status_code == 404


def test_a_closed_ticket_shows_no_reply_form_and_refuses_replies(
    teacher_client, school_a, teacher_a, helpdesk_agent
):
    ticket = open_ticket(school_a, teacher_a)
    services.ticket_set_status(ticket=ticket, status=Status.CLOSED, by=helpdesk_agent)
    page = teacher_client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk])).content.decode()
    assert reverse("helpdesk:ticket_reply", args=[ticket.pk]) not in page
    response = teacher_client.post(reverse("helpdesk:ticket_reply", args=[ticket.pk]), {"body": "Encore"})
    assert response.status_code == 400
    assert str(services.ERROR_TICKET_CLOSED) in response.content.decode()


def test_the_list_filters_and_searches_and_shows_each_target(
    teacher_client, school_a, teacher_a, helpdesk_agent
):
    camera = open_ticket(school_a, teacher_a, subject="Caméra en panne")
    sound = open_ticket(school_a, teacher_a, subject="Pas de son")
    services.ticket_set_status(ticket=sound, status=Status.RESOLVED, by=helpdesk_agent)
    Ticket.objects.filter(pk=camera.pk).update(
        first_response_due=timezone.now() - datetime.timedelta(hours=1)
    )

    response = teacher_client.get(reverse("helpdesk:ticket_list"))
    rows = {t.pk: t for t in response.context["page_obj"]}
    assert set(rows) == {camera.pk, sound.pk}
    assert rows[camera.pk].target_state == TargetState.LATE
    assert str(TargetState.LATE.label) in response.content.decode()

    response = teacher_client.get(reverse("helpdesk:ticket_list"), {"state": "active"})
    assert [t.pk for t in response.context["page_obj"]] == [camera.pk]
    response = teacher_client.get(reverse("helpdesk:ticket_list"), {"q": "son"})
    assert [t.pk for t in response.context["page_obj"]] == [sound.pk]
    response = teacher_client.get(reverse("helpdesk:ticket_list"), {"q": camera.reference.lower()})
    assert [t.pk for t in response.context["page_obj"]] == [camera.pk]


def test_the_list_shows_the_helpdesk_status(teacher_client):
    response = teacher_client.get(reverse("helpdesk:ticket_list"))
    status = response.context["status"]
    assert status.open_now or status.opens_at is not None
    assert 'data-testid="helpdesk-status"' in response.content.decode()


@pytest.mark.parametrize(
    ("moment", "open_now", "expected"),
    [
        (
            datetime.datetime(2026, 11, 23, 10, tzinfo=TZ),
            True,
            datetime.datetime(2026, 11, 23, 16, tzinfo=TZ),
        ),
        (
            datetime.datetime(2026, 11, 25, 13, tzinfo=TZ),
            False,
            datetime.datetime(2026, 11, 26, 8, 30, tzinfo=TZ),
        ),
        (
            datetime.datetime(2026, 12, 19, 10, tzinfo=TZ),
            False,
            datetime.datetime(2027, 1, 4, 8, 30, tzinfo=TZ),
        ),
    ],
)
def test_the_status_says_open_until_or_when_it_opens_next_holidays_included(db, moment, open_now, expected):
    status = helpdesk_status(HelpdeskCalendar(), moment)
    assert status.open_now is open_now
    assert (status.closes_at if open_now else status.opens_at) == expected
    assert [(start, end) for _name, start, end in status.weekly_hours] == [
        (datetime.time(8, 30), datetime.time(16)),
        (datetime.time(8, 30), datetime.time(16)),
        (datetime.time(8, 30), datetime.time(12, 30)),  # Wednesday
        (datetime.time(8, 30), datetime.time(16)),
        (datetime.time(8, 30), datetime.time(16)),
    ]


def test_a_new_ticket_lists_similar_help_articles_without_javascript(teacher_client, school_a, teacher_a):
    HelpArticle.objects.create(
        title="La caméra ne s'allume pas", body="Rebranchez le câble USB.", published=True
    )
    HelpArticle.objects.create(title="Brouillon caméra", body="Caméra", published=False)
    HelpArticle.objects.create(title="Changer de local", body="Déplacer le kit.", published=True)
    ticket = open_ticket(school_a, teacher_a, subject="Notre caméra reste noire")
    response = teacher_client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk]))
    assert [a.title for a in response.context["similar_articles"]] == ["La caméra ne s'allume pas"]


# ---------------------------------------------------------------- help articles


def test_suggestions_while_typing_come_from_published_articles_best_first(teacher_client):
    HelpArticle.objects.create(title="Son coupé", body="Vérifiez le micro et la caméra.", published=True)
    HelpArticle.objects.create(
        title="La caméra ne s'allume pas", body="Rebranchez la caméra.", published=True
    )
    HelpArticle.objects.create(title="Caméra (brouillon)", body="Caméra", published=False)
    response = teacher_client.get(reverse("helpdesk:article_suggest"), {"q": "caméra éteinte"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["title"] for r in results] == ["La caméra ne s'allume pas", "Son coupé"]
    assert results[0]["url"].startswith("/helpdesk/articles/")
    assert teacher_client.get(reverse("helpdesk:article_suggest"), {"q": "le"}).json() == {"results": []}


def test_the_article_search_needs_every_word(teacher_client):
    HelpArticle.objects.create(title="Caméra éteinte", body="Rebranchez le câble USB.", published=True)
    HelpArticle.objects.create(title="Caméra floue", body="Nettoyez l'objectif.", published=True)
    response = teacher_client.get(reverse("helpdesk:article_list"), {"q": "caméra câble"})
    assert [a.title for a in response.context["page_obj"]] == ["Caméra éteinte"]
    response = teacher_client.get(reverse("helpdesk:article_list"))
    assert len(response.context["page_obj"]) == 2


def test_the_open_form_carries_the_suggestion_script(teacher_client):
    page = teacher_client.get(reverse("helpdesk:ticket_open")).content.decode()
    assert "js/help-suggest.js" in page
    assert f'data-help-suggest-url="{reverse("helpdesk:article_suggest")}"' in page


def test_delegates_also_use_the_helpdesk(client, school_a):
    delegate = make_member(school_a, role="delegate", email="delegate@example.org")
    client.force_login(delegate)
    response = client.post(reverse("helpdesk:ticket_open"), form_data())
    assert response.status_code == 302
    assert Ticket.objects.get().opened_by == delegate
