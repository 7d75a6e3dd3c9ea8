"""A case's kit and visits: the case asks the logistics for them and moves its own state.

The logistics (``loans``) never read a case. Here the case reserves a kit, plans its
visits and releases a booking; ``CaseHolder`` answers the logistics' questions about a
case and hears of a kit checked in or an installation done (registered in ``CasesConfig``).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.workflow import InvalidTransition, check_transition
from loans import services as loan_services
from loans.holders import HolderHandler
from loans.models import Kit, Loan, LoanPurpose, Visit, VisitKind
from loans.selectors import holder_open_loan
from schools.models import User

from ..models import TRANSITIONS, CaseStatus, ConnectionCase
from .common import CaseError
from .lifecycle import (
    case_activate,
    case_mark_kit_assigned,
    case_mark_kit_returned,
    case_plan_installation,
    case_plan_retrieval,
)

ERROR_CASE_NOT_READY_FOR_KIT = _(
    "A kit can only be reserved for a case declared eligible that has no kit yet."
)
ERROR_CASE_NOT_READY_FOR_RETURN = _(
    "The kit of this case can only be checked in once its retrieval is planned."
)
ERROR_CASE_NO_KIT = _("Reserve a kit for this case before planning its installation.")
ERROR_INSTALLATION_NOT_READY = _(
    "The installation can only be planned once the convention and the parents' engagement are signed."
)
ERROR_RETRIEVAL_NOT_READY = _(
    "The retrieval can only be planned once the school or the parents said the kit is no longer needed."
)

#: Nothing is installed, at school or at home, before the convention and the engagement are signed.
BEFORE_SIGNATURES = frozenset(
    {
        CaseStatus.DRAFT,
        CaseStatus.SUBMITTED,
        CaseStatus.UNDER_REVIEW,
        CaseStatus.ELIGIBLE,
        CaseStatus.KIT_ASSIGNED,
        CaseStatus.DOCUMENTS_SENT,
    }
)


def _lock(case: ConnectionCase) -> ConnectionCase:
    return ConnectionCase.objects.select_for_update().select_related("school").get(pk=case.pk)


def _logistics_started(case: ConnectionCase) -> None:
    """The case has a loan or a visit from now on (its page reads them); in the transaction
    that makes the first one, undone with it when that fails."""
    if not case.logistics_started:
        case.logistics_started = True
        ConnectionCase.objects.filter(pk=case.pk).update(logistics_started=True)


def cases_settle_logistics() -> int:
    """Mark every case that has a loan or a visit (after loading records in bulk, as the demo
    does, without the services): the number of cases marked."""
    held = {"holder_type": ContentType.objects.get_for_model(ConnectionCase), "holder_id": OuterRef("pk")}
    return (
        ConnectionCase.objects.filter(logistics_started=False)
        .filter(Exists(Loan.objects.filter(**held)) | Exists(Visit.objects.filter(**held)))
        .update(logistics_started=True)
    )


@transaction.atomic
def case_reserve_kit(
    *, case: ConnectionCase, kit: Kit, by: User | None, start: datetime.date | None = None, notes: str = ""
) -> Loan:
    """Reserve a kit for an eligible case, from ``start`` (today) with no end yet.

    Effects: a loan reserved for the case (refused when the kit is booked over these dates
    or the case has a kit already); the kit and its items become reserved; the case moves
    to kit_assigned (its timeline says which kit).
    """
    case = _lock(case)
    try:
        check_transition(TRANSITIONS, case.status, CaseStatus.KIT_ASSIGNED)
        _logistics_started(case)
    except InvalidTransition as error:
        raise CaseError(ERROR_CASE_NOT_READY_FOR_KIT) from error
    loan = loan_services.loan_create_for_holder(
        holder=case,
        reference=case.number_display,
        school=case.school,
        kit=kit,
        purpose=LoanPurpose.CONNECTION_CASE,
        start=start,
        by=by,
        notes=notes,
    )
    case_mark_kit_assigned(case=case, by=by, note=loan.kit.code)
    return loan


def case_release_kit(*, case: ConnectionCase, by: User | None, reason: str = "") -> list[Loan]:
    """A kit only reserved for the case becomes free again (one handed over comes back
    through a retrieval and a check-in)."""
    return loan_services.loans_release_for_holder(holder=case, by=by, reason=reason)


def _advance_for_visit(*, case: ConnectionCase, kind: str, day: datetime.date, by: User | None) -> None:
    """An installation or retrieval visit plans that step of the case."""
    if kind == VisitKind.INSTALLATION and case.status != CaseStatus.INSTALLATION_PLANNED:
        try:
            case_plan_installation(case=case, by=by, date=day)
        except InvalidTransition as error:
            raise CaseError(ERROR_INSTALLATION_NOT_READY) from error
    elif kind == VisitKind.RETRIEVAL and case.status != CaseStatus.RETRIEVAL_PLANNED:
        try:
            case_plan_retrieval(case=case, by=by, date=day)
        except InvalidTransition as error:
            raise CaseError(ERROR_RETRIEVAL_NOT_READY) from error


def case_visit_address(*, kind: str, case: ConnectionCase) -> str:
    """A set-up at home goes to the pupil's home, every other visit to the school."""
    if kind == VisitKind.HOME_SETUP and case.home_street:
        return f"{case.home_street}, {case.home_postcode} {case.home_city}".strip()
    return loan_services.school_address(case.school)


@transaction.atomic
def case_visit_plan(
    *,
    case: ConnectionCase,
    kind: str,
    starts_at: datetime.datetime,
    technician: User,
    by: User | None,
    address: str = "",
    duration_minutes: int = 90,
    notes: str = "",
) -> Visit:
    """Plan a visit of a case at its school (or at the pupil's home), tied to its kit's loan.

    Effects: an installation visit moves the case to installation_planned (refused before
    the documents are signed, and before a kit is reserved), a set-up at home is refused
    before the documents are signed too, a retrieval visit moves it to retrieval_planned;
    the visit itself, and its e-mails, come from the logistics' ``visit_plan``.
    """
    case = _lock(case)
    _logistics_started(case)
    loan = holder_open_loan(case)
    if kind == VisitKind.INSTALLATION and loan is None:
        raise CaseError(ERROR_CASE_NO_KIT)
    if kind == VisitKind.HOME_SETUP and case.status in BEFORE_SIGNATURES:
        raise CaseError(ERROR_INSTALLATION_NOT_READY)
    if starts_at >= timezone.now():
        _advance_for_visit(case=case, kind=kind, day=timezone.localdate(starts_at), by=by)
    return loan_services.visit_plan(
        kind=kind,
        starts_at=starts_at,
        technician=technician,
        by=by,
        school=case.school,
        loan=loan,
        holder=case,
        reference=case.number_display,
        address=address.strip() or case_visit_address(kind=kind, case=case),
        duration_minutes=duration_minutes,
        notes=notes,
    )


class CaseHolder(HolderHandler):
    """What the logistics ask of a connection case and tell it."""

    def check_in_refusal(self, holder: ConnectionCase) -> str | None:
        try:
            check_transition(TRANSITIONS, holder.status, CaseStatus.KIT_RETURNED)
        except InvalidTransition:
            return str(ERROR_CASE_NOT_READY_FOR_RETURN)
        return None

    def kit_checked_in(self, holder: ConnectionCase, *, loan: Loan, by: User | None, summary: str) -> None:
        case_mark_kit_returned(case=holder, by=by, note=summary)

    def installation_done(self, holder: ConnectionCase, *, visit: Visit, by: User | None) -> None:
        if holder.status == CaseStatus.INSTALLATION_PLANNED:
            case_activate(case=holder, by=by, note=str(visit.get_kind_display()))

    def staff_url(self, model, holder_id: int) -> str | None:
        public_id = model.objects.filter(pk=holder_id).values_list("public_id", flat=True).first()
        return reverse("cases:case_logistics", kwargs={"case_id": public_id}) if public_id else None
