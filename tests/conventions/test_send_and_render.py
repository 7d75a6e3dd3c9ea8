"""Sending a case's documents: what is created, what the PDFs say, what the case becomes."""

import re

from django.conf import settings
from django.core import mail
from django.utils import timezone
import pytest

from cases.models import CaseEvent, CaseStatus, EventKind
from classcontact.tokens import hash_token
from conventions import services
from conventions.defaults import CONVENTION_FR, ENGAGEMENT_EN, ENGAGEMENT_FR
from conventions.models import (
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    FileVariant,
    Signature,
    SignerRole,
    SigningLink,
    split_clauses,
)
from tests.builders.conventions import (
    convention_of,
    engagements_of,
    file_bytes,
    link_token_from_mail,
    make_ready_case,
    normalise,
    pdf_pages,
    pdf_text,
    send,
    serials_of,
)

pytestmark = pytest.mark.django_db


def test_sending_creates_the_convention_and_one_engagement_per_parent(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator, guardians=2, languages=("fr", "en"))

    documents = send(case, coordinator, django_capture_on_commit_callbacks)

    case.refresh_from_db()
    assert case.status == CaseStatus.DOCUMENTS_SENT
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DOCUMENTS_SENT).count() == 1
    assert [d.kind for d in documents] == [
        DocumentKind.CONVENTION,
        DocumentKind.ENGAGEMENT,
        DocumentKind.ENGAGEMENT,
    ]
    # The convention in the portal's language; each engagement in its parent's language.
    assert [d.language for d in documents] == [settings.LANGUAGE_CODE, "fr", "en"]
    assert all(d.status == DocumentStatus.AWAITING_SIGNATURES for d in documents)
    assert all(d.files.filter(variant=FileVariant.ORIGINAL).count() == 1 for d in documents)
    convention = convention_of(case)
    assert list(convention.signatures.values_list("role", flat=True)) == [
        SignerRole.DIRECTOR,
        SignerRole.COORDINATOR,
    ]
    assert SigningLink.objects.filter(guardian__case=case, purpose="sign").count() == 2
    # Each document records the wording version it was made from.
    assert all(
        d.template_version.kind == d.kind and d.template_version.language == d.language for d in documents
    )


def test_the_director_and_each_parent_are_told_by_email(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator, guardians=2)

    send(case, coordinator, django_capture_on_commit_callbacks)

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert director_a.email in recipients
    assert "sophie@example.org" in recipients and "marc@example.org" in recipients
    link_mails = [m for m in mail.outbox if re.search(r"/sign/[0-9a-f-]{36}/", m.body)]
    assert sorted(m.to[0] for m in link_mails) == ["marc@example.org", "sophie@example.org"]
    # Only the hash of each token is stored.
    for message in link_mails:
        _ref, token = link_token_from_mail(message)
        assert not SigningLink.objects.filter(token_hash=token).exists()
        assert SigningLink.objects.filter(token_hash=hash_token(token)).count() == 1


@pytest.mark.french
def test_the_convention_pdf_names_school_pupil_every_serial_and_the_clauses(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)

    text = pdf_text(file_bytes(convention_of(case)))

    assert school_a.name in text
    assert "ClassContact asbl" in text and "Avenue du Bourget 42" in text and "1130" in text
    assert "Emma" in text and "Peeters" in text
    serials = serials_of(case)
    assert len(serials) == 4  # Chromebook, 360° camera, speakerphone, keyboard
    for serial in serials:
        assert serial in text
    for clause in split_clauses(CONVENTION_FR["clauses"]):
        assert normalise(clause) in text
    assert normalise(CONVENTION_FR["consent_text"]) in text


def test_the_engagement_pdf_has_the_parents_commitments_in_their_language(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator, guardians=2, languages=("fr", "en"))
    send(case, coordinator, django_capture_on_commit_callbacks)
    french, english = engagements_of(case)

    french_text = pdf_text(file_bytes(french))
    english_text = pdf_text(file_bytes(english))

    for clause in split_clauses(ENGAGEMENT_FR["clauses"]):
        assert normalise(clause) in french_text
    for clause in split_clauses(ENGAGEMENT_EN["clauses"]):
        assert normalise(clause) in english_text
    assert "Sophie Peeters" in french_text and "Marc Peeters" in english_text
    # The parents' engagement lists no equipment (the convention does).
    assert "SN-" not in french_text and "SN-" not in english_text
    assert school_a.name in french_text


def test_the_issue_date_is_written_in_words_in_each_document_language(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator, guardians=2, languages=("fr", "en"))
    send(case, coordinator, django_capture_on_commit_callbacks)
    french, english = engagements_of(case)
    today = timezone.localdate()
    french_month = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ][today.month - 1]

    french_text = pdf_text(file_bytes(french))
    english_text = pdf_text(file_bytes(english))

    assert normalise(f"Émis le {today.day} {french_month} {today.year}") in french_text
    assert normalise(f"Issued on {today.day} {today:%B} {today.year}") in english_text
    assert today.isoformat() not in french_text


def test_rendering_again_leaves_exactly_one_file(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    convention = convention_of(case)
    first = convention.files.get(variant=FileVariant.ORIGINAL)

    again = services.document_render(document_id=convention.pk, variant=FileVariant.ORIGINAL)

    assert again.pk == first.pk
    assert DocumentFile.objects.filter(document=convention).count() == 1


def test_sending_without_a_reserved_kit_is_refused(school_a, director_a, coordinator):
    from tests.builders.cases import make_case

    case = make_case(school_a, director_a, coordinator, CaseStatus.ELIGIBLE)
    from cases import services as case_services

    case = case_services.case_mark_kit_assigned(case=case, by=coordinator)

    with pytest.raises(services.DocumentError) as error:
        services.documents_send(case=case, by=coordinator)

    assert error.value.message == services.ERROR_NO_KIT
    assert not Document.objects.filter(case=case).exists()


def test_sending_twice_is_refused_by_the_case_transitions(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    from classcontact.workflow import InvalidTransition

    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)

    with pytest.raises(InvalidTransition):
        services.documents_send(case=case, by=coordinator)

    assert Document.objects.filter(case=case).count() == 2


def test_only_coordinators_send(school_a, director_a, coordinator, technician):
    case = make_ready_case(school_a, director_a, coordinator)

    for person in (technician, director_a):
        with pytest.raises(services.DocumentError):
            services.documents_send(case=case, by=person)

    case.refresh_from_db()
    assert case.status == CaseStatus.KIT_ASSIGNED
    assert not Signature.objects.exists()


def test_a_convention_of_two_pages(school_a, director_a, coordinator, django_capture_on_commit_callbacks):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)

    pages = pdf_pages(file_bytes(convention_of(case)))

    assert len(pages) == 2
