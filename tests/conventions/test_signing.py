"""Signatures: the director, the coordinator and the parents; evidence; the signed copy."""

import hashlib

from django.core import mail
import pytest

from cases.models import CaseStatus
from conventions import services
from conventions.models import (
    DocumentStatus,
    FileVariant,
    SchoolConsent,
    SignatureStatus,
    SignerRole,
    SigningLink,
)
from conventions.selectors import school_consent
from tests.builders.conventions import (
    convention_of,
    countersign,
    engagements_of,
    file_bytes,
    link_token_from_mail,
    make_ready_case,
    pdf_pages,
    send,
    sign_as_director,
    sign_as_guardian,
)

pytestmark = pytest.mark.django_db


def _links(outbox) -> dict[str, tuple[str, str]]:
    """The personal link in each parent's e-mail, by address."""
    found = {}
    for message in outbox:
        if "/sign/" in message.body and "/documents/" not in message.body:
            found[message.to[0]] = link_token_from_mail(message)
    return found


@pytest.fixture
def sent_case(school_a, director_a, coordinator, django_capture_on_commit_callbacks):
    case = make_ready_case(school_a, director_a, coordinator, guardians=2)
    send(case, coordinator, django_capture_on_commit_callbacks)
    return case


def _sign_everything(case, director, coordinator, capture, *, image=None, links=None):
    links = links or _links(mail.outbox)
    convention = convention_of(case)
    first, second = engagements_of(case)
    with capture(execute=True):
        sign_as_director(convention, director, consent=True, image=image)
        countersign(convention, coordinator)
        sign_as_guardian(first, *links["sophie@example.org"], image=image)
        sign_as_guardian(second, *links["marc@example.org"], name="Marc Peeters")
    return convention, first, second


def test_once_every_signature_is_in_the_case_moves_to_documents_signed(
    sent_case, director_a, coordinator, django_capture_on_commit_callbacks
):
    convention, first, second = _sign_everything(
        sent_case, director_a, coordinator, django_capture_on_commit_callbacks
    )

    sent_case.refresh_from_db()
    assert sent_case.status == CaseStatus.DOCUMENTS_SIGNED
    for document in (convention, first, second):
        document.refresh_from_db()
        assert document.status == DocumentStatus.SIGNED
        assert document.signed_at is not None
        assert document.files.filter(variant=FileVariant.SIGNED).count() == 1


def test_the_case_waits_while_one_parent_has_not_signed(
    sent_case, director_a, coordinator, django_capture_on_commit_callbacks
):
    links = _links(mail.outbox)
    convention = convention_of(sent_case)
    first, _second = engagements_of(sent_case)
    with django_capture_on_commit_callbacks(execute=True):
        sign_as_director(convention, director_a)
        countersign(convention, coordinator)
        sign_as_guardian(first, *links["sophie@example.org"])

    sent_case.refresh_from_db()
    assert sent_case.status == CaseStatus.DOCUMENTS_SENT
    convention.refresh_from_db()
    assert convention.status == DocumentStatus.SIGNED


def test_evidence_is_stored_for_each_signature(
    sent_case, director_a, coordinator, django_capture_on_commit_callbacks
):
    from conventions.forms import SignatureImageField
    from tests.builders.conventions import drawn_signature_data_url

    image = SignatureImageField().clean(drawn_signature_data_url())
    convention, first, _second = _sign_everything(
        sent_case, director_a, coordinator, django_capture_on_commit_callbacks, image=image
    )

    parent = first.signatures.get()
    original = first.files.get(variant=FileVariant.ORIGINAL)
    assert parent.status == SignatureStatus.SIGNED
    assert parent.document_sha256 == original.sha256 == hashlib.sha256(file_bytes(first)).hexdigest()
    assert len(parent.html_sha256) == 64
    assert parent.sent_at <= parent.first_opened_at <= parent.signed_at
    assert str(parent.ip_address) == "198.51.100.7"
    assert parent.user_agent == "pytest parent phone"
    assert parent.typed_name == "Sophie Peeters"
    assert parent.commitments == list(range(len(first.clauses)))
    with parent.image.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == parent.image_sha256
    # The drawn signature is in the signed copy (served to WeasyPrint from memory, not a URL).
    import io

    import pypdf

    signed = pypdf.PdfReader(io.BytesIO(file_bytes(first, FileVariant.SIGNED)))
    assert sum(len(page.images) for page in signed.pages) >= 1
    assert parent.image_sha256 in pdf_pages(file_bytes(first, FileVariant.SIGNED))[-1].replace(" ", "")
    director_signature = convention.signatures.get(role=SignerRole.DIRECTOR)
    assert director_signature.signed_by == director_a
    assert director_signature.consent is True
    assert director_signature.history.filter(status=SignatureStatus.SIGNED, history_user=director_a).exists()
    assert convention.history.filter(status="signed").exists()


def test_the_signed_copy_has_an_evidence_page_whose_hash_is_the_stored_file(
    sent_case, director_a, coordinator, django_capture_on_commit_callbacks
):
    convention, first, _second = _sign_everything(
        sent_case, director_a, coordinator, django_capture_on_commit_callbacks
    )

    for document in (convention, first):
        original_sha = hashlib.sha256(file_bytes(document, FileVariant.ORIGINAL)).hexdigest()
        pages = pdf_pages(file_bytes(document, FileVariant.SIGNED))
        evidence = pages[-1]
        assert str(document.public_id) in evidence  # the reference is printed on the evidence page only
        assert original_sha in evidence
        assert document.files.get(variant=FileVariant.ORIGINAL).sha256 == original_sha
        assert "198.51.100.7" in evidence or "192.0.2.10" in evidence
        assert " UTC" in evidence
    convention_pages = pdf_pages(file_bytes(convention, FileVariant.SIGNED))
    assert "pytest director" in convention_pages[-1] and "Claire Coordinator" in convention_pages[-1]


def test_signed_copies_are_emailed_to_the_signers(
    sent_case, director_a, coordinator, django_capture_on_commit_callbacks
):
    links = _links(mail.outbox)
    mail.outbox.clear()
    _sign_everything(sent_case, director_a, coordinator, django_capture_on_commit_callbacks, links=links)

    signed_mails = [m for m in mail.outbox if m.attachments]
    recipients = sorted(m.to[0] for m in signed_mails)
    assert recipients == sorted(
        [director_a.email, coordinator.email, "sophie@example.org", "marc@example.org"]
    )
    for message in signed_mails:
        name, content, mimetype = message.attachments[0]
        assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    # Parents also get their personal link to say later that the kit is no longer needed.
    parent_mail = next(m for m in signed_mails if m.to[0] == "sophie@example.org")
    assert "/sign/" + str(sent_case.public_id) + "/" in parent_mail.body
    assert SigningLink.objects.filter(purpose="end", guardian__case=sent_case).count() == 2


def test_the_directors_answer_is_stored_as_the_schools_consent_with_its_date(
    sent_case, school_a, director_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_as_director(convention_of(sent_case), director_a, consent=False)

    consent = school_consent(school_a)
    assert consent.consents is False
    assert consent.decided_on is not None
    assert consent.recorded_by == director_a
    assert SchoolConsent.objects.filter(school=school_a).count() == 1


def test_signing_twice_is_refused(sent_case, director_a, django_capture_on_commit_callbacks):
    convention = convention_of(sent_case)
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_as_director(convention, director_a)

    with pytest.raises(services.DocumentError) as error:
        sign_as_director(convention, director_a)

    assert error.value.message == services.ERROR_ALREADY_SIGNED
    first.refresh_from_db()
    assert first.typed_name == director_a.get_full_name()
    assert SchoolConsent.objects.count() == 1


def test_a_used_parent_link_cannot_sign_again(sent_case, django_capture_on_commit_callbacks):
    links = _links(mail.outbox)
    first, _second = engagements_of(sent_case)
    with django_capture_on_commit_callbacks(execute=True):
        sign_as_guardian(first, *links["sophie@example.org"])

    with pytest.raises(services.LinkInvalid):
        sign_as_guardian(first, *links["sophie@example.org"], name="Someone Else")

    assert first.signatures.get().typed_name == "Sophie Peeters"


def test_the_coordinator_countersigns_only_after_the_director(sent_case, coordinator):
    with pytest.raises(services.DocumentError) as error:
        countersign(convention_of(sent_case), coordinator)

    assert error.value.message == services.ERROR_DIRECTOR_FIRST


def test_a_director_of_another_school_cannot_sign(sent_case, director_b):
    with pytest.raises(services.DocumentError):
        sign_as_director(convention_of(sent_case), director_b)

    assert convention_of(sent_case).signatures.get(role=SignerRole.DIRECTOR).status == SignatureStatus.PENDING


def test_a_document_changed_since_it_was_shown_is_not_signed(sent_case, director_a):
    convention = convention_of(sent_case)

    with pytest.raises(services.DocumentError) as error:
        services.signature_sign_in_portal(
            document=convention,
            role=SignerRole.DIRECTOR,
            by=director_a,
            typed_name="X",
            accepted=True,
            consent=True,
            shown_sha256="0" * 64,
            image=None,
            ip=None,
            user_agent="",
        )

    assert error.value.message == services.ERROR_DOCUMENT_CHANGED


def test_every_commitment_must_be_ticked(sent_case):
    links = _links(mail.outbox)
    first, _second = engagements_of(sent_case)
    original = first.files.get(variant=FileVariant.ORIGINAL)

    with pytest.raises(services.DocumentError) as error:
        services.signature_sign_by_link(
            ref=links["sophie@example.org"][0],
            token=links["sophie@example.org"][1],
            typed_name="Sophie Peeters",
            commitments=[0, 1],
            shown_sha256=original.sha256,
            image=None,
            ip=None,
            user_agent="",
        )

    assert error.value.message == services.ERROR_COMMITMENTS
    assert first.signatures.get().status == SignatureStatus.PENDING


def test_a_withdrawn_case_takes_no_more_signatures(sent_case, director_a, coordinator):
    from cases import services as case_services

    case_services.case_withdraw(case=sent_case, by=coordinator, reason="Family moved.")

    with pytest.raises(services.DocumentError) as error:
        sign_as_director(convention_of(sent_case), director_a)

    assert error.value.message == services.ERROR_NOT_OUT_FOR_SIGNATURE


def test_the_signed_copy_speaks_the_language_of_the_document(
    sent_case, director_a, coordinator, django_capture_on_commit_callbacks
):
    from django.utils import translation

    _convention, _first, english = _sign_everything(
        sent_case, director_a, coordinator, django_capture_on_commit_callbacks
    )

    assert english.language == "en"
    text = " ".join(pdf_pages(file_bytes(english, FileVariant.SIGNED)))
    with translation.override("en"):
        assert str(SignerRole.GUARDIAN.label) in text
    with translation.override("fr"):
        french_label = str(SignerRole.GUARDIAN.label)
    assert french_label == str(SignerRole.GUARDIAN.label) or french_label not in text
