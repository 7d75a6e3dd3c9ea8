"""The staff's side of a case: review, eligibility, pauses, and the steps to closing."""

import datetime

from django.db import transaction
from django.utils import timezone

from classcontact.workflow import check_transition
from schools.models import User

from ..models import TRANSITIONS, CaseStatus, ConnectionCase, EligibilityDecision, EventKind
from .common import (
    ERROR_DATE_IN_PAST,
    ERROR_ELIGIBLE_NEEDS_CHECKS,
    ERROR_REASON_REQUIRED,
    CaseError,
    _change_state,
    _forget_certificate,
    _lock,
    _record,
    _require_from,
)


@transaction.atomic
def case_start_review(*, case: ConnectionCase, by: User) -> ConnectionCase:
    """Staff start checking eligibility; the reviewer becomes the case's coordinator if it has none."""
    case = _lock(case)
    fields = ()
    if case.coordinator_id is None:
        case.coordinator = by
        fields = ("coordinator",)
    _change_state(case, target=CaseStatus.UNDER_REVIEW, by=by, kind=EventKind.REVIEW_STARTED, fields=fields)
    return case


@transaction.atomic
def case_decide_eligibility(
    *,
    case: ConnectionCase,
    by: User,
    school_in_fwb: bool,
    medical_reason: bool,
    eligible: bool,
    reason: str,
) -> ConnectionCase:
    """Record the eligibility checklist and decision.

    Effects: the checklist (staff only), the decision and its reason (seen by the school),
    state under_review → eligible or ineligible (closed), the medical certificate deleted
    (file removed after commit, "certificate deleted" in the timeline), an e-mail to the
    school's directors after commit.
    """
    case = _lock(case)
    target = CaseStatus.ELIGIBLE if eligible else CaseStatus.INELIGIBLE
    check_transition(TRANSITIONS, case.status, target)
    reason = reason.strip()
    if eligible and not (school_in_fwb and medical_reason):
        raise CaseError(ERROR_ELIGIBLE_NEEDS_CHECKS)
    if not eligible and not reason:
        raise CaseError(ERROR_REASON_REQUIRED)
    case.check_school_in_fwb = school_in_fwb
    case.check_medical_reason = medical_reason
    case.eligibility_decision = EligibilityDecision.ELIGIBLE if eligible else EligibilityDecision.INELIGIBLE
    case.eligibility_reason = reason
    case.decided_at = timezone.now()
    case.decided_by = by
    if case.coordinator_id is None:
        case.coordinator = by
    fields = [
        "check_school_in_fwb",
        "check_medical_reason",
        "eligibility_decision",
        "eligibility_reason",
        "decided_at",
        "decided_by",
        "coordinator",
    ]
    certificate_fields = _forget_certificate(case)
    _change_state(
        case,
        target=target,
        by=by,
        kind=EventKind.DECLARED_ELIGIBLE if eligible else EventKind.DECLARED_INELIGIBLE,
        message=reason,
        fields=(*fields, *certificate_fields),
    )
    if certificate_fields:
        _record(case, kind=EventKind.CERTIFICATE_DELETED, by=by)
    return case


@transaction.atomic
def case_pause(*, case: ConnectionCase, by: User, note: str = "") -> ConnectionCase:
    """Pause an active connection (a hospital stay, for example): active → paused."""
    case = _lock(case)
    _change_state(case, target=CaseStatus.PAUSED, by=by, kind=EventKind.PAUSED, message=note.strip())
    return case


@transaction.atomic
def case_resume(*, case: ConnectionCase, by: User, note: str = "") -> ConnectionCase:
    """Resume a paused connection: paused → active."""
    case = _lock(case)
    _require_from(case, CaseStatus.ACTIVE, CaseStatus.PAUSED)
    _change_state(case, target=CaseStatus.ACTIVE, by=by, kind=EventKind.RESUMED, message=note.strip())
    return case


@transaction.atomic
def case_mark_kit_assigned(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """A kit is reserved for the pupil: eligible → kit_assigned."""
    case = _lock(case)
    _change_state(case, target=CaseStatus.KIT_ASSIGNED, by=by, kind=EventKind.KIT_ASSIGNED, message=note)
    return case


@transaction.atomic
def case_mark_documents_sent(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """The convention and the parents' engagement are out for signature: kit_assigned → documents_sent."""
    case = _lock(case)
    _change_state(case, target=CaseStatus.DOCUMENTS_SENT, by=by, kind=EventKind.DOCUMENTS_SENT, message=note)
    return case


@transaction.atomic
def case_mark_documents_signed(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """Every signature is in: documents_sent → documents_signed."""
    case = _lock(case)
    _change_state(
        case, target=CaseStatus.DOCUMENTS_SIGNED, by=by, kind=EventKind.DOCUMENTS_SIGNED, message=note
    )
    return case


def _check_future(day: datetime.date) -> None:
    if day < timezone.localdate():
        raise CaseError(ERROR_DATE_IN_PAST)


def _plan_date(
    case: ConnectionCase, *, target: str, kind: str, by: User | None, date, note: str
) -> ConnectionCase:
    """A visit of the case has a date: the case moves to ``target`` with that date."""
    case = _lock(case)
    check_transition(TRANSITIONS, case.status, target)
    _check_future(date)
    case.planned_date = date
    _change_state(case, target=target, by=by, kind=kind, message=note, fields=("planned_date",))
    return case


@transaction.atomic
def case_plan_installation(
    *, case: ConnectionCase, by: User | None, date: datetime.date, note: str = ""
) -> ConnectionCase:
    """The installation visit has a date: documents_signed → installation_planned."""
    return _plan_date(
        case,
        target=CaseStatus.INSTALLATION_PLANNED,
        kind=EventKind.INSTALLATION_PLANNED,
        by=by,
        date=date,
        note=note,
    )


@transaction.atomic
def case_activate(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """The kit is installed and the users trained: installation_planned → active."""
    case = _lock(case)
    _require_from(case, CaseStatus.ACTIVE, CaseStatus.INSTALLATION_PLANNED)
    case.planned_date = None
    _change_state(
        case,
        target=CaseStatus.ACTIVE,
        by=by,
        kind=EventKind.ACTIVATED,
        message=note,
        fields=("planned_date",),
    )
    return case


@transaction.atomic
def case_plan_retrieval(
    *, case: ConnectionCase, by: User | None, date: datetime.date, note: str = ""
) -> ConnectionCase:
    """The retrieval visit has a date: end_requested → retrieval_planned."""
    return _plan_date(
        case,
        target=CaseStatus.RETRIEVAL_PLANNED,
        kind=EventKind.RETRIEVAL_PLANNED,
        by=by,
        date=date,
        note=note,
    )


@transaction.atomic
def case_mark_kit_returned(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """The kit is back and checked: retrieval_planned → kit_returned."""
    case = _lock(case)
    case.planned_date = None
    _change_state(
        case,
        target=CaseStatus.KIT_RETURNED,
        by=by,
        kind=EventKind.KIT_RETURNED,
        message=note,
        fields=("planned_date",),
    )
    return case


@transaction.atomic
def case_close(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """Close a case whose kit came back: kit_returned → closed; a certificate left is deleted."""
    case = _lock(case)
    check_transition(TRANSITIONS, case.status, CaseStatus.CLOSED)
    certificate_fields = _forget_certificate(case)
    _change_state(
        case, target=CaseStatus.CLOSED, by=by, kind=EventKind.CLOSED, message=note, fields=certificate_fields
    )
    if certificate_fields:
        _record(case, kind=EventKind.CERTIFICATE_DELETED, by=by)
    return case
