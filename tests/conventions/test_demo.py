"""Demo documents: waiting and signed documents for the demo cases, loaded twice without change."""

import io

from django.core import mail
import pytest

from cases import demo as loans_demo
from cases import demo_logistics
from cases.models import CaseStatus
from conventions import demo as conventions_demo
from conventions.models import Document, DocumentFile, DocumentStatus, FileVariant, TemplateVersion
from loans import demo as kit_demo
from schools import demo as schools_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_waiting_and_signed_documents_and_is_idempotent(
    django_capture_on_commit_callbacks, settings
):
    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        schools_demo.seed(io.StringIO())
        loans_demo.seed(io.StringIO())
        kit_demo.seed(io.StringIO())
        demo_logistics.seed(io.StringIO())
        mail.outbox.clear()
        conventions_demo.seed(io.StringIO())

    waiting = Document.objects.filter(case__status=CaseStatus.DOCUMENTS_SENT)
    signed = Document.objects.filter(case__status=CaseStatus.DOCUMENTS_SIGNED)
    assert waiting.exists() and signed.exists()
    assert set(waiting.values_list("status", flat=True)) == {DocumentStatus.AWAITING_SIGNATURES}
    assert set(signed.values_list("status", flat=True)) == {DocumentStatus.SIGNED}
    assert (
        DocumentFile.objects.filter(document__in=signed, variant=FileVariant.SIGNED).count() == signed.count()
    )
    assert mail.outbox == []
    counts = (TemplateVersion.objects.count(), Document.objects.count(), DocumentFile.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        conventions_demo.seed(io.StringIO())
    assert (TemplateVersion.objects.count(), Document.objects.count(), DocumentFile.objects.count()) == counts
