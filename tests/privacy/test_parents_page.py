"""The parents' page on their child's data, in French and English, linked from where they sign."""

from django.urls import reverse
import pytest

from tests.builders.conventions import (
    engagements_of,
    file_bytes,
    link_token_from_mail,
    make_ready_case,
    pdf_text,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Les données de votre enfant"), ("en", "Your child's data")],
)
def test_anyone_reads_the_page_in_french_or_english(client, language, expected, settings):
    settings.RETENTION_CASE_MONTHS = 12
    response = client.get(reverse("sign:privacy", kwargs={"language": language}))
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == language
    assert expected in page.replace("&#x27;", "'")
    assert "12" in page


def test_an_unknown_language_is_not_found(client):
    assert client.get(reverse("sign:privacy", kwargs={"language": "de"})).status_code == 404


def test_the_signing_page_and_the_engagement_pdf_link_to_it(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    from django.core import mail

    case = make_ready_case(school_a, director_a, coordinator, languages=("en",))
    send(case, coordinator, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if "/sign/" in m.body and "sophie@example.org" in m.to)
    ref, token = link_token_from_mail(message)
    page = client.get(reverse("sign:page", kwargs={"ref": ref, "token": token})).content.decode()
    assert reverse("sign:privacy", kwargs={"language": "en"}) in page
    text = pdf_text(file_bytes(engagements_of(case)[0]))
    assert "/sign/privacy/en/" in text.replace(" ", "")
