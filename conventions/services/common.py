"""What every part of the document services shares: refusals, roles and the case lock."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, ConnectionCase
from classcontact.errors import DomainError
from classcontact.workflow import change_state
from schools.models import StaffRole, User
from schools.selectors import user_has_staff_role

from ..models import DOCUMENT_TRANSITIONS, Document

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


def case_out_for_signature(case: ConnectionCase) -> bool:
    """Signatures are taken, and asked for, only while the case's documents are out for signature."""
    return case.status == CaseStatus.DOCUMENTS_SENT


def _require_coordinator(user: User | None) -> None:
    if user is None or not user_has_staff_role(user, StaffRole.COORDINATOR):
        raise DocumentError(ERROR_COORDINATOR_ONLY)


def _set_status(document: Document, target: str, *, by: User | None, extra: tuple[str, ...] = ()) -> None:
    change_state(document, target, table=DOCUMENT_TRANSITIONS, by=by, fields=extra)


def _link_url(link_ref, token: str) -> str:
    return settings.SITE_URL + reverse("sign:page", kwargs={"ref": link_ref, "token": token})


def _lock_case(case: ConnectionCase) -> ConnectionCase:
    return ConnectionCase.objects.select_for_update().select_related("school").get(pk=case.pk)
