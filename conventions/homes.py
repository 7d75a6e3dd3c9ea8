"""The signatures waiting on people's home pages (classcontact.homes)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from classcontact.homes import WorkLine, work_line
from schools.models import StaffRole
from schools.selectors import managed_school_ids, user_has_staff_role, user_is_staff_member

from .models import DocumentStatus, Signature, SignatureStatus, SignerRole


def _pending(role: str):
    return (
        Signature.objects.filter(
            role=role, status=SignatureStatus.PENDING, document__status=DocumentStatus.AWAITING_SIGNATURES
        )
        .select_related("document")
        .only("pk", "document__public_id", "document__kind", "document__content")
        .order_by("document__created_at", "pk")
    )


def staff_lines(user) -> list[WorkLine]:
    """Conventions the school signed and a coordinator still has to countersign."""
    if not user_has_staff_role(user, StaffRole.COORDINATOR):
        return []
    # The countersignature is asked for (its ``sent_at`` stamped) once the school has signed
    # (``conventions.services.signing``); the longest asked first. One walk of an index of the
    # countersignatures asked for, rather than of every document waiting for the school.
    return [
        work_line(
            _pending(SignerRole.COORDINATOR).filter(sent_at__isnull=False).order_by("sent_at", "pk"),
            key="documents-to-countersign",
            label=_("Documents waiting for your countersignature"),
            url=lambda signature: reverse("conventions:countersign", args=[signature.document.public_id]),
            action=lambda signature: _("Countersign %(document)s") % {"document": signature.document},
            list_url=reverse("conventions:list") + "?status=" + DocumentStatus.AWAITING_SIGNATURES,
        )
    ]


def school_lines(user) -> list[WorkLine]:
    """Documents a director has to sign for their school."""
    school_ids = managed_school_ids(user)
    if not school_ids or user_is_staff_member(user):
        return []
    return [
        work_line(
            _pending(SignerRole.DIRECTOR).filter(document__case__school_id__in=school_ids),
            key="documents-to-sign",
            label=_("Documents to sign"),
            url=lambda signature: reverse("conventions:sign", args=[signature.document.public_id]),
            action=lambda signature: _("Sign %(document)s") % {"document": signature.document},
        )
    ]
