"""E-mails of the document services, queued in their transaction and sent after it has committed."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.urls import reverse

from cases.notifications import school_recipients, staff_recipients
from classcontact.emails import send_templated_mail

from ..models import Document

_mails_on: ContextVar[bool] = ContextVar("conventions_mails_on", default=True)


@contextmanager
def mails_off() -> Iterator[None]:
    """Do everything but e-mail anyone (demo data)."""
    token = _mails_on.set(False)
    try:
        yield
    finally:
        _mails_on.reset(token)


def mails_enabled() -> bool:
    return _mails_on.get()


def _mail_after_commit(*, name: str, to: str, context: dict, language: str, attachments=()) -> None:
    """Queue one templated e-mail in this transaction; a worker sends it once it has committed."""
    if not _mails_on.get() or not to:
        return
    send_templated_mail(name=name, to=[to], context=context, language=language, attachments=attachments)


def _mail_school_document_ready(document: Document) -> None:
    case = document.case
    link = settings.SITE_URL + reverse("conventions:detail", kwargs={"document_id": document.public_id})
    for person in school_recipients(case):
        context = {"kind": document.get_kind_display(), "case_number": case.number, "link": link}
        _mail_after_commit(name="document-ready", to=person.email, context=context, language=person.language)


def _mail_director_request(document: Document) -> None:
    case = document.case
    link = settings.SITE_URL + reverse("conventions:sign", kwargs={"document_id": document.public_id})
    for person in school_recipients(case):
        context = {
            "case_number": case.number,
            "pupil_first_name": case.pupil_first_name,
            "school_name": case.school.name,
            "link": link,
        }
        _mail_after_commit(
            name="signature-request", to=person.email, context=context, language=person.language
        )


def _mail_countersign_request(document: Document) -> None:
    case = document.case
    link = settings.SITE_URL + reverse("conventions:countersign", kwargs={"document_id": document.public_id})
    for person in staff_recipients(case):
        context = {"case_number": case.number, "school_name": case.school.name, "link": link}
        _mail_after_commit(
            name="signature-countersign", to=person.email, context=context, language=person.language
        )


def signed_copy_context(document: Document, stored) -> dict:
    case = document.case
    return {
        "kind": document.get_kind_display(),
        "case_number": case.number,
        "school_name": case.school.name,
        "pupil_first_name": case.pupil_first_name,
        "sha256": stored.sha256,
        "verify_link": settings.SITE_URL + reverse("verify"),
        "end_link": "",
    }


def signed_copy_attachment(document: Document, stored) -> list[tuple[str, bytes, str]]:
    with stored.file.open("rb") as handle:
        pdf = handle.read()
    filename = f"{document.kind}-{document.content.get('case_number') or document.public_id}-signed.pdf"
    return [(filename, pdf, "application/pdf")]
