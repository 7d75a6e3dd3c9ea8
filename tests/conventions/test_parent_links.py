"""A parent's personal link: one purpose, unguessable, expiring, dead once used, the same page
for every link that cannot be used, and nothing loaded from elsewhere."""

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone
import pytest

from classcontact.tokens import hash_token
from conventions import services
from conventions.models import FileVariant, SignatureStatus, SigningLink
from tests.builders.conventions import (
    drawn_signature_data_url,
    engagements_of,
    link_token_from_mail,
    make_ready_case,
    send,
)
from tests.builders.schools import make_director, make_school

pytestmark = pytest.mark.django_db


def _parent_links():
    return {
        m.to[0]: link_token_from_mail(m) for m in mail.outbox if re.search(r"/sign/[0-9a-f-]{36}/", m.body)
    }


def _url(ref, token):
    return reverse("sign:page", kwargs={"ref": ref, "token": token})


@pytest.fixture
def family_a(school_a, director_a, coordinator, django_capture_on_commit_callbacks):
    case = make_ready_case(school_a, director_a, coordinator, guardians=1)
    mail.outbox.clear()
    send(case, coordinator, django_capture_on_commit_callbacks)
    ref, token = _parent_links()["sophie@example.org"]
    return case, ref, token


@pytest.fixture
def family_b(coordinator, django_capture_on_commit_callbacks):
    school = make_school(name="École B")
    director = make_director(school, email="director.b2@example.org")
    case = make_ready_case(
        school, director, coordinator, guardians=1, pupil_first_name="Noah", pupil_last_name="Janssens"
    )
    mail.outbox.clear()
    send(case, coordinator, django_capture_on_commit_callbacks)
    ref, token = _parent_links()["sophie@example.org"]
    return case, ref, token


def _sign_post(document, *, name="Sophie Peeters", image=""):
    data = {f"commitment_{i}": "on" for i in range(len(document.clauses))}
    data.update(
        typed_name=name,
        document_sha256=document.files.get(variant=FileVariant.ORIGINAL).sha256,
        signature_image=image,
    )
    return data


def test_the_token_has_at_least_128_bits_and_only_its_hash_is_stored(family_a):
    _case, _ref, token = family_a

    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    link = SigningLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert token not in link.token_hash


def test_the_link_expires_after_the_configured_number_of_days(family_a, settings):
    link = SigningLink.objects.get()

    assert link.expires_at - link.created_at == datetime.timedelta(days=settings.SIGNING_LINK_VALID_DAYS)


def test_the_parent_opens_their_page_on_the_link(client, family_a):
    case, ref, token = family_a

    response = client.get(_url(ref, token))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Emma" in content and "Peeters" in content
    assert response["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    # Nothing comes from another site: every address in the page is the portal's own.
    for address in re.findall(r'(?:src|href|action)="([^"]+)"', content):
        assert address.startswith(("/", "#", "mailto:", "tel:")), address
    signature = engagements_of(case)[0].signatures.get()
    assert signature.first_opened_at is not None
    assert SigningLink.objects.get().first_opened_at is not None


def test_the_page_speaks_the_language_the_parent_chose(
    client, coordinator, school_a, director_a, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator, guardians=1, languages=("en",))
    mail.outbox.clear()
    send(case, coordinator, django_capture_on_commit_callbacks)
    ref, token = _parent_links()["sophie@example.org"]

    response = client.get(_url(ref, token))

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "not to interfere with the lesson" in content
    assert response["Content-Language"] == "en"


def test_the_pdf_is_reachable_through_the_link_only(client, family_a, family_b):
    _case, ref, token = family_a
    _case_b, ref_b, _token_b = family_b

    response = client.get(reverse("sign:pdf", kwargs={"ref": ref, "token": token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Referrer-Policy"] == "no-referrer"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    other = client.get(reverse("sign:pdf", kwargs={"ref": ref_b, "token": token}))
    assert other.status_code == 404


def test_a_parent_signs_on_the_link_and_it_dies(client, family_a):
    case, ref, token = family_a
    document = engagements_of(case)[0]
    client.get(_url(ref, token))

    response = client.post(
        _url(ref, token),
        _sign_post(document, image=drawn_signature_data_url()),
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone) test",
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 200
    assert 'data-testid="signed-thanks"' in response.content.decode()
    signature = document.signatures.get()
    assert signature.status == SignatureStatus.SIGNED
    assert signature.user_agent == "Mozilla/5.0 (iPhone) test"
    assert str(signature.ip_address) == "203.0.113.9"
    assert signature.image and len(signature.image_sha256) == 64
    assert SigningLink.objects.get().used_at is not None
    assert client.get(_url(ref, token)).status_code == 404


def test_a_missing_commitment_keeps_the_typed_data_and_says_why(client, family_a):
    case, ref, token = family_a
    document = engagements_of(case)[0]
    data = _sign_post(document, name="Sophie Peeters")
    del data["commitment_1"]

    response = client.post(_url(ref, token), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="error_1_id_commitment_1"' in content
    assert 'value="Sophie Peeters"' in content
    assert document.signatures.get().status == SignatureStatus.PENDING
    assert SigningLink.objects.get().used_at is None


def test_every_link_that_cannot_be_used_gets_the_same_page(
    client, family_a, family_b, coordinator, django_capture_on_commit_callbacks
):
    case, ref, token = family_a
    _case_b, ref_b, token_b = family_b
    unknown = client.get(_url(ref, "x" * 43))

    tampered = client.get(_url(ref, token[:-1] + ("A" if token[-1] != "A" else "B")))
    other_family = client.get(_url(ref, token_b))  # family B's token on family A's document
    other_family_reverse = client.get(_url(ref_b, token))
    SigningLink.objects.filter(token_hash=hash_token(token_b)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = client.get(_url(ref_b, token_b))
    signature = engagements_of(case)[0].signatures.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.signing_link_resend(signature=signature, by=coordinator)
    with_new_link = SigningLink.objects.filter(signature=signature).latest("created_at")
    replaced = client.get(_url(ref, token))

    pages = [unknown, tampered, other_family, other_family_reverse, expired, replaced]
    assert {page.status_code for page in pages} == {404}
    assert len({page.content for page in pages}) == 1
    content = unknown.content.decode()
    assert "Emma" not in content and "Noah" not in content and "École" not in content
    assert all(page["Referrer-Policy"] == "no-referrer" for page in pages)
    assert with_new_link.revoked_at is None


def test_a_used_link_gets_the_same_page_as_an_unknown_one(client, family_a):
    case, ref, token = family_a
    document = engagements_of(case)[0]
    client.post(_url(ref, token), _sign_post(document))

    used = client.get(_url(ref, token))
    posted_again = client.post(_url(ref, token), _sign_post(document, name="Intruder"))
    unknown = client.get(_url(ref, "y" * 43))

    assert used.status_code == posted_again.status_code == unknown.status_code == 404
    assert used.content == posted_again.content == unknown.content
    assert document.signatures.get().typed_name == "Sophie Peeters"


def test_resending_kills_the_previous_link(client, family_a, coordinator, django_capture_on_commit_callbacks):
    case, ref, token = family_a
    signature = engagements_of(case)[0].signatures.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.signing_link_resend(signature=signature, by=coordinator)

    new_ref, new_token = _parent_links()["sophie@example.org"]
    assert new_token != token and new_ref == ref
    assert client.get(_url(ref, token)).status_code == 404
    assert client.get(_url(ref, new_token)).status_code == 200
    assert SigningLink.objects.filter(revoked_at__isnull=False).count() == 1


def test_a_sign_link_does_not_end_the_connection(client, family_a):
    case, ref, token = family_a

    with pytest.raises(services.LinkInvalid):
        services.end_request_by_link(ref=case.public_id, token=token, last_day=timezone.localdate())


def test_the_link_posts_even_when_the_browser_hides_where_it_comes_from(family_a):
    """With "Referrer-Policy: no-referrer" browsers post with "Origin: null"; the secret in the
    address is what authorises the post, so no CSRF cookie is needed."""
    from django.test import Client

    case, ref, token = family_a
    document = engagements_of(case)[0]
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(_url(ref, token), _sign_post(document), HTTP_ORIGIN="null")

    assert response.status_code == 200
    assert document.signatures.get().status == SignatureStatus.SIGNED
    assert "csrftoken" not in response.cookies


def test_a_withdrawn_case_kills_the_parents_link(client, family_a, coordinator):
    from cases import services as case_services

    case, ref, token = family_a
    case_services.case_withdraw(case=case, by=coordinator, reason="Moved away.")

    response = client.get(_url(ref, token))
    unknown = client.get(_url(ref, "q" * 43))

    assert response.status_code == 404
    assert response.content == unknown.content


def test_a_refused_signature_says_so_where_the_parent_lands_on_a_phone(client, family_a):
    """The document is long: after a refused post the page opens on the form, which starts with the error."""
    case, ref, token = family_a
    document = engagements_of(case)[0]
    assert 'data-testid="sign-form-errors"' not in client.get(_url(ref, token)).content.decode()
    data = _sign_post(document, name="Sophie Peeters")
    del data["commitment_0"]

    content = client.post(_url(ref, token), data).content.decode()

    assert 'action="#sign-form" id="sign-form"' in content
    assert 'data-testid="sign-form-errors"' in content
    assert content.index('data-testid="sign-form-errors"') < content.index('id="error_1_id_commitment_0"')
