"""Technicians' visits and the internet referrals that an evaluation visit ends in."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.notifying import notifying
from classcontact.tasks_util import enqueue_on_commit
from classcontact.workflow import change_state, check_transition
from schools.models import School, StaffRole, User
from schools.selectors import user_has_staff_role

from ..holders import holder_of
from ..models import (
    REFERRAL_TRANSITIONS,
    VISIT_TRANSITIONS,
    InternetReferral,
    Loan,
    LoanStatus,
    ReferralStatus,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitStatus,
    checklist_for,
)
from ..tasks import send_visit_mail
from .common import (
    ERROR_EARLY_NEEDS_REASON,
    ERROR_FIXED_DATE_REQUIRED,
    ERROR_INSTALLATION_NEEDS_TRAINING_AND_GUIDE,
    ERROR_NOT_A_TECHNICIAN,
    ERROR_OUTCOME_REQUIRED,
    ERROR_REASON_REQUIRED,
    ERROR_REFERRAL_NEEDS_EVALUATION,
    ERROR_VISIT_IN_PAST,
    KitError,
    KitStateRefused,
)
from .lending import loan_hand_over


def user_is_technician(user: User) -> bool:
    return bool(
        user.is_active
        and user.is_staff
        and user_has_staff_role(user, StaffRole.TECHNICIAN, StaffRole.COORDINATOR)
    )


@transaction.atomic
def visit_plan(
    *,
    kind: str,
    starts_at: datetime.datetime,
    technician: User,
    by: User | None,
    school: School | None = None,
    loan: Loan | None = None,
    holder=None,
    reference: str = "",
    address: str = "",
    duration_minutes: int = 90,
    notes: str = "",
) -> Visit:
    """Plan a visit with a date and time, a technician and an address.

    Effects: the visit is at ``school`` (or the loan's school), for a programme's record
    when one is given; the technician and the school's directors are e-mailed once saved.
    A programme plans the visits of its records through its own service, which moves its
    state in the same transaction.
    """
    if not user_is_technician(technician):
        raise KitError(ERROR_NOT_A_TECHNICIAN)
    if starts_at < timezone.now():
        raise KitError(ERROR_VISIT_IN_PAST)
    if school is None and loan is not None:
        school = loan.school
    if school is None:
        raise ValueError("A visit needs a school or a loan.")
    visit = Visit(
        kind=kind,
        school=school,
        holder=holder,
        reference=reference,
        loan=loan,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        technician=technician,
        address=address.strip() or school_address(school),
        notes=notes.strip(),
        created_by=by,
    )
    visit._history_user = by
    visit.save()
    if notifying():
        enqueue_on_commit(send_visit_mail, visit_id=visit.pk, event="planned")
    return visit


def school_address(school: School) -> str:
    parts = [school.name, school.street, f"{school.postcode} {school.city}".strip()]
    return ", ".join(part for part in parts if part)


def _lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


@transaction.atomic
def visit_reschedule(
    *,
    visit: Visit,
    starts_at: datetime.datetime,
    technician: User,
    by: User | None,
    duration_minutes: int | None = None,
    address: str | None = None,
) -> Visit:
    """Move a planned visit to another time or technician; calendars see the change."""
    visit = _lock_visit(visit)
    if visit.status != VisitStatus.PLANNED:
        raise KitError(_("This visit is no longer planned."))
    if not user_is_technician(technician):
        raise KitError(ERROR_NOT_A_TECHNICIAN)
    if starts_at < timezone.now():
        raise KitError(ERROR_VISIT_IN_PAST)
    visit.starts_at = starts_at
    visit.technician = technician
    if duration_minutes:
        visit.duration_minutes = duration_minutes
    if address is not None and address.strip():
        visit.address = address.strip()
    visit.sequence += 1
    visit._history_user = by
    visit.save(
        update_fields=["starts_at", "technician", "duration_minutes", "address", "sequence", "updated_at"]
    )
    if notifying():
        enqueue_on_commit(send_visit_mail, visit_id=visit.pk, event="planned")
    return visit


@transaction.atomic
def visit_complete(
    *,
    visit: Visit,
    by: User | None,
    outcome: str,
    checklist: dict[str, bool] | None = None,
    notes: str = "",
    training_given: bool = False,
    user_guide_handed_over: bool = False,
    room: str = "",
    early_reason: str = "",
) -> Visit:
    """Mark a visit done with its checklist, outcome and notes.

    A visit planned for a later day is marked done only with ``early_reason``, kept in its
    notes.

    Effects: an installation completed (users trained and user guide handed over, both
    required) hands the kit over to the school (the loan, the kit and its items are lent,
    in ``room``) and tells the programme of the visit's record (a connection case becomes
    active); any other outcome only records the visit, and
    another installation visit can be planned.
    """
    visit = _lock_visit(visit)
    check_transition(VISIT_TRANSITIONS, visit.status, VisitStatus.DONE, refused=KitStateRefused)
    if outcome not in VisitOutcome.values:
        raise KitError(ERROR_OUTCOME_REQUIRED)
    if visit_is_early(visit) and not early_reason.strip():
        raise KitError(ERROR_EARLY_NEEDS_REASON)
    installs = visit.kind == VisitKind.INSTALLATION and outcome == VisitOutcome.COMPLETED
    if installs and not (training_given and user_guide_handed_over):
        raise KitError(ERROR_INSTALLATION_NEEDS_TRAINING_AND_GUIDE)
    known = {key for key, _label in checklist_for(visit.kind)}
    visit.checklist = {key: bool(value) for key, value in (checklist or {}).items() if key in known}
    visit.outcome = outcome
    visit.notes = (
        _with_early_reason(notes.strip(), early_reason.strip()) if visit_is_early(visit) else notes.strip()
    )
    visit.training_given = training_given
    visit.user_guide_handed_over = user_guide_handed_over
    change_state(
        visit,
        VisitStatus.DONE,
        table=VISIT_TRANSITIONS,
        by=by,
        changes={"done_at": timezone.now(), "done_by": by, "sequence": visit.sequence + 1},
        fields=("checklist", "outcome", "notes", "training_given", "user_guide_handed_over", "updated_at"),
        refused=KitStateRefused,
    )
    if installs:
        _installation_done(visit, by=by, room=room)
    return visit


def visit_is_early(visit: Visit) -> bool:
    """Whether the visit's day has not come yet (in the portal's time zone)."""
    return timezone.localtime(visit.starts_at).date() > timezone.localdate()


def _with_early_reason(notes: str, reason: str) -> str:
    line = str(_("Marked done before its day: %(reason)s")) % {"reason": reason}
    return f"{line}\n{notes}".strip()


def _installation_done(visit: Visit, *, by: User | None, room: str) -> None:
    """The kit is the school's now (its reserved loan is handed over), and the programme is told."""
    if visit.loan_id:
        loan = Loan.objects.get(pk=visit.loan_id)
        if loan.status == LoanStatus.RESERVED:
            loan_hand_over(loan=loan, by=by, room=room)
    holder, handler = holder_of(visit)
    if holder is not None:
        handler.installation_done(holder, visit=visit, by=by)


@transaction.atomic
def visit_cancel(*, visit: Visit, by: User | None, reason: str) -> Visit:
    """Cancel a planned visit; the technician and the school are told, calendars drop it."""
    if not reason.strip():
        raise KitError(ERROR_REASON_REQUIRED)
    visit = _lock_visit(visit)
    change_state(
        visit,
        VisitStatus.CANCELLED,
        table=VISIT_TRANSITIONS,
        by=by,
        changes={
            "cancelled_at": timezone.now(),
            "cancel_reason": reason.strip(),
            "sequence": visit.sequence + 1,
        },
        fields=("updated_at",),
        refused=KitStateRefused,
    )
    if notifying():
        enqueue_on_commit(send_visit_mail, visit_id=visit.pk, event="cancelled")
    return visit


@transaction.atomic
def referral_create(
    *,
    visit: Visit,
    by: User | None,
    referred_on: datetime.date | None = None,
    provider_reference: str = "",
    outcome: str = "",
) -> InternetReferral:
    """An internet evaluation ends in a referral to the partner internet provider."""
    if visit.kind != VisitKind.INTERNET_EVALUATION:
        raise KitError(ERROR_REFERRAL_NEEDS_EVALUATION)
    referral = InternetReferral(
        school_id=visit.school_id,
        holder_type_id=visit.holder_type_id,
        holder_id=visit.holder_id,
        reference=visit.reference,
        visit=visit,
        referred_on=referred_on or timezone.localdate(),
        provider_reference=provider_reference.strip(),
        outcome=outcome.strip(),
        created_by=by,
    )
    referral._history_user = by
    referral.save()
    return referral


@transaction.atomic
def referral_update(
    *,
    referral: InternetReferral,
    by: User | None,
    status: str,
    provider_reference: str = "",
    outcome: str = "",
    fixed_on: datetime.date | None = None,
) -> InternetReferral:
    """Record where the provider stands: its reference, the state, the outcome, the date fixed."""
    referral = InternetReferral.objects.select_for_update().get(pk=referral.pk)
    if status != referral.status:
        check_transition(REFERRAL_TRANSITIONS, referral.status, status, refused=KitStateRefused)
    if status == ReferralStatus.FIXED and fixed_on is None:
        raise KitError(ERROR_FIXED_DATE_REQUIRED)
    referral.provider_reference = provider_reference.strip() or referral.provider_reference
    referral.outcome = outcome.strip() or referral.outcome
    referral.fixed_on = fixed_on if status == ReferralStatus.FIXED else referral.fixed_on
    details = ("provider_reference", "outcome", "fixed_on")
    if status == referral.status:
        referral._history_user = by
        referral.save(update_fields=details)
    else:
        change_state(
            referral, status, table=REFERRAL_TRANSITIONS, by=by, fields=details, refused=KitStateRefused
        )
    return referral
