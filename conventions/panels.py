"""The signatures a case's page asks for, right under "What happens next" (cases.panels)."""

from django.utils.translation import gettext_lazy as _

from cases.panels import CasePanel
from schools.models import StaffRole
from schools.selectors import user_has_staff_role

from .models import DocumentStatus, Signature, SignatureStatus, SignerRole
from .services import case_out_for_signature

TEMPLATE = "conventions/partials/case_signatures.html"


def case_signature_panels(case, user, *, staff: bool) -> list[CasePanel]:
    """The reader's signatures to give now (a button each), else whose signatures are awaited.

    One query, while the case's documents are out for signature
    (``services.case_out_for_signature``), none otherwise. The school signs first; the
    coordinator countersigns once the school signed.
    """
    if not case_out_for_signature(case):
        return []
    signatures = list(
        Signature.objects.filter(document__case=case, document__status=DocumentStatus.AWAITING_SIGNATURES)
        .exclude(status=SignatureStatus.CANCELLED)
        .select_related("document")
        .order_by("document_id", "position", "pk")
    )
    if not signatures:
        return []
    pending = [s for s in signatures if s.status == SignatureStatus.PENDING]
    director_pending = {s.document_id for s in pending if s.role == SignerRole.DIRECTOR}
    if staff:
        may_sign = user_has_staff_role(user, StaffRole.COORDINATOR)
        mine = [
            s
            for s in pending
            if may_sign and s.role == SignerRole.COORDINATOR and s.document_id not in director_pending
        ]
        url_name, action = "conventions:countersign", _("Countersign the document “%(document)s”")
    else:
        mine = [s for s in pending if s.role == SignerRole.DIRECTOR]
        url_name, action = "conventions:sign", _("Sign the document “%(document)s”")
    others = [s for s in pending if s not in mine]
    signed_by_reader = [
        s for s in signatures if s.status == SignatureStatus.SIGNED and s.role == _reader_role(staff)
    ]
    context = {
        "to_sign": [(s.document, str(action) % {"document": s.document.get_kind_display()}) for s in mine],
        "url_name": url_name,
        "awaited": others,
        "signed": signed_by_reader,
    }
    return [CasePanel(template=TEMPLATE, place="action", context=context)]


def _reader_role(staff: bool) -> str:
    return SignerRole.COORDINATOR if staff else SignerRole.DIRECTOR
