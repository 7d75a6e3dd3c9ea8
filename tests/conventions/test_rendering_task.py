"""The rendering task: run twice, or crash midway and run again, there is exactly one file."""

import pytest

from classcontact.storage import private_storage
from conventions import services
from conventions.models import DocumentFile, DocumentStatus, FileVariant
from conventions.tasks import render_document
from tests.builders.conventions import convention_of, make_ready_case

pytestmark = pytest.mark.django_db


class WorkerKilled(Exception):
    """Stands for the worker dying in the middle of the task."""


@pytest.fixture
def unrendered(school_a, director_a, coordinator, django_capture_on_commit_callbacks):
    """A case whose documents were sent, but whose rendering tasks have not run yet."""
    case = make_ready_case(school_a, director_a, coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.documents_send(case=case, by=coordinator)
    assert len(callbacks) == 2  # one rendering task per document, after commit
    return convention_of(case)


def _files_on_disk(document) -> list[str]:
    folder = f"documents/{document.public_id}"
    if not private_storage.exists(folder):
        return []
    return private_storage.listdir(folder)[1]


def test_a_task_killed_after_rendering_and_before_storing_leaves_one_document_once_run_again(
    unrendered, monkeypatch
):
    def killed(*args, **kwargs):
        raise WorkerKilled

    monkeypatch.setattr(services.documents, "_store_pdf", killed)
    with pytest.raises(WorkerKilled):
        render_document.apply(kwargs={"document_id": unrendered.pk, "variant": FileVariant.ORIGINAL})
    assert not DocumentFile.objects.filter(document=unrendered).exists()
    monkeypatch.undo()

    render_document.apply(kwargs={"document_id": unrendered.pk, "variant": FileVariant.ORIGINAL})
    render_document.apply(kwargs={"document_id": unrendered.pk, "variant": FileVariant.ORIGINAL})

    assert DocumentFile.objects.filter(document=unrendered).count() == 1
    assert _files_on_disk(unrendered) == ["original.pdf"]
    unrendered.refresh_from_db()
    assert unrendered.status == DocumentStatus.AWAITING_SIGNATURES


def test_a_task_killed_after_writing_the_file_but_before_committing_leaves_one_file(unrendered, monkeypatch):
    real_issued = services.documents._document_issued

    def killed(document):
        raise WorkerKilled

    monkeypatch.setattr(services.documents, "_document_issued", killed)
    with pytest.raises(WorkerKilled):
        render_document.apply(kwargs={"document_id": unrendered.pk, "variant": FileVariant.ORIGINAL})
    assert not DocumentFile.objects.filter(document=unrendered).exists()
    assert _files_on_disk(unrendered) == ["original.pdf"]  # written, but never recorded
    monkeypatch.setattr(services.documents, "_document_issued", real_issued)

    render_document.apply(kwargs={"document_id": unrendered.pk, "variant": FileVariant.ORIGINAL})

    stored = DocumentFile.objects.get(document=unrendered)
    assert _files_on_disk(unrendered) == ["original.pdf"]
    with stored.file.open("rb") as handle:
        import hashlib

        assert hashlib.sha256(handle.read()).hexdigest() == stored.sha256


def test_the_task_returns_quietly_when_the_document_is_gone(unrendered):
    document_id = unrendered.pk
    unrendered.delete()

    result = render_document.apply(kwargs={"document_id": document_id, "variant": FileVariant.ORIGINAL})

    assert result.get() is None


def test_no_signed_copy_before_every_signature(unrendered):
    render_document.apply(kwargs={"document_id": unrendered.pk, "variant": FileVariant.ORIGINAL})

    result = render_document.apply(kwargs={"document_id": unrendered.pk, "variant": FileVariant.SIGNED})

    assert result.get() is None
    assert not DocumentFile.objects.filter(document=unrendered, variant=FileVariant.SIGNED).exists()
