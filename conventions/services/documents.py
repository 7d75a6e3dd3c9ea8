"""Documents of a case: creating them, sending them for signature, rendering their PDFs."""

import hashlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase, Guardian
from classcontact.storage import get_private_storage
from classcontact.tasks_util import enqueue_on_commit
from classcontact.workflow import check_transition
from schools.models import User

from .. import content as document_content
from ..models import (
    SIGNED_KINDS,
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    FileVariant,
    Signature,
    SignatureStatus,
    SignerRole,
)
from ..pdf import render_pdf
from ..selectors import lent_items
from .common import (
    ERROR_GUARDIAN_MISSING,
    ERROR_LETTER_NOT_POSSIBLE,
    ERROR_NO_KIT,
    DocumentError,
    _lock_case,
    _require_coordinator,
    _set_status,
)
from .links import SIGNED_COPY_TASK, _issue_sign_link
from .mail import (
    _mail_after_commit,
    _mail_director_request,
    _mail_school_document_ready,
    signed_copy_attachment,
    signed_copy_context,
)
from .mail import mails_enabled as _mails_on
from .wording import _version_for


def _new_document(
    *, case: ConnectionCase, kind: str, language: str, by: User | None, guardian: Guardian | None = None
) -> Document:
    version = _version_for(kind, language)
    document = Document(
        case=case,
        kind=kind,
        slot=guardian.position if guardian else 0,
        guardian=guardian,
        language=language,
        template_version=version,
        content=document_content.build_content(case=case, kind=kind, version=version, guardian=guardian),
        created_by=by,
    )
    document._history_user = by
    document.save()
    enqueue_on_commit(
        RENDER_TASK,
        outbox_key=f"render:{document.pk}:{FileVariant.ORIGINAL}",
        document_id=document.pk,
        variant=FileVariant.ORIGINAL,
    )
    return document


#: Enqueued by name: ``conventions.tasks`` calls these services back.
RENDER_TASK = "conventions.render_document"


def create_documents_for_signature(*, case: ConnectionCase, by: User | None) -> list[Document]:
    """The convention and the engagements of a (locked) case with their expected signatures.

    The part of ``documents_send`` that does not touch the case's state; the demo data uses
    it for cases whose state was set without documents.
    """
    if not lent_items(case):
        raise DocumentError(ERROR_NO_KIT)
    guardians = list(case.guardians.order_by("position")[: case.guardian_count])
    for position in range(1, case.guardian_count + 1):
        guardian = next((g for g in guardians if g.position == position), None)
        if guardian is None or not guardian.email or not (guardian.first_name or guardian.last_name):
            raise DocumentError(ERROR_GUARDIAN_MISSING % {"n": position})
    convention = _new_document(
        case=case, kind=DocumentKind.CONVENTION, language=settings.LANGUAGE_CODE, by=by
    )
    Signature.objects.create(document=convention, role=SignerRole.DIRECTOR, position=1)
    Signature.objects.create(document=convention, role=SignerRole.COORDINATOR, position=2)
    documents = [convention]
    for guardian in guardians:
        engagement = _new_document(
            case=case, kind=DocumentKind.ENGAGEMENT, language=guardian.language, by=by, guardian=guardian
        )
        Signature.objects.create(
            document=engagement,
            role=SignerRole.GUARDIAN,
            position=1,
            guardian=guardian,
            signer_name=str(guardian),
        )
        documents.append(engagement)
    return documents


@transaction.atomic
def documents_send(*, case: ConnectionCase, by: User) -> list[Document]:
    """Send the convention and the parents' engagements of a case for signature, in one action.

    Effects: a convention (in French, signed by a director of the school, then countersigned
    by a coordinator) and one engagement per parent or guardian the case counts (in their
    language, signed through a personal link), each with its expected signatures; the case
    moves kit_assigned → documents_sent (through the case service, with its timeline event);
    after commit, each document is rendered by a Celery task, which then sends the director's
    notice and the parents' personal links.
    """
    _require_coordinator(by)
    case = _lock_case(case)
    check_transition(case.TRANSITIONS, case.status, CaseStatus.DOCUMENTS_SENT)
    documents = create_documents_for_signature(case=case, by=by)
    case_services.case_mark_documents_sent(case=case, by=by)
    return documents


@transaction.atomic
def document_prepare(*, case: ConnectionCase, kind: str, by: User, language: str | None = None) -> Document:
    """Prepare a document that is not signed online: the classmates' letter or the guide receipt.

    Effects: a new document (a live one of the same kind made from an older wording is
    cancelled; one made from the current wording is returned as it is); for the letter, a
    pending request of the school is marked handled (case service); after commit the PDF
    is rendered and the school's directors are told it is ready.
    """
    _require_coordinator(by)
    if kind not in (DocumentKind.CLASSMATES_LETTER, DocumentKind.GUIDE_RECEIPT):
        raise ValueError(kind)
    case = _lock_case(case)
    if case.status in (CaseStatus.DRAFT, CaseStatus.WITHDRAWN, CaseStatus.INELIGIBLE, CaseStatus.CLOSED):
        raise DocumentError(ERROR_LETTER_NOT_POSSIBLE)
    language = language or settings.LANGUAGE_CODE
    version = _version_for(kind, language)
    live = (
        Document.objects.select_for_update()
        .filter(case=case, kind=kind)
        .exclude(status=DocumentStatus.CANCELLED)
    )
    for document in live:
        if document.template_version_id == version.pk and document.language == language:
            return document
        _set_status(document, DocumentStatus.CANCELLED, by=by)
    if kind == DocumentKind.GUIDE_RECEIPT and not lent_items(case):
        raise DocumentError(ERROR_NO_KIT)
    document = _new_document(case=case, kind=kind, language=language, by=by)
    if kind == DocumentKind.CLASSMATES_LETTER and case.classmates_letter_pending:
        case_services.case_mark_request_handled(case=case, by=by, request="classmates_letter")
    return document


@transaction.atomic
def document_render_retry(*, document: Document, by: User) -> Document:
    """Staff: render again a document stuck in preparation (its render runs once all the same)."""
    _require_coordinator(by)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status == DocumentStatus.PREPARING:
        enqueue_on_commit(
            RENDER_TASK,
            outbox_key=f"render:{document.pk}:{FileVariant.ORIGINAL}:retry:{uuid.uuid4().hex}",
            document_id=document.pk,
            variant=FileVariant.ORIGINAL,
        )
    return document


def _store_pdf(document: Document, variant: str, pdf: bytes) -> str:
    """Write the PDF under a fixed name (a file left by a crashed run is replaced)."""
    storage = get_private_storage()
    name = f"documents/{document.public_id}/{variant}.pdf"
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(pdf))


def _render_bytes(document: Document, variant: str) -> bytes:
    context, attachments = document_content.document_context(document, variant=variant)
    return render_pdf(
        document_content.PDF_TEMPLATE, context, language=document.language, attachments=attachments
    )


@transaction.atomic
def document_render(*, document_id: int, variant: str) -> DocumentFile | None:
    """Render one variant of a document to PDF and store it, exactly once.

    The document row stays locked while it renders, and a document has at most one file
    per variant (unique constraint): a second run, or a run after a crash, finds the file
    or renders it again, never a second one. Effects of the first file as issued: the
    document becomes ready (or waits for signatures), then after commit the director's
    notice and the parents' personal links go out (signed kinds) or the school is told the
    document is ready. Effects of the signed copy: e-mailed to every signer after commit,
    with a parent's link to say later that the kit is no longer needed.
    """
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("case", "case__school")
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.status == DocumentStatus.CANCELLED:
        return None
    existing = DocumentFile.objects.filter(document=document, variant=variant).first()
    if existing is not None:
        return existing
    if variant == FileVariant.SIGNED and document.status != DocumentStatus.SIGNED:
        return None
    pdf = _render_bytes(document, variant)
    name = _store_pdf(document, variant, pdf)
    stored, _created = DocumentFile.objects.get_or_create(
        document=document,
        variant=variant,
        defaults={"file": name, "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf)},
    )
    if variant == FileVariant.ORIGINAL:
        _document_issued(document)
    else:
        _signed_copy_ready(document, stored)
    return stored


def _document_issued(document: Document) -> None:
    """The file as issued exists: open the document for signatures or hand it to the school."""
    if document.kind not in SIGNED_KINDS:
        _set_status(document, DocumentStatus.READY, by=None)
        _mail_school_document_ready(document)
        return
    _set_status(document, DocumentStatus.AWAITING_SIGNATURES, by=None)
    if document.case.status != CaseStatus.DOCUMENTS_SENT:
        return  # withdrawn meanwhile (or demo data): nobody is asked to sign
    now = timezone.now()
    for signature in document.signatures.select_for_update().filter(status=SignatureStatus.PENDING):
        if signature.role == SignerRole.DIRECTOR:
            signature.sent_at = now
            signature.save(update_fields=["sent_at"])
            _mail_director_request(document)
        elif signature.role == SignerRole.GUARDIAN and signature.guardian_id:
            _issue_sign_link(signature, by=None)


def _signed_copy_ready(document: Document, stored: DocumentFile) -> None:
    """E-mail the signed copy to each signer; a parent also gets their "no longer needed" link.

    A parent's mail carries a new personal link: it is sent by its own outbox work, which
    creates the link only when the mail server accepts the mail.
    """
    attachment = signed_copy_attachment(document, stored)
    for signature in document.signatures.select_related("signed_by", "guardian").filter(
        status=SignatureStatus.SIGNED
    ):
        if signature.role == SignerRole.GUARDIAN:
            if signature.guardian is not None and signature.guardian.email and _mails_on():
                enqueue_on_commit(
                    SIGNED_COPY_TASK,
                    outbox_key=f"signed-copy:{signature.pk}:{stored.pk}",
                    signature_id=signature.pk,
                )
            continue
        person = signature.signed_by
        if person is None or not person.email:
            continue
        _mail_after_commit(
            name="document-signed",
            to=person.email,
            context=signed_copy_context(document, stored),
            language=person.language,
            attachments=attachment,
        )
