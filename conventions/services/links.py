"""Parents' personal links: to sign their engagement, or to say the kit is no longer needed."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase, Guardian
from classcontact.tokens import hash_token, token_new
from classcontact.workflow import InvalidTransition, check_transition
from schools.models import User

from ..models import (
    Document,
    DocumentStatus,
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
)
from .mail import _mail_after_commit


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
