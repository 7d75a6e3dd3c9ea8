"""Signatures: the evidence each one records, and what the last one of a document sets off."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import ConnectionCase
from classcontact.tasks_util import enqueue_on_commit
from schools.models import StaffRole, User
from schools.selectors import user_has_staff_role, user_is_staff_member

from .. import content as document_content
from ..models import (
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
)
from .common import (
    ERROR_ALREADY_SIGNED,
    ERROR_COMMITMENTS,
    ERROR_CONSENT_REQUIRED,
    ERROR_COORDINATOR_ONLY,
    ERROR_DIRECTOR_FIRST,
    ERROR_DOCUMENT_CHANGED,
    ERROR_NAME_REQUIRED,
    ERROR_NOT_OUT_FOR_SIGNATURE,
    ERROR_NOT_READY,
    ERROR_NOT_THE_DIRECTOR,
    ERROR_NOT_WAITING,
    DocumentError,
    LinkInvalid,
    _lock_case,
    _set_status,
    case_out_for_signature,
)
from .documents import RENDER_TASK
from .links import link_for_token
from .mail import _mail_countersign_request


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
    enqueue_on_commit(
        RENDER_TASK,
        outbox_key=f"render:{document.pk}:{FileVariant.SIGNED}",
        document_id=document.pk,
        variant=FileVariant.SIGNED,
    )
    unsigned = (
        Document.objects.filter(case=case, kind__in=SIGNED_KINDS)
        .exclude(status__in=[DocumentStatus.CANCELLED, DocumentStatus.SIGNED])
        .exists()
    )
    if not unsigned and case_out_for_signature(case):
        case_services.case_mark_documents_signed(case=case, by=by)


def _check_case_out_for_signature(case: ConnectionCase) -> None:
    if not case_out_for_signature(case):
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


def _check_portal_signature(
    *,
    case: ConnectionCase,
    document: Document,
    signature: Signature | None,
    role: str,
    by: User,
    accepted: bool,
    consent: bool | None,
) -> None:
    """Refuse a portal signature that is not this person's to give, not due, or incomplete."""
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


def _record_school_consent(
    *, case: ConnectionCase, document: Document, signature: Signature, consent: bool, by: User
) -> None:
    """The school's consent or refusal to be named, dated by the director's signature."""
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
    _check_portal_signature(
        case=case,
        document=document,
        signature=signature,
        role=role,
        by=by,
        accepted=accepted,
        consent=consent,
    )
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
        _record_school_consent(case=case, document=document, signature=signature, consent=consent, by=by)
    _after_signature(case, document, by=by)
    return signature
