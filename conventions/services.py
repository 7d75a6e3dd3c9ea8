"""Writes to documents, wording versions, signatures and personal links.

Each function runs in one transaction, locks what it changes (always in the order case →
document → signature → link, so that two signers never deadlock), checks state changes
against the tables in ``conventions.models``, and defers e-mails and rendering until the
transaction has committed. PDFs are rendered only by ``document_render``, which the Celery
task ``conventions.render_document`` calls.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
import datetime
from functools import partial
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase, Guardian
from cases.notifications import school_recipients, staff_recipients
from classcontact.emails import send_templated_mail
from classcontact.errors import DomainError
from classcontact.storage import get_private_storage
from classcontact.tasks_util import enqueue_on_commit
from classcontact.tokens import hash_token, token_new
from classcontact.workflow import InvalidTransition, check_transition
from schools.models import StaffRole, User
from schools.selectors import user_has_staff_role, user_is_staff_member

from . import content as document_content
from .defaults import DEFAULT_WORDING
from .models import (
    DOCUMENT_TRANSITIONS,
    SIGNED_KINDS,
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    FileVariant,
    LinkPurpose,
    SchoolConsent,
    Signature,
    SignatureStatus,
    SignerRole,
    SigningLink,
    TemplateVersion,
    split_clauses,
)
from .pdf import render_pdf
from .selectors import current_version, lent_items

ERROR_COORDINATOR_ONLY = _("Only a ClassContact coordinator can do this.")
ERROR_NO_KIT = _("No kit is reserved for this case yet: the convention must list its serial numbers.")
ERROR_GUARDIAN_MISSING = _("Parent or guardian %(n)s has no name or e-mail address: complete the case first.")
ERROR_NO_WORDING = _("There is no wording yet for “%(kind)s” in %(language)s: publish one first.")
ERROR_NO_CLAUSES = _("Write at least one clause.")
ERROR_NOT_WAITING = _("This document is not waiting for this signature.")
ERROR_ALREADY_SIGNED = _("This document has already been signed.")
ERROR_COMMITMENTS = _("Tick every commitment to sign.")
ERROR_NAME_REQUIRED = _("Type your full name to sign.")
ERROR_DOCUMENT_CHANGED = _("The document changed while you were reading it: read it again before signing.")
ERROR_DIRECTOR_FIRST = _("The school's director signs first; the countersignature comes after.")
ERROR_CONSENT_REQUIRED = _("Say whether the school agrees to be named in ClassContact's communication.")
ERROR_NOT_OUT_FOR_SIGNATURE = _("The documents of this case are not out for signature any more.")
ERROR_NOT_READY = _("The document is still being prepared: try again in a moment.")
ERROR_NOT_THE_DIRECTOR = _("Only a director (or delegate) of the pupil's school signs the convention.")
ERROR_END_NOT_POSSIBLE = _(
    "This cannot be done at this stage of the connection: please contact ClassContact directly."
)
ERROR_LAST_DAY_RANGE = _("Give a date between a month ago and a year from now.")
ERROR_NO_EMAIL = _("This parent or guardian has no e-mail address.")
ERROR_LETTER_NOT_POSSIBLE = _("Documents can only be prepared for a submitted, open case.")


class DocumentError(DomainError):
    """A request the rules refuse; ``message`` is shown to the person as it is."""


class LinkInvalid(Exception):
    """An unknown, expired, used, replaced or misdirected personal link.

    Deliberately carries no reason: every such link gets the same page.
    """


_mails_on: ContextVar[bool] = ContextVar("conventions_mails_on", default=True)


@contextmanager
def mails_off() -> Iterator[None]:
    """Do everything but e-mail anyone (demo data)."""
    token = _mails_on.set(False)
    try:
        yield
    finally:
        _mails_on.reset(token)


def _mail_after_commit(*, name: str, to: str, context: dict, language: str, attachments=()) -> None:
    """Send one templated e-mail once the transaction has committed."""
    if not _mails_on.get() or not to:
        return
    transaction.on_commit(
        partial(
            send_templated_mail,
            name=name,
            to=[to],
            context=context,
            language=language,
            attachments=attachments,
        )
    )


def _require_coordinator(user: User | None) -> None:
    if user is None or not user_has_staff_role(user, StaffRole.COORDINATOR):
        raise DocumentError(ERROR_COORDINATOR_ONLY)


def _set_status(document: Document, target: str, *, by: User | None, extra: tuple[str, ...] = ()) -> None:
    check_transition(DOCUMENT_TRANSITIONS, document.status, target)
    document.status = target
    document.status_changed_at = timezone.now()
    document._history_user = by
    document.save(update_fields=["status", "status_changed_at", *extra])


def _link_url(link_ref, token: str) -> str:
    return settings.SITE_URL + reverse("sign:page", kwargs={"ref": link_ref, "token": token})


# Wording ------------------------------------------------------------------------------


@transaction.atomic
def template_version_publish(
    *,
    kind: str,
    language: str,
    title: str,
    introduction: str,
    clauses: str,
    consent_text: str = "",
    closing: str = "",
    change_note: str = "",
    by: User,
) -> TemplateVersion:
    """Publish new wording for a kind of document in one language, as the next version.

    Documents already created keep the version they were made from; new documents use this
    one. The newest version row is locked so two people publishing at once get two numbers.
    """
    _require_coordinator(by)
    if not split_clauses(clauses):
        raise DocumentError(ERROR_NO_CLAUSES)
    latest = (
        TemplateVersion.objects.select_for_update()
        .filter(kind=kind, language=language)
        .order_by("-number")
        .first()
    )
    version = TemplateVersion(
        kind=kind,
        language=language,
        number=(latest.number + 1) if latest else 1,
        title=title.strip(),
        introduction=introduction.strip(),
        clauses=clauses.strip().replace("\r\n", "\n"),
        consent_text=consent_text.strip() if kind == DocumentKind.CONVENTION else "",
        closing=closing.strip(),
        change_note=change_note.strip(),
        created_by=by,
    )
    version._history_user = by
    version.save()
    return version


def ensure_default_templates() -> int:
    """Create version 1 of every kind and language that has no wording yet; returns how many."""
    created = 0
    for (kind, language), wording in DEFAULT_WORDING.items():
        if not TemplateVersion.objects.filter(kind=kind, language=language).exists():
            TemplateVersion.objects.create(kind=kind, language=language, number=1, **wording)
            created += 1
    return created


def _version_for(kind: str, language: str) -> TemplateVersion:
    version = current_version(kind, language)
    if version is None:
        raise DocumentError(
            ERROR_NO_WORDING % {"kind": DocumentKind(kind).label, "language": language.upper()}
        )
    return version


# Documents ----------------------------------------------------------------------------


def _lock_case(case: ConnectionCase) -> ConnectionCase:
    return ConnectionCase.objects.select_for_update().select_related("school").get(pk=case.pk)


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
    enqueue_on_commit(_render_task(), document_id=document.pk, variant=FileVariant.ORIGINAL)
    return document


def _render_task():
    from .tasks import render_document

    return render_document


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


# Personal links -----------------------------------------------------------------------


def _revoke_links(guardian: Guardian, purpose: str, *, by: User | None, now) -> None:
    live = SigningLink.objects.select_for_update().filter(
        guardian=guardian, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True
    )
    for link in live:
        link.revoked_at = now
        link._history_user = by
        link.save(update_fields=["revoked_at"])


def _new_link(*, guardian: Guardian, purpose: str, by: User | None, signature: Signature | None, days: int):
    """A new personal link (the older ones of the same purpose die) and its token, shown once."""
    now = timezone.now()
    _revoke_links(guardian, purpose, by=by, now=now)
    token, token_hash = token_new()
    link = SigningLink(
        purpose=purpose,
        guardian=guardian,
        signature=signature,
        token_hash=token_hash,
        sent_to=guardian.email,
        created_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    link._history_user = by
    link.save()
    return link, token


def _issue_sign_link(signature: Signature, *, by: User | None) -> SigningLink:
    guardian = signature.guardian
    if not guardian.email:
        raise DocumentError(ERROR_NO_EMAIL)
    document = signature.document
    link, token = _new_link(
        guardian=guardian,
        purpose=LinkPurpose.SIGN,
        by=by,
        signature=signature,
        days=settings.SIGNING_LINK_VALID_DAYS,
    )
    signature.sent_at = link.created_at
    signature._history_user = by
    signature.save(update_fields=["sent_at"])
    context = {
        "guardian_name": str(guardian),
        "pupil_first_name": document.content.get("pupil", {}).get("first_name", ""),
        "school_name": document.content.get("school", {}).get("name", ""),
        "link": _link_url(document.public_id, token),
        "expires_at": link.expires_at,
    }
    # The token exists only here and in the e-mail; it never goes through the task queue.
    _mail_after_commit(name="signature-link", to=guardian.email, context=context, language=guardian.language)
    return link


def _issue_end_link(guardian: Guardian, *, by: User | None) -> tuple[SigningLink, str]:
    if not guardian.email:
        raise DocumentError(ERROR_NO_EMAIL)
    return _new_link(
        guardian=guardian, purpose=LinkPurpose.END, by=by, signature=None, days=settings.END_LINK_VALID_DAYS
    )


@transaction.atomic
def signing_link_resend(*, signature: Signature, by: User) -> SigningLink:
    """Send a parent a new signing link; the previous one dies at once.

    Effects: the older links of the parent revoked, a new link (only its hash stored), the
    signature's sending time, the e-mail after commit.
    """
    _require_coordinator(by)
    Document.objects.select_for_update().get(pk=signature.document_id)
    signature = (
        Signature.objects.select_for_update(of=("self",))
        .select_related("document", "guardian")
        .get(pk=signature.pk)
    )
    if (
        signature.role != SignerRole.GUARDIAN
        or signature.status != SignatureStatus.PENDING
        or signature.document.status != DocumentStatus.AWAITING_SIGNATURES
        or signature.guardian is None
    ):
        raise DocumentError(ERROR_NOT_WAITING)
    return _issue_sign_link(signature, by=by)


@transaction.atomic
def end_link_send(*, guardian: Guardian, by: User) -> SigningLink:
    """Send a parent their personal link to say the kit is no longer needed (older ones die)."""
    _require_coordinator(by)
    guardian = Guardian.objects.select_for_update().select_related("case").get(pk=guardian.pk)
    link, token = _issue_end_link(guardian, by=by)
    context = {
        "guardian_name": str(guardian),
        "pupil_first_name": guardian.case.pupil_first_name,
        "link": _link_url(guardian.case.public_id, token),
        "expires_at": link.expires_at,
    }
    _mail_after_commit(
        name="signature-end-link", to=guardian.email, context=context, language=guardian.language
    )
    return link


def _link_reference(link: SigningLink):
    """What a link's address must name: the document to sign, or the case to end."""
    if link.purpose == LinkPurpose.SIGN:
        return link.signature.document.public_id
    return link.guardian.case.public_id


def link_for_token(*, ref, token: str) -> SigningLink:
    """The live link behind ``token`` for the address ``ref``, or ``LinkInvalid`` (no reason)."""
    if not token or len(token) > 200:
        raise LinkInvalid
    link = (
        SigningLink.objects.select_related(
            "guardian", "guardian__case", "guardian__case__school", "signature", "signature__document"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None or not link.is_live() or str(_link_reference(link)) != str(ref):
        raise LinkInvalid
    if link.purpose == LinkPurpose.SIGN:
        signature = link.signature
        if (
            signature.status != SignatureStatus.PENDING
            or signature.document.status != DocumentStatus.AWAITING_SIGNATURES
            or link.guardian.case.status != CaseStatus.DOCUMENTS_SENT
        ):
            raise LinkInvalid
    elif not link.guardian.case.is_open:
        raise LinkInvalid
    return link


@transaction.atomic
def link_open(*, ref, token: str) -> SigningLink:
    """A parent opened their link: record the first opening (link and signature evidence)."""
    link = link_for_token(ref=ref, token=token)
    if link.first_opened_at is not None and (link.signature is None or link.signature.first_opened_at):
        return link
    now = timezone.now()
    if link.signature_id is not None:
        signature = Signature.objects.select_for_update().get(pk=link.signature_id)
        if signature.first_opened_at is None:
            signature.first_opened_at = now
            signature.save(update_fields=["first_opened_at"])
        link.signature.first_opened_at = signature.first_opened_at
    locked = SigningLink.objects.select_for_update().get(pk=link.pk)
    if locked.first_opened_at is None:
        locked.first_opened_at = now
        locked.save(update_fields=["first_opened_at"])
    link.first_opened_at = locked.first_opened_at
    return link


# Signing ------------------------------------------------------------------------------


def _original_of(document: Document) -> DocumentFile:
    original = DocumentFile.objects.filter(document=document, variant=FileVariant.ORIGINAL).first()
    if original is None:
        raise DocumentError(ERROR_NOT_READY)
    return original


def _store_signature_image(signature: Signature, image: bytes | None) -> None:
    if not image:
        return
    signature.image.save("signature.png", ContentFile(image), save=False)
    signature.image_sha256 = hashlib.sha256(image).hexdigest()


EVIDENCE_FIELDS = [
    "status",
    "signed_at",
    "first_opened_at",
    "signed_by",
    "typed_name",
    "signer_name",
    "document_sha256",
    "html_sha256",
    "ip_address",
    "user_agent",
    "commitments",
    "consent",
    "image",
    "image_sha256",
]


def _record_signature(
    signature: Signature,
    *,
    original: DocumentFile,
    shown_sha256: str,
    typed_name: str,
    image: bytes | None,
    ip: str | None,
    user_agent: str,
    by: User | None,
    commitments: list[int],
    consent: bool | None = None,
) -> None:
    if shown_sha256 != original.sha256:
        raise DocumentError(ERROR_DOCUMENT_CHANGED)
    typed_name = " ".join(typed_name.split())
    if not typed_name:
        raise DocumentError(ERROR_NAME_REQUIRED)
    now = timezone.now()
    document = signature.document
    signature.status = SignatureStatus.SIGNED
    signature.signed_at = now
    signature.first_opened_at = signature.first_opened_at or now
    signature.signed_by = by
    signature.typed_name = typed_name[:200]
    signature.document_sha256 = original.sha256
    signature.html_sha256 = document_content.sha256_hex(document_content.render_body(document))
    signature.ip_address = ip or None
    signature.user_agent = (user_agent or "")[:1000]
    signature.commitments = commitments
    signature.consent = consent
    if not signature.signer_name:
        signature.signer_name = typed_name[:200]
    _store_signature_image(signature, image)
    signature._history_user = by
    signature.save(update_fields=EVIDENCE_FIELDS)


def _after_signature(case: ConnectionCase, document: Document, *, by: User | None) -> None:
    """Close the document once its last signature is in, and the case once all documents are."""
    pending = document.signatures.filter(status=SignatureStatus.PENDING)
    if pending.exists():
        countersign = pending.filter(role=SignerRole.COORDINATOR).first()
        if countersign is not None and countersign.sent_at is None:
            countersign.sent_at = timezone.now()
            countersign.save(update_fields=["sent_at"])
            _mail_countersign_request(document)
        return
    document.signed_at = timezone.now()
    _set_status(document, DocumentStatus.SIGNED, by=by, extra=("signed_at",))
    enqueue_on_commit(_render_task(), document_id=document.pk, variant=FileVariant.SIGNED)
    unsigned = (
        Document.objects.filter(case=case, kind__in=SIGNED_KINDS)
        .exclude(status__in=[DocumentStatus.CANCELLED, DocumentStatus.SIGNED])
        .exists()
    )
    if not unsigned and case.status == CaseStatus.DOCUMENTS_SENT:
        case_services.case_mark_documents_signed(case=case, by=by)


def _check_case_out_for_signature(case: ConnectionCase) -> None:
    if case.status != CaseStatus.DOCUMENTS_SENT:
        raise DocumentError(ERROR_NOT_OUT_FOR_SIGNATURE)


@transaction.atomic
def signature_sign_by_link(
    *,
    ref,
    token: str,
    typed_name: str,
    commitments: list[int],
    shown_sha256: str,
    image: bytes | None,
    ip: str | None,
    user_agent: str,
) -> Signature:
    """A parent signs their engagement through their personal link.

    Effects: the evidence (hash of the document shown, times, IP address, browser, typed
    name, drawn signature) on the signature; the link dies; when it was the document's last
    signature the document is signed and its signed copy rendered after commit; when every
    document of the case is signed, the case moves to documents_signed (case service).
    Raises ``LinkInvalid`` for any link that cannot be used, ``DocumentError`` otherwise.
    """
    found = link_for_token(ref=ref, token=token)
    if found.purpose != LinkPurpose.SIGN:
        raise LinkInvalid
    case = _lock_case(found.guardian.case)
    document = Document.objects.select_for_update().get(pk=found.signature.document_id)
    signature = Signature.objects.select_for_update().select_related("document").get(pk=found.signature_id)
    link = SigningLink.objects.select_for_update().get(pk=found.pk)
    if not link.is_live() or signature.status != SignatureStatus.PENDING:
        raise LinkInvalid  # somebody was faster with the same link
    if document.status != DocumentStatus.AWAITING_SIGNATURES:
        raise LinkInvalid
    _check_case_out_for_signature(case)
    clauses = document.clauses
    if sorted(set(commitments)) != list(range(len(clauses))):
        raise DocumentError(ERROR_COMMITMENTS)
    original = _original_of(document)
    signature.document = document
    _record_signature(
        signature,
        original=original,
        shown_sha256=shown_sha256,
        typed_name=typed_name,
        image=image,
        ip=ip,
        user_agent=user_agent,
        by=None,
        commitments=sorted(set(commitments)),
    )
    if link.first_opened_at is None:
        link.first_opened_at = signature.first_opened_at
    link.used_at = signature.signed_at
    link.save(update_fields=["used_at", "first_opened_at"])
    _after_signature(case, document, by=None)
    return signature


def user_may_sign(user: User, signature: Signature, case: ConnectionCase) -> bool:
    """Whether ``user`` is the kind of person who gives ``signature`` (not whether it is due)."""
    from schools.selectors import managed_school_ids

    if signature.role == SignerRole.DIRECTOR:
        return not user_is_staff_member(user) and case.school_id in managed_school_ids(user)
    if signature.role == SignerRole.COORDINATOR:
        return user_has_staff_role(user, StaffRole.COORDINATOR)
    return False


@transaction.atomic
def signature_record_opening(*, signature: Signature) -> None:
    """A director or coordinator opened the signing page: the first opening is evidence."""
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if signature.first_opened_at is None and signature.status == SignatureStatus.PENDING:
        signature.first_opened_at = timezone.now()
        signature.save(update_fields=["first_opened_at"])


@transaction.atomic
def signature_sign_in_portal(
    *,
    document: Document,
    role: str,
    by: User,
    typed_name: str,
    accepted: bool,
    shown_sha256: str,
    image: bytes | None,
    ip: str | None,
    user_agent: str,
    consent: bool | None = None,
) -> Signature:
    """The director signs the convention, or a coordinator countersigns it, in the portal.

    Effects: the evidence on the signature; for the director, the school's consent or
    refusal to be named in ClassContact's communication recorded with its date, and the
    coordinators asked to countersign (e-mail after commit); for the last signature, the
    document signed, its signed copy rendered after commit and, when every document of the
    case is signed, the case moved to documents_signed (case service).
    """
    case = _lock_case(document.case)
    document = Document.objects.select_for_update().get(pk=document.pk)
    signature = (
        Signature.objects.select_for_update()
        .filter(document=document, role=role)
        .order_by("position")
        .first()
    )
    if signature is None or not user_may_sign(by, signature, case):
        raise DocumentError(ERROR_NOT_THE_DIRECTOR if role == SignerRole.DIRECTOR else ERROR_COORDINATOR_ONLY)
    if signature.status == SignatureStatus.SIGNED:
        raise DocumentError(ERROR_ALREADY_SIGNED)
    if signature.status != SignatureStatus.PENDING or document.status != DocumentStatus.AWAITING_SIGNATURES:
        raise DocumentError(ERROR_NOT_WAITING)
    _check_case_out_for_signature(case)
    if (
        role == SignerRole.COORDINATOR
        and document.signatures.filter(role=SignerRole.DIRECTOR, status=SignatureStatus.PENDING).exists()
    ):
        raise DocumentError(ERROR_DIRECTOR_FIRST)
    if not accepted:
        raise DocumentError(ERROR_COMMITMENTS)
    if role == SignerRole.DIRECTOR and document.kind == DocumentKind.CONVENTION and consent is None:
        raise DocumentError(ERROR_CONSENT_REQUIRED)
    original = _original_of(document)
    signature.document = document
    _record_signature(
        signature,
        original=original,
        shown_sha256=shown_sha256,
        typed_name=typed_name,
        image=image,
        ip=ip,
        user_agent=user_agent,
        by=by,
        commitments=list(range(len(document.clauses))),
        consent=consent if role == SignerRole.DIRECTOR else None,
    )
    if role == SignerRole.DIRECTOR and consent is not None:
        record = SchoolConsent(
            school=case.school,
            consents=consent,
            decided_on=timezone.localdate(signature.signed_at),
            recorded_at=signature.signed_at,
            recorded_by=by,
            document=document,
        )
        record._history_user = by
        record.save()
    _after_signature(case, document, by=by)
    return signature


def _signed_copy_ready(document: Document, stored: DocumentFile) -> None:
    """E-mail the signed copy to each signer; a parent also gets their "no longer needed" link."""
    with stored.file.open("rb") as handle:
        pdf = handle.read()
    filename = f"{document.kind}-{document.content.get('case_number') or document.public_id}-signed.pdf"
    attachment = [(filename, pdf, "application/pdf")]
    case = document.case
    for signature in document.signatures.select_related("signed_by", "guardian").filter(
        status=SignatureStatus.SIGNED
    ):
        context = {
            "kind": document.get_kind_display(),
            "case_number": case.number,
            "school_name": case.school.name,
            "pupil_first_name": case.pupil_first_name,
            "sha256": stored.sha256,
            "verify_link": settings.SITE_URL + reverse("verify"),
            "end_link": "",
        }
        if signature.role == SignerRole.GUARDIAN:
            guardian = signature.guardian
            if guardian is None or not guardian.email:
                continue
            to, language = guardian.email, guardian.language
            if case.is_open:
                link, token = _issue_end_link(guardian, by=None)
                context["end_link"] = _link_url(case.public_id, token)
                context["end_expires_at"] = link.expires_at
        else:
            person = signature.signed_by
            if person is None or not person.email:
                continue
            to, language = person.email, person.language
        _mail_after_commit(
            name="document-signed", to=to, context=context, language=language, attachments=attachment
        )


# The end of the need ------------------------------------------------------------------


@transaction.atomic
def end_request_by_link(*, ref, token: str, last_day: datetime.date, note: str = "") -> ConnectionCase:
    """A parent says through their personal link that the kit is no longer needed.

    Effects: the case moves active → end_requested with the last day of use (case service,
    which records it and tells the school and the team); the link dies. At any other stage
    the link stays usable and the parent is asked to contact ClassContact.
    """
    found = link_for_token(ref=ref, token=token)
    if found.purpose != LinkPurpose.END:
        raise LinkInvalid
    case = _lock_case(found.guardian.case)
    link = SigningLink.objects.select_for_update().get(pk=found.pk)
    if not link.is_live():
        raise LinkInvalid
    today = timezone.localdate()
    if not (today - datetime.timedelta(days=31) <= last_day <= today + datetime.timedelta(days=366)):
        raise DocumentError(ERROR_LAST_DAY_RANGE)
    try:
        check_transition(case.TRANSITIONS, case.status, CaseStatus.END_REQUESTED)
    except InvalidTransition as error:
        raise DocumentError(ERROR_END_NOT_POSSIBLE) from error
    guardian = found.guardian
    message = gettext("Said by %(name)s through their personal link.") % {"name": str(guardian)}
    if note.strip():
        message = f"{message}\n{note.strip()}"
    case = case_services.case_request_end(case=case, by=None, last_day=last_day, note=message)
    now = timezone.now()
    link.used_at = now
    link.first_opened_at = link.first_opened_at or now
    link.save(update_fields=["used_at", "first_opened_at"])
    return case
