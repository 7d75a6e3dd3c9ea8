"""Checking a file or a hash: the staff page and the public page (/verify/)."""

import hashlib
import re

from django.core import mail
from django.urls import reverse
import pytest

from conventions.models import FileVariant
from tests.builders.conventions import (
    convention_of,
    countersign,
    engagements_of,
    file_bytes,
    link_token_from_mail,
    make_ready_case,
    send,
    sign_as_director,
    sign_as_guardian,
)
from tests.builders.files import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_convention(school_a, director_a, coordinator, django_capture_on_commit_callbacks):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    convention = convention_of(case)
    message = next(m for m in mail.outbox if re.search(r"/sign/[0-9a-f-]{36}/", m.body))
    with django_capture_on_commit_callbacks(execute=True):
        sign_as_director(convention, director_a)
        countersign(convention, coordinator)
        sign_as_guardian(engagements_of(case)[0], *link_token_from_mail(message))
    convention.refresh_from_db()
    return convention


def _public(client, **data):
    return client.post(reverse("verify"), data)


def test_the_public_page_confirms_a_signed_copy_and_reveals_nothing_else(client, signed_convention, school_a):
    data = file_bytes(signed_convention, FileVariant.SIGNED)

    response = _public(client, file=pdf_upload(data=data))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="verify-yes"' in content
    assert "School convention" in content
    assert f"{signed_convention.signed_at:%Y}" in content
    for secret in (school_a.name, "Emma", "Peeters", signed_convention.content["case_number"], "SN-"):
        assert secret not in content
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_one_byte_change_is_detected(client, signed_convention):
    data = bytearray(file_bytes(signed_convention, FileVariant.SIGNED))
    data[len(data) // 2] ^= 0x01

    response = _public(client, file=pdf_upload(data=bytes(data)))

    assert 'data-testid="verify-no"' in response.content.decode()
    assert 'data-testid="verify-yes"' not in response.content.decode()


def test_a_pasted_hash_is_checked_too(client, signed_convention):
    digest = hashlib.sha256(file_bytes(signed_convention, FileVariant.SIGNED)).hexdigest()

    yes = _public(client, sha256=digest.upper())
    no = _public(client, sha256="0" * 64)

    assert 'data-testid="verify-yes"' in yes.content.decode()
    assert 'data-testid="verify-no"' in no.content.decode()


def test_the_file_as_issued_is_not_a_signed_copy(client, signed_convention):
    response = _public(client, file=pdf_upload(data=file_bytes(signed_convention, FileVariant.ORIGINAL)))

    assert 'data-testid="verify-no"' in response.content.decode()


def test_bad_input_is_explained_not_a_500(client, signed_convention):
    not_hex = _public(client, sha256="not a hash")
    nothing = _public(client)
    not_pdf = client.post(reverse("verify"), {"file": pdf_upload("x.pdf", data=b"GIF89a not a pdf at all")})

    assert not_hex.status_code == nothing.status_code == not_pdf.status_code == 400
    assert "64 characters" in not_hex.content.decode()
    assert "Choose a PDF file or paste its SHA-256." in nothing.content.decode()


def test_staff_see_which_document_a_file_is(client, coordinator, signed_convention):
    client.force_login(coordinator)
    signed = file_bytes(signed_convention, FileVariant.SIGNED)
    original = file_bytes(signed_convention, FileVariant.ORIGINAL)

    signed_answer = client.post(reverse("conventions:verify"), {"file": pdf_upload(data=signed)})
    original_answer = client.post(reverse("conventions:verify"), {"file": pdf_upload(data=original)})
    changed = bytearray(signed)
    changed[100] ^= 0x20
    tampered = client.post(reverse("conventions:verify"), {"file": pdf_upload(data=bytes(changed))})

    assert "Signed copy issued by the portal." in signed_answer.content.decode()
    assert signed_convention.content["case_number"] in signed_answer.content.decode()
    assert "Issued by the portal." in original_answer.content.decode()
    assert "Unknown." in tampered.content.decode()


def test_the_staff_page_is_for_staff(client, director_a):
    client.force_login(director_a)

    assert client.get(reverse("conventions:verify")).status_code == 403
