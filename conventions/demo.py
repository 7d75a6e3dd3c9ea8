"""Demo documents: the wording of every kind, and documents for the demo cases that need them.

The case sent for signature gets its convention and engagement waiting for signatures (the
director signs in the portal; staff can send the parent a new link, printed on the console).
The case whose documents are signed gets them signed, with their evidence and signed copies.
Objects are only created when missing, so running it twice changes nothing; no e-mail leaves.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import CaseStatus, ConnectionCase
from schools.models import MembershipRole, User

from . import services
from .models import (
    DocumentStatus,
    FileVariant,
    SchoolConsent,
    Signature,
    SignatureStatus,
    SignerRole,
    SigningLink,
)
from .selectors import lent_items

COORDINATOR = "coordinator@demo.classcontact.be"
DEMO_ADDRESS = "192.0.2.1"  # documentation range (RFC 5737): never a real person's address
DEMO_BROWSER = "Demo data (no real signature)"


def _sign_for_demo(signature: Signature, *, by: User | None, name: str, at) -> None:
    original = signature.document.files.get(variant=FileVariant.ORIGINAL)
    signature.status = SignatureStatus.SIGNED
    signature.sent_at = signature.sent_at or at - datetime.timedelta(days=2)
    signature.first_opened_at = at - datetime.timedelta(hours=3)
    signature.signed_at = at
    signature.signed_by = by
    signature.typed_name = name
    signature.signer_name = signature.signer_name or name
    signature.document_sha256 = original.sha256
    signature.ip_address = DEMO_ADDRESS
    signature.user_agent = DEMO_BROWSER
    signature.commitments = list(range(len(signature.document.clauses)))
    signature.consent = True if signature.role == SignerRole.DIRECTOR else None
    signature.save()
    SigningLink.objects.filter(signature=signature, used_at__isnull=True).update(used_at=at)


def _documents_for(case: ConnectionCase, coordinator: User, *, signed: bool) -> int:
    documents = services.create_documents_for_signature(case=case, by=coordinator)
    for document in documents:
        services.document_render(document_id=document.pk, variant=FileVariant.ORIGINAL)
    if not signed:
        return len(documents)
    director = (
        User.objects.filter(memberships__school=case.school, memberships__role=MembershipRole.DIRECTOR)
        .order_by("pk")
        .first()
    )
    at = timezone.now() - datetime.timedelta(days=1)
    for document in documents:
        document.refresh_from_db()
        for signature in document.signatures.select_related("guardian"):
            if signature.role == SignerRole.DIRECTOR:
                _sign_for_demo(signature, by=director, name=str(director or "Direction"), at=at)
                SchoolConsent.objects.create(
                    school=case.school,
                    consents=True,
                    decided_on=timezone.localdate(at),
                    recorded_at=at,
                    recorded_by=director,
                    document=document,
                )
            elif signature.role == SignerRole.COORDINATOR:
                _sign_for_demo(signature, by=coordinator, name=str(coordinator), at=at)
            else:
                _sign_for_demo(signature, by=None, name=str(signature.guardian), at=at)
        document.status = DocumentStatus.SIGNED
        document.status_changed_at = at
        document.signed_at = at
        document.save(update_fields=["status", "status_changed_at", "signed_at"])
        services.document_render(document_id=document.pk, variant=FileVariant.SIGNED)
    return len(documents)


def seed(stdout) -> None:
    wording = services.ensure_default_templates()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    made = 0
    if coordinator is not None:
        cases = (
            ConnectionCase.objects.filter(
                status__in=[CaseStatus.DOCUMENTS_SENT, CaseStatus.DOCUMENTS_SIGNED], documents__isnull=True
            )
            .select_related("school", "school_class")
            .order_by("pk")
        )
        with services.mails_off():
            for case in cases:
                if not lent_items(case):
                    continue
                with transaction.atomic():
                    made += _documents_for(
                        case, coordinator, signed=case.status == CaseStatus.DOCUMENTS_SIGNED
                    )
    if wording or made:
        stdout.write(f"Demo documents: {wording} wording versions, {made} documents created.")
