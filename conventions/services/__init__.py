"""Writes to documents, wording versions, signatures and personal links.

Each function runs in one transaction, locks what it changes (always in the order case →
document → signature → link, so that two signers never deadlock), checks state changes
against the tables in ``conventions.models``, and defers e-mails and rendering until the
transaction has committed. PDFs are rendered only by ``document_render``, which the Celery
task ``conventions.render_document`` calls.

The package is cut along the domain's seams: ``wording`` (versions of the text),
``documents`` (creating, sending and rendering), ``links`` (parents' personal links and the
end of the need), ``signing`` (signatures and their evidence) and ``mail``; ``common`` holds
the refusals they share. Importers use the names re-exported here.
"""

from .common import (
    ERROR_ALREADY_SIGNED,
    ERROR_COMMITMENTS,
    ERROR_CONSENT_REQUIRED,
    ERROR_COORDINATOR_ONLY,
    ERROR_DIRECTOR_FIRST,
    ERROR_DOCUMENT_CHANGED,
    ERROR_END_NOT_POSSIBLE,
    ERROR_GUARDIAN_MISSING,
    ERROR_LAST_DAY_RANGE,
    ERROR_LETTER_NOT_POSSIBLE,
    ERROR_NAME_REQUIRED,
    ERROR_NO_CLAUSES,
    ERROR_NO_EMAIL,
    ERROR_NO_KIT,
    ERROR_NO_WORDING,
    ERROR_NOT_OUT_FOR_SIGNATURE,
    ERROR_NOT_READY,
    ERROR_NOT_THE_DIRECTOR,
    ERROR_NOT_WAITING,
    DocumentError,
    LinkInvalid,
    case_out_for_signature,
)
from .documents import (
    create_documents_for_signature,
    document_prepare,
    document_render,
    document_render_retry,
    documents_send,
)
from .links import end_link_send, end_request_by_link, link_for_token, link_open, signing_link_resend
from .mail import mails_off
from .signing import (
    EVIDENCE_FIELDS,
    signature_record_opening,
    signature_sign_by_link,
    signature_sign_in_portal,
    user_may_sign,
)
from .wording import ensure_default_templates, template_version_publish

__all__ = [
    "case_out_for_signature",
    "ERROR_ALREADY_SIGNED",
    "ERROR_COMMITMENTS",
    "ERROR_CONSENT_REQUIRED",
    "ERROR_COORDINATOR_ONLY",
    "ERROR_DIRECTOR_FIRST",
    "ERROR_DOCUMENT_CHANGED",
    "ERROR_END_NOT_POSSIBLE",
    "ERROR_GUARDIAN_MISSING",
    "ERROR_LAST_DAY_RANGE",
    "ERROR_LETTER_NOT_POSSIBLE",
    "ERROR_NAME_REQUIRED",
    "ERROR_NO_CLAUSES",
    "ERROR_NO_EMAIL",
    "ERROR_NO_KIT",
    "ERROR_NO_WORDING",
    "ERROR_NOT_OUT_FOR_SIGNATURE",
    "ERROR_NOT_READY",
    "ERROR_NOT_THE_DIRECTOR",
    "ERROR_NOT_WAITING",
    "EVIDENCE_FIELDS",
    "DocumentError",
    "LinkInvalid",
    "create_documents_for_signature",
    "document_prepare",
    "document_render",
    "document_render_retry",
    "documents_send",
    "end_link_send",
    "end_request_by_link",
    "ensure_default_templates",
    "link_for_token",
    "link_open",
    "mails_off",
    "signature_record_opening",
    "signature_sign_by_link",
    "signature_sign_in_portal",
    "signing_link_resend",
    "template_version_publish",
    "user_may_sign",
]
