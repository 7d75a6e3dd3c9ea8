"""With a real Celery worker and Redis: a convention rendered end to end, and a crash survived."""

import time

import pytest

from conventions import services
from conventions.models import DocumentFile, DocumentStatus, FileVariant
from conventions.tasks import render_document
from tests.builders.conventions import convention_of, file_bytes, make_ready_case, pdf_text, serials_of


def _wait_for(check, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_convention_end_to_end(
    celery_worker_redis, school_a, director_a, coordinator
):
    case = make_ready_case(school_a, director_a, coordinator)

    services.documents_send(case=case, by=coordinator)  # commits: the tasks go to Redis

    convention = convention_of(case)
    assert _wait_for(lambda: DocumentFile.objects.filter(document=convention).exists())
    convention.refresh_from_db()
    assert convention.status == DocumentStatus.AWAITING_SIGNATURES
    text = pdf_text(file_bytes(convention))
    assert school_a.name in text and "Emma Peeters" in text
    for serial in serials_of(case):
        assert serial in text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_that_dies_in_the_worker_and_runs_again_leaves_one_document(
    celery_worker_redis, school_a, director_a, coordinator, monkeypatch
):
    case = make_ready_case(school_a, director_a, coordinator)
    real_store = services.documents._store_pdf
    attempts = []

    def dies_the_first_time(document, variant, pdf):
        attempts.append(document.pk)
        if len(attempts) == 1:
            raise SystemError("worker killed while storing")
        return real_store(document, variant, pdf)

    monkeypatch.setattr(services.documents, "_store_pdf", dies_the_first_time)
    documents = services.documents_send(case=case, by=coordinator)
    convention = documents[0]
    engagement = documents[1]
    assert _wait_for(lambda: DocumentFile.objects.filter(document=engagement).exists() or len(attempts) >= 2)
    assert _wait_for(lambda: len(attempts) >= 2)
    first_failed = not DocumentFile.objects.filter(document_id=attempts[0]).exists()
    assert first_failed

    # Run again whatever died (as a retry or a redelivered message would).
    for document in (convention, engagement):
        render_document.apply_async(kwargs={"document_id": document.pk, "variant": FileVariant.ORIGINAL}).get(
            timeout=60
        )
        render_document.apply_async(kwargs={"document_id": document.pk, "variant": FileVariant.ORIGINAL}).get(
            timeout=60
        )

    assert DocumentFile.objects.filter(document=convention).count() == 1
    assert DocumentFile.objects.filter(document=engagement).count() == 1
