"""The documents pages: who sees, downloads and signs what; outsiders get 404."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape
import pytest

from cases.models import CaseStatus
from classcontact.workflow import ERROR_INVALID_TRANSITION
from conventions import services
from conventions.models import DocumentStatus, FileVariant, SignatureStatus, SignerRole
from tests.builders.conventions import (
    convention_of,
    drawn_signature_data_url,
    engagements_of,
    make_ready_case,
    send,
    sign_as_director,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_case(school_a, director_a, coordinator, django_capture_on_commit_callbacks):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    return case


def _document_urls(case):
    convention = convention_of(case)
    engagement = engagements_of(case)[0]
    return [
        reverse("conventions:case", kwargs={"case_id": case.public_id}),
        reverse("conventions:detail", kwargs={"document_id": convention.public_id}),
        reverse("conventions:status", kwargs={"document_id": convention.public_id}),
        reverse("conventions:download", kwargs={"document_id": convention.public_id}),
        reverse("conventions:download", kwargs={"document_id": engagement.public_id}),
        reverse("conventions:download_signed", kwargs={"document_id": convention.public_id}),
        reverse("conventions:sign", kwargs={"document_id": convention.public_id}),
        reverse("conventions:countersign", kwargs={"document_id": convention.public_id}),
    ]


@pytest.mark.parametrize("outsider", ["director_b", "teacher_a"])
def test_outsiders_get_404_on_every_document_url(client, request, sent_case, outsider):
    client.force_login(request.getfixturevalue(outsider))

    for url in _document_urls(sent_case):
        assert client.get(url).status_code == 404, url
    convention = convention_of(sent_case)
    response = client.post(reverse("conventions:sign", kwargs={"document_id": convention.public_id}), {})
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, sent_case):
    for url in _document_urls(sent_case):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


def test_the_director_sees_and_downloads_the_school_documents(client, director_a, sent_case):
    client.force_login(director_a)
    convention = convention_of(sent_case)

    page = client.get(reverse("conventions:case", kwargs={"case_id": sent_case.public_id}))
    download = client.get(reverse("conventions:download", kwargs={"document_id": convention.public_id}))

    assert page.status_code == 200
    assert "School convention" in page.content.decode()
    assert 'data-testid="sign-convention"' in page.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Cache-Control"] == "private, no-store"


def test_the_director_does_not_see_the_parents_evidence(client, director_a, sent_case):
    client.force_login(director_a)
    engagement = engagements_of(sent_case)[0]

    response = client.get(reverse("conventions:detail", kwargs={"document_id": engagement.public_id}))

    assert response.status_code == 200
    assert 'data-testid="evidence"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "technician", "read_only_staff"])
def test_staff_download_any_document(client, request, sent_case, persona):
    client.force_login(request.getfixturevalue(persona))
    convention = convention_of(sent_case)

    response = client.get(reverse("conventions:download", kwargs={"document_id": convention.public_id}))

    assert response.status_code == 200


def test_the_director_signs_the_convention_in_the_portal(client, director_a, sent_case, school_a):
    client.force_login(director_a)
    convention = convention_of(sent_case)
    url = reverse("conventions:sign", kwargs={"document_id": convention.public_id})
    page = client.get(url)
    assert page.status_code == 200
    assert "Emma" in page.content.decode()

    response = client.post(
        url,
        {
            "consent": "yes",
            "accepted": "on",
            "typed_name": "Anne Directrice",
            "document_sha256": convention.files.get(variant=FileVariant.ORIGINAL).sha256,
            "signature_image": drawn_signature_data_url(),
        },
        HTTP_USER_AGENT="Firefox test",
    )

    assert response.status_code == 302
    signature = convention.signatures.get(role=SignerRole.DIRECTOR)
    assert signature.status == SignatureStatus.SIGNED
    assert signature.typed_name == "Anne Directrice"
    assert signature.first_opened_at <= signature.signed_at
    assert signature.user_agent == "Firefox test"
    assert school_a.communication_consents.get().consents is True


def test_signing_twice_in_the_portal_is_refused_with_a_message(client, director_a, sent_case):
    convention = convention_of(sent_case)
    sign_as_director(convention, director_a)
    client.force_login(director_a)

    response = client.post(
        reverse("conventions:sign", kwargs={"document_id": convention.public_id}),
        {
            "consent": "no",
            "accepted": "on",
            "typed_name": "Someone Else",
            "document_sha256": convention.files.get(variant=FileVariant.ORIGINAL).sha256,
        },
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [str(services.ERROR_ALREADY_SIGNED)]
    signature = convention.signatures.get(role=SignerRole.DIRECTOR)
    assert signature.typed_name != "Someone Else"
    assert signature.consent is True


def test_a_signature_form_without_consent_says_why_and_keeps_the_name(client, director_a, sent_case):
    client.force_login(director_a)
    convention = convention_of(sent_case)

    response = client.post(
        reverse("conventions:sign", kwargs={"document_id": convention.public_id}),
        {
            "accepted": "on",
            "typed_name": "Anne Directrice",
            "document_sha256": convention.files.get(variant=FileVariant.ORIGINAL).sha256,
        },
    )

    assert response.status_code == 400
    assert 'value="Anne Directrice"' in response.content.decode()
    assert convention.signatures.get(role=SignerRole.DIRECTOR).status == SignatureStatus.PENDING


def test_a_broken_drawn_signature_is_an_error_next_to_the_pad(client, director_a, sent_case):
    client.force_login(director_a)
    convention = convention_of(sent_case)

    response = client.post(
        reverse("conventions:sign", kwargs={"document_id": convention.public_id}),
        {
            "consent": "yes",
            "accepted": "on",
            "typed_name": "Anne Directrice",
            "document_sha256": convention.files.get(variant=FileVariant.ORIGINAL).sha256,
            "signature_image": "data:image/png;base64,bm90IGEgcG5n",
        },
    )

    assert response.status_code == 400
    assert "The drawn signature could not be read" in response.content.decode()


def test_the_coordinator_countersigns_in_the_portal_after_the_director(
    client, coordinator, director_a, sent_case
):
    convention = convention_of(sent_case)
    sign_as_director(convention, director_a)
    client.force_login(coordinator)

    response = client.post(
        reverse("conventions:countersign", kwargs={"document_id": convention.public_id}),
        {
            "accepted": "on",
            "typed_name": "Claire Coordinator",
            "document_sha256": convention.files.get(variant=FileVariant.ORIGINAL).sha256,
        },
    )

    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.status == DocumentStatus.SIGNED


def test_the_countersignature_is_not_offered_before_the_director_signs(client, coordinator, sent_case):
    convention = convention_of(sent_case)
    client.force_login(coordinator)
    detail = reverse("conventions:detail", kwargs={"document_id": convention.public_id})
    countersign = reverse("conventions:countersign", kwargs={"document_id": convention.public_id})

    assert countersign not in client.get(detail).content.decode()
    response = client.get(countersign)

    assert response.status_code == 302 and response.url == detail
    assert [m.message for m in get_messages(response.wsgi_request)] == [services.ERROR_DIRECTOR_FIRST]
    coordinator_signature = convention.signatures.get(role=SignerRole.COORDINATOR)
    assert coordinator_signature.first_opened_at is None


def test_the_countersignature_is_offered_once_the_director_has_signed(
    client, coordinator, director_a, sent_case
):
    convention = convention_of(sent_case)
    sign_as_director(convention, director_a)
    client.force_login(coordinator)
    countersign = reverse("conventions:countersign", kwargs={"document_id": convention.public_id})

    detail = client.get(reverse("conventions:detail", kwargs={"document_id": convention.public_id}))

    assert countersign in detail.content.decode()
    assert client.get(countersign).status_code == 200


def test_the_director_cannot_countersign(client, director_a, sent_case):
    client.force_login(director_a)
    convention = convention_of(sent_case)

    response = client.get(reverse("conventions:countersign", kwargs={"document_id": convention.public_id}))

    assert response.status_code == 404


def test_staff_send_the_documents_from_the_case_page(
    client, coordinator, school_a, director_a, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("conventions:case", kwargs={"case_id": case.public_id}))
    assert 'data-testid="send-documents"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("conventions:send", kwargs={"case_id": case.public_id}))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DOCUMENTS_SENT
    # The PDFs are rendered after the request, by a task: the page says they are being prepared.
    page = client.get(reverse("conventions:case", kwargs={"case_id": case.public_id}))
    content = page.content.decode()
    assert 'data-testid="preparing"' in content
    status_url = reverse("conventions:status", kwargs={"document_id": convention_of(case).public_id})
    # The page asks the documents' state and reloads once they are ready: no timed refresh.
    assert status_url in content and "js/documents-ready.js" in content
    assert 'http-equiv="refresh"' not in content
    detail = client.get(reverse("conventions:detail", kwargs={"document_id": convention_of(case).public_id}))
    assert status_url in detail.content.decode()
    status = client.get(reverse("conventions:status", kwargs={"document_id": convention_of(case).public_id}))
    assert status.json()["ready"] is False


def test_a_refused_send_is_a_message_not_an_error(client, coordinator, school_a, director_a):
    from tests.builders.cases import make_case

    case = make_case(school_a, director_a, coordinator, CaseStatus.ELIGIBLE)
    client.force_login(coordinator)

    response = client.post(reverse("conventions:send", kwargs={"case_id": case.public_id}), follow=True)

    assert response.status_code == 200
    expected = ERROR_INVALID_TRANSITION % {"current": CaseStatus.ELIGIBLE.label}
    assert escape(str(expected)) in response.content.decode()


def test_only_coordinators_act_on_documents(client, technician, director_a, sent_case):
    engagement = engagements_of(sent_case)[0]
    for person, expected in ((technician, 403), (director_a, 403)):
        client.force_login(person)
        resend = client.post(
            reverse("conventions:resend", kwargs={"signature_id": engagement.signatures.get().pk})
        )
        send_again = client.post(reverse("conventions:send", kwargs={"case_id": sent_case.public_id}))
        assert resend.status_code == expected
        assert send_again.status_code == expected


def test_staff_see_the_evidence_of_a_parents_signature(
    client, coordinator, sent_case, django_capture_on_commit_callbacks
):
    import re

    from django.core import mail

    from conventions.forms import SignatureImageField
    from tests.builders.conventions import link_token_from_mail, sign_as_guardian

    message = next(m for m in mail.outbox if re.search(r"/sign/[0-9a-f-]{36}/", m.body))
    engagement = engagements_of(sent_case)[0]
    sign_as_guardian(
        engagement,
        *link_token_from_mail(message),
        image=SignatureImageField().clean(drawn_signature_data_url()),
    )
    client.force_login(coordinator)

    response = client.get(reverse("conventions:detail", kwargs={"document_id": engagement.public_id}))
    image = client.get(
        reverse("conventions:signature_image", kwargs={"signature_id": engagement.signatures.get().pk})
    )

    content = response.content.decode()
    assert "198.51.100.7" in content and "pytest parent phone" in content
    assert engagement.files.get(variant=FileVariant.ORIGINAL).sha256 in content
    assert image.status_code == 200


def test_the_staff_document_list_has_a_fixed_number_of_queries(
    client, coordinator, sent_case, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("conventions:list"))

    with django_assert_max_num_queries(8):
        response = client.get(reverse("conventions:list") + "?kind=convention&q=Peeters")

    assert response.status_code == 200
    assert sent_case.number in response.content.decode()


def test_the_case_documents_page_has_a_fixed_number_of_queries(
    client, coordinator, sent_case, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("conventions:case", kwargs={"case_id": sent_case.public_id})
    client.get(url)

    with django_assert_max_num_queries(14):
        response = client.get(url)

    assert response.status_code == 200


def test_a_refused_director_signature_opens_on_the_form_and_its_error(client, director_a, sent_case):
    client.force_login(director_a)
    convention = convention_of(sent_case)
    url = reverse("conventions:sign", kwargs={"document_id": convention.public_id})
    assert 'data-testid="sign-form-errors"' not in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "typed_name": "Anne Directrice",
            "document_sha256": convention.files.get(variant=FileVariant.ORIGINAL).sha256,
        },
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert 'action="#portal-sign-form" id="portal-sign-form"' in content
    assert 'data-testid="sign-form-errors"' in content
