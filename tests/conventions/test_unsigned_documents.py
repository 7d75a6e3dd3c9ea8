"""The classmates' letter and the user-guide receipt: prepared by staff, nothing signed online."""

from django.core import mail
from django.utils import translation
import pytest

from cases import services as case_services
from cases.models import ReasonCategory
from conventions import services
from conventions.defaults import DEFAULT_WORDING, GUIDE_RECEIPT_FR
from conventions.models import Document, DocumentKind, DocumentStatus, FileVariant, split_clauses
from tests.builders.conventions import file_bytes, make_ready_case, normalise, pdf_text, serials_of

pytestmark = pytest.mark.django_db

MEDICAL_WORDS = [
    "médical",
    "medical",
    "maladie",
    "malade",
    "illness",
    "santé",
    "health",
    "diagnos",
    "hôpital",
    "hospital",
    "handicap",
    "disability",
    "psycholog",
    "certificat",
    "certificate",
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("reason", ReasonCategory.values)
def test_the_classmates_letter_says_nothing_medical(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks, reason, language
):
    case = make_ready_case(school_a, director_a, coordinator, reason_category=reason)

    with django_capture_on_commit_callbacks(execute=True):
        letter = services.document_prepare(
            case=case, kind=DocumentKind.CLASSMATES_LETTER, by=coordinator, language=language
        )

    letter.refresh_from_db()
    text = pdf_text(file_bytes(letter))
    lowered = text.lower()
    assert "Emma" in text and school_a.name in text
    for clause in split_clauses(DEFAULT_WORDING[(DocumentKind.CLASSMATES_LETTER, language)]["clauses"]):
        assert normalise(clause) in text
    for value, label in ReasonCategory.choices:
        assert value not in lowered
        for label_language in ("fr", "en"):
            with translation.override(label_language):
                assert str(label).lower() not in lowered
    for word in MEDICAL_WORDS:
        assert word not in lowered, word
    assert "Peeters" not in text  # classmates know the pupil by first name only
    assert "reason_category" not in str(letter.content) and reason not in str(letter.content)
    assert letter.status == DocumentStatus.READY


def test_preparing_the_letter_handles_the_schools_request_and_tells_the_school(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    case_services.case_request_classmates_letter(case=case, by=director_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.document_prepare(case=case, kind=DocumentKind.CLASSMATES_LETTER, by=coordinator)

    case.refresh_from_db()
    assert case.classmates_letter_handled_at is not None
    assert any(director_a.email in m.to for m in mail.outbox)


def test_preparing_the_same_letter_twice_gives_one_document(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.document_prepare(case=case, kind=DocumentKind.CLASSMATES_LETTER, by=coordinator)
        second = services.document_prepare(case=case, kind=DocumentKind.CLASSMATES_LETTER, by=coordinator)

    assert first.pk == second.pk
    assert Document.objects.filter(case=case, kind=DocumentKind.CLASSMATES_LETTER).count() == 1
    assert first.files.count() == 1


def test_the_guide_receipt_lists_the_lent_items(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        receipt = services.document_prepare(
            case=case, kind=DocumentKind.GUIDE_RECEIPT, by=coordinator, language="fr"
        )

    text = pdf_text(file_bytes(receipt))
    for serial in serials_of(case):
        assert serial in text
    for clause in split_clauses(GUIDE_RECEIPT_FR["clauses"]):
        assert normalise(clause) in text
    assert receipt.files.get().variant == FileVariant.ORIGINAL


def test_no_document_for_a_withdrawn_case(school_a, director_a, coordinator):
    case = make_ready_case(school_a, director_a, coordinator)
    case_services.case_withdraw(case=case, by=coordinator, reason="Moved away.")

    with pytest.raises(services.DocumentError):
        services.document_prepare(case=case, kind=DocumentKind.CLASSMATES_LETTER, by=coordinator)

    assert not Document.objects.filter(case=case).exists()
