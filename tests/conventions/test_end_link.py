"""The parents' personal link to say that the kit is no longer needed."""

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
import pytest

from cases import services as case_services
from cases.models import CaseEvent, CaseStatus, EventKind
from conventions import services
from conventions.models import SigningLink
from tests.builders.cases import move
from tests.builders.conventions import guardian_of, make_ready_case

pytestmark = pytest.mark.django_db


def _end_link(case, coordinator, capture) -> str:
    mail.outbox.clear()
    with capture(execute=True):
        services.end_link_send(guardian=guardian_of(case), by=coordinator)
    message = mail.outbox[-1]
    match = re.search(r"(/sign/[0-9a-f-]{36}/[A-Za-z0-9_-]{43,}/)", message.body)
    assert match and str(case.public_id) in match.group(1)
    return match.group(1)


def _active_case(school, director, coordinator):
    case = make_ready_case(school, director, coordinator)
    for state in (
        CaseStatus.DOCUMENTS_SENT,
        CaseStatus.DOCUMENTS_SIGNED,
        CaseStatus.INSTALLATION_PLANNED,
        CaseStatus.ACTIVE,
    ):
        case = move(case, state, director=director, coordinator=coordinator)
    return case


def test_a_parent_says_the_kit_is_no_longer_needed(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = _active_case(school_a, director_a, coordinator)
    url = _end_link(case, coordinator, django_capture_on_commit_callbacks)
    last_day = timezone.localdate() + datetime.timedelta(days=10)

    page = client.get(url)
    response = client.post(
        url, {"last_day": last_day.isoformat(), "note": "Back at school.", "confirm": "on"}
    )

    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.END_REQUESTED
    assert case.last_day_of_use == last_day
    event = CaseEvent.objects.get(case=case, kind=EventKind.END_REQUESTED)
    assert event.actor is None and event.acting_for_parent
    assert "Back at school." in event.message
    assert SigningLink.objects.get(purpose="end").used_at is not None
    again = client.get(url)
    unknown = client.get(reverse("sign:page", kwargs={"ref": case.public_id, "token": "z" * 43}))
    assert again.status_code == unknown.status_code == 404
    assert again.content == unknown.content


def test_too_early_the_link_explains_and_stays_usable(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    url = _end_link(case, coordinator, django_capture_on_commit_callbacks)

    response = client.post(url, {"last_day": timezone.localdate().isoformat(), "confirm": "on"})

    assert response.status_code == 400
    with translation.override(guardian_of(case).language):
        assert str(services.ERROR_END_NOT_POSSIBLE) in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.KIT_ASSIGNED
    assert SigningLink.objects.get(purpose="end").used_at is None


def test_a_refusal_of_the_whole_form_is_said_once(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    url = _end_link(case, coordinator, django_capture_on_commit_callbacks)

    response = client.post(url, {"last_day": timezone.localdate().isoformat(), "confirm": "on"})

    with translation.override(guardian_of(case).language):
        assert response.content.decode().count(str(services.ERROR_END_NOT_POSSIBLE)) == 1


def test_a_new_end_link_kills_the_previous_one(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = _active_case(school_a, director_a, coordinator)
    first = _end_link(case, coordinator, django_capture_on_commit_callbacks)
    second = _end_link(case, coordinator, django_capture_on_commit_callbacks)

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_the_end_link_does_not_open_the_signing_page_of_a_document(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    from tests.builders.conventions import send

    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    end_url = _end_link(case, coordinator, django_capture_on_commit_callbacks)
    token = end_url.rstrip("/").rsplit("/", 1)[1]
    document = case.documents.filter(kind="engagement").get()

    response = client.get(reverse("sign:page", kwargs={"ref": document.public_id, "token": token}))

    assert response.status_code == 404


def test_staff_send_the_end_link_from_the_case_page(
    client, coordinator, school_a, director_a, django_capture_on_commit_callbacks
):
    case = _active_case(school_a, director_a, coordinator)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conventions:end_link", kwargs={"case_id": case.public_id, "position": 1})
        )
    missing = client.post(reverse("conventions:end_link", kwargs={"case_id": case.public_id, "position": 2}))

    assert response.status_code == 302
    assert SigningLink.objects.filter(purpose="end", guardian__case=case).count() == 1
    assert missing.status_code == 404


def test_the_end_link_dies_when_the_case_closes(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = _active_case(school_a, director_a, coordinator)
    url = _end_link(case, coordinator, django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 200

    case_services.case_withdraw(case=case, by=coordinator, reason="The family moved away.")

    assert client.get(url).status_code == 404
