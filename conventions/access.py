"""The only way a view fetches a document, a case's documents or a signature.

Staff see every document; directors and delegates those of their schools' cases; anyone
else (teachers, other schools, anonymous visitors) gets a 404, never data.
"""

from django.http import Http404

from cases.access import access_case
from cases.models import ConnectionCase
from schools.selectors import user_is_staff_member

from .models import Document, Signature, SignerRole
from .selectors import document_for_page, documents_visible_to
from .services import user_may_sign


def access_case_documents(user, case_id) -> ConnectionCase:
    """A case whose documents the user may see (the case's own rules: 404 for outsiders)."""
    return access_case(user, case_id)


def access_document(user, document_id) -> Document:
    """A document the user may see and download."""
    if not user.is_authenticated:
        raise Http404
    document = document_for_page(documents_visible_to(user)).filter(public_id=document_id).first()
    if document is None:
        raise Http404
    return document


def access_document_to_sign(user, document_id, *, role: str) -> Document:
    """A document the user signs in ``role``: a director of the pupil's school for the
    convention, a staff coordinator for the countersignature. Anyone else gets a 404."""
    document = access_document(user, document_id)
    signature = next((s for s in document.signature_list if s.role == role), None)
    if signature is None:
        raise Http404
    if not user_may_sign(user, signature, document.case):
        raise Http404
    document.signature = signature
    return document


def access_signature_for_staff(user, signature_id: int) -> Signature:
    """A signature with its evidence (IP address, browser, drawn image): staff only."""
    if not user_is_staff_member(user):
        raise Http404
    signature = Signature.objects.select_related("document", "guardian").filter(pk=signature_id).first()
    if signature is None:
        raise Http404
    return signature


def access_guardian_signature(user, signature_id: int) -> Signature:
    """A parent's signature whose link staff may send again."""
    signature = access_signature_for_staff(user, signature_id)
    if signature.role != SignerRole.GUARDIAN:
        raise Http404
    return signature
