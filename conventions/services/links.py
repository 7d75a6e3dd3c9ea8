"""Parents' personal links: to sign their engagement, or to say the kit is no longer needed."""

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase, Guardian
from classcontact.emails import redact, send_templated_mail, send_templated_mail_now
from classcontact.tasks_util import enqueue_on_commit
from classcontact.tokens import hash_token, token_new
from classcontact.workflow import InvalidTransition, check_transition
from schools.models import User

from ..models import (
    Document,
    DocumentFile,
    DocumentStatus,
    FileVariant,
    LinkPurpose,
    Signature,
    SignatureStatus,
    SignerRole,
    SigningLink,
)
from .common import (
    ERROR_END_NOT_POSSIBLE,
    ERROR_LAST_DAY_RANGE,
    ERROR_NO_EMAIL,
    ERROR_NOT_WAITING,
    DocumentError,
    LinkInvalid,
    _link_url,
    _lock_case,
    _require_coordinator,
    case_out_for_signature,
)
from .mail import mails_enabled as _mails_on
from .mail import signed_copy_attachment, signed_copy_context


def _revoke_links(guardian: Guardian, purpose: str, *, by: User | None, now, keep=None) -> None:
    live = SigningLink.objects.select_for_update().filter(
        guardian=guardian, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True
    )
    if keep is not None:
        live = live.exclude(pk=keep.pk)
    for link in live:
        link.revoked_at = now
        link._history_user = by
        link.save(update_fields=["revoked_at"])


def _new_link(*, guardian: Guardian, purpose: str, by: User | None, signature: Signature | None, days: int):
    """A new personal link and its token, shown once (the older ones die when it is sent)."""
    now = timezone.now()
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


def _send_with_link(
    link: SigningLink, token: str, *, name: str, context: dict, by: User | None, attachments=()
) -> None:
    """E-mail a new link at once; only once the server accepted it do the older links die.

    A refusal raises ``MailNotAccepted``: the caller's transaction rolls back, so the link
    was never created, the older one still works, and the outbox tries again later.
    """
    guardian = link.guardian
    if _mails_on():
        email = send_templated_mail_now(
            name=name,
            to=[guardian.email],
            context=context,
            language=guardian.language,
            attachments=attachments,
        )
        redact(email, token)  # the token exists only in the e-mail that left
    _revoke_links(guardian, link.purpose, by=by, now=link.created_at, keep=link)


#: Outbox tasks that create a parent's link when its e-mail is really sent.
SIGN_LINK_TASK = "conventions.send_sign_link"
END_LINK_TASK = "conventions.send_end_link"
SIGNED_COPY_TASK = "conventions.send_signed_copy"


def _issue_sign_link(signature: Signature, *, by: User | None, occasion: str = "first") -> None:
    """Record that the parent of ``signature`` must be sent a signing link (after commit)."""
    if not signature.guardian.email:
        raise DocumentError(ERROR_NO_EMAIL)
    if not _mails_on():  # demo data: the link exists, nobody is mailed
        link, _token = _new_link(
            guardian=signature.guardian,
            purpose=LinkPurpose.SIGN,
            by=by,
            signature=signature,
            days=settings.SIGNING_LINK_VALID_DAYS,
        )
        signature.sent_at = link.created_at
        signature.save(update_fields=["sent_at"])
        return
    enqueue_on_commit(
        SIGN_LINK_TASK,
        outbox_key=f"sign-link:{signature.pk}:{occasion}",
        signature_id=signature.pk,
        by_id=by.pk if by else None,
    )


@transaction.atomic
def sign_link_deliver(*, signature_id: int, by_id: int | None = None) -> SigningLink | None:
    """Create a parent's signing link and e-mail it; nothing if the signature is no longer due.

    Effects: a new link (only its hash stored), the e-mail accepted by the mail server, the
    parent's older signing links revoked, the signature's sending time. On a refusal of the
    server nothing of this is kept (``MailNotAccepted``).
    """
    signature = Signature.objects.filter(pk=signature_id).select_related("document").first()
    if signature is None:
        return None
    Document.objects.select_for_update().get(pk=signature.document_id)
    signature = (
        Signature.objects.select_for_update(of=("self",))
        .select_related("document", "document__case", "guardian")
        .get(pk=signature_id)
    )
    document = signature.document
    if (
        signature.status != SignatureStatus.PENDING
        or document.status != DocumentStatus.AWAITING_SIGNATURES
        or not case_out_for_signature(document.case)
        or signature.guardian is None
        or not signature.guardian.email
    ):
        return None
    by = User.objects.filter(pk=by_id).first() if by_id else None
    guardian = signature.guardian
    link, token = _new_link(
        guardian=guardian,
        purpose=LinkPurpose.SIGN,
        by=by,
        signature=signature,
        days=settings.SIGNING_LINK_VALID_DAYS,
    )
    context = {
        "guardian_name": str(guardian),
        "pupil_first_name": document.content.get("pupil", {}).get("first_name", ""),
        "school_name": document.content.get("school", {}).get("name", ""),
        "link": _link_url(document.public_id, token),
        "expires_at": link.expires_at,
    }
    _send_with_link(link, token, name="signature-link", context=context, by=by)
    signature.sent_at = link.created_at
    signature._history_user = by
    signature.save(update_fields=["sent_at"])
    return link


def _issue_end_link(guardian: Guardian, *, by: User | None) -> tuple[SigningLink, str]:
    if not guardian.email:
        raise DocumentError(ERROR_NO_EMAIL)
    return _new_link(
        guardian=guardian, purpose=LinkPurpose.END, by=by, signature=None, days=settings.END_LINK_VALID_DAYS
    )


@transaction.atomic
def signing_link_resend(*, signature: Signature, by: User) -> Signature:
    """Send a parent a new signing link; the previous one dies once the new one has been sent.

    Effects: recorded work that creates the new link (only its hash stored) when its e-mail
    is accepted by the mail server, then revokes the older links and notes the sending time.
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
    _issue_sign_link(signature, by=by, occasion=f"resend-{uuid.uuid4().hex}")
    return signature


@transaction.atomic
def end_link_send(*, guardian: Guardian, by: User) -> Guardian:
    """Send a parent their personal link to say the kit is no longer needed.

    Effects: recorded work that creates the link when its e-mail is accepted by the mail
    server (older end links die then).
    """
    _require_coordinator(by)
    guardian = Guardian.objects.select_for_update().select_related("case").get(pk=guardian.pk)
    if not guardian.email:
        raise DocumentError(ERROR_NO_EMAIL)
    enqueue_on_commit(
        END_LINK_TASK,
        outbox_key=f"end-link:{guardian.pk}:{uuid.uuid4().hex}",
        guardian_id=guardian.pk,
        by_id=by.pk,
    )
    return guardian


@transaction.atomic
def end_link_deliver(*, guardian_id: int, by_id: int | None = None) -> SigningLink | None:
    """Create a parent's "no longer needed" link and e-mail it (nothing kept if refused)."""
    guardian = Guardian.objects.select_for_update().select_related("case").filter(pk=guardian_id).first()
    if guardian is None or not guardian.email or not guardian.case.is_open:
        return None
    by = User.objects.filter(pk=by_id).first() if by_id else None
    link, token = _issue_end_link(guardian, by=by)
    context = {
        "guardian_name": str(guardian),
        "pupil_first_name": guardian.case.pupil_first_name,
        "link": _link_url(guardian.case.public_id, token),
        "expires_at": link.expires_at,
    }
    _send_with_link(link, token, name="signature-end-link", context=context, by=by)
    return link


@transaction.atomic
def signed_copy_deliver(*, signature_id: int) -> None:
    """E-mail a parent the signed copy, with a new "no longer needed" link while the case is open."""
    signature = (
        Signature.objects.select_related("document", "document__case", "document__case__school", "guardian")
        .filter(pk=signature_id, status=SignatureStatus.SIGNED)
        .first()
    )
    if signature is None or signature.guardian is None or not signature.guardian.email:
        return
    document, guardian = signature.document, signature.guardian
    stored = DocumentFile.objects.filter(document=document, variant=FileVariant.SIGNED).first()
    if stored is None:
        return
    context = signed_copy_context(document, stored)
    attachments = signed_copy_attachment(document, stored)
    if not document.case.is_open:
        send_templated_mail(
            name="document-signed",
            to=[guardian.email],
            context=context,
            language=guardian.language,
            attachments=attachments,
        )
        return
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    link, token = _issue_end_link(guardian, by=None)
    context["end_link"] = _link_url(document.case.public_id, token)
    context["end_expires_at"] = link.expires_at
    _send_with_link(link, token, name="document-signed", context=context, by=None, attachments=attachments)


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
            or not case_out_for_signature(link.guardian.case)
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
