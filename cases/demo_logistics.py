"""Demo data of the cases' kit logistics: the loans, visits and referral of the demo cases.

Runs after the demo inventory (``loans.demo``). Objects are only created when missing, so
running it twice changes nothing. The demo cases already stand in their states: the kits
and visits are set as they would be at that point, without moving the cases again; no
e-mail leaves.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from loans.demo import COORDINATOR, TECHNICIAN
from loans.models import (
    InternetReferral,
    InventoryState,
    Kit,
    KitEvent,
    KitEventKind,
    Loan,
    LoanPurpose,
    LoanStatus,
    ReferralStatus,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitStatus,
    checklist_for,
)
from schools.models import School, User

from .models import CaseStatus, ConnectionCase
from .services.logistics import case_visit_address, cases_settle_logistics

#: Where each case state stands with its kit.
RESERVED_STATES = {CaseStatus.KIT_ASSIGNED, CaseStatus.DOCUMENTS_SENT, CaseStatus.DOCUMENTS_SIGNED}
LENT_STATES = {CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.END_REQUESTED, CaseStatus.RETRIEVAL_PLANNED}
RETURNED_STATES = {CaseStatus.KIT_RETURNED, CaseStatus.CLOSED}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _set_kit(kit: Kit, state: str, *, school: School | None = None, room: str = "", by: User | None) -> None:
    """Put a demo kit (and its items) in the state of its demo case, with a timeline line."""
    previous = kit.state
    kit.state = state
    kit.school = school
    kit.room = room
    kit.state_changed_at = timezone.now()
    kit._history_user = by
    kit.save(update_fields=["state", "school", "room", "state_changed_at"])
    item_state = (
        state if state in (InventoryState.RESERVED, InventoryState.LENT) else InventoryState.AVAILABLE
    )
    for item in kit.items.all():
        if item.state != item_state:
            item.state = item_state
            item._history_user = by
            item.save(update_fields=["state"])
    kind = {InventoryState.RESERVED: KitEventKind.RESERVED, InventoryState.LENT: KitEventKind.LENT}.get(
        state, KitEventKind.RETURNED
    )
    KitEvent.objects.create(kit=kit, kind=kind, actor=by, from_state=previous, to_state=state)


def _visit(case, kind, *, status, starts_at, technician, coordinator, loan=None, **fields) -> Visit:
    visit = Visit(
        kind=kind,
        status=status,
        school=case.school,
        holder=case,
        reference=case.number_display,
        loan=loan,
        starts_at=starts_at,
        technician=technician,
        address=case_visit_address(kind=kind, case=case),
        created_by=coordinator,
        **fields,
    )
    if status == VisitStatus.DONE:
        visit.outcome = visit.outcome or VisitOutcome.COMPLETED
        visit.checklist = {key: True for key, _label in checklist_for(kind)}
        visit.done_at = starts_at + datetime.timedelta(hours=2)
        visit.done_by = technician
    visit.mailed_sequence = 0
    visit._history_user = coordinator
    visit.save()
    return visit


def _seed_case_logistics(coordinator: User, technician: User) -> int:
    """Loans and visits of the demo cases that have reached the kit's part of the journey."""
    today = timezone.localdate()
    case_type = ContentType.objects.get_for_model(ConnectionCase)
    states = RESERVED_STATES | LENT_STATES | RETURNED_STATES | {CaseStatus.INSTALLATION_PLANNED}
    cases = list(
        ConnectionCase.objects.filter(status__in=states)
        .exclude(pk__in=Loan.objects.filter(holder_type=case_type).values("holder_id"))
        .select_related("school")
        .order_by("pk")
    )
    free_kits = list(
        Kit.objects.filter(kit_type__code="connection", state=InventoryState.AVAILABLE, loans__isnull=True)
        .exclude(code="CK-0010")
        .order_by("code")
    )
    created = 0
    people = {"coordinator": coordinator, "technician": technician}
    for case, kit in zip(cases, free_kits, strict=False):
        loan = _demo_loan(case, kit, today=today, **people)
        created += 1
        if case.status == CaseStatus.INSTALLATION_PLANNED:
            _demo_installation_planned(case, loan, today=today, **people)
        if case.status in LENT_STATES | RETURNED_STATES:
            _demo_installation_done(case, loan, **people)
        if case.status == CaseStatus.ACTIVE:
            _demo_active_case_visits(case, loan, today=today, **people)
        if case.status == CaseStatus.RETRIEVAL_PLANNED:
            _demo_retrieval_planned(case, loan, today=today, **people)
    return created


def _demo_loan(case: ConnectionCase, kit: Kit, *, today, coordinator: User, technician: User) -> Loan:
    """The case's loan of ``kit``, reserved, lent or returned as the case's state says, and the kit with it."""
    status = case.status
    started = today - datetime.timedelta(days=45 if status in LENT_STATES | RETURNED_STATES else 5)
    loan = Loan(
        kit=kit,
        purpose=LoanPurpose.CONNECTION_CASE,
        holder=case,
        reference=case.number_display,
        school=case.school,
        start=started,
        created_by=coordinator,
    )
    if status in RETURNED_STATES:
        loan.status = LoanStatus.RETURNED
        loan.end = today - datetime.timedelta(days=3)
        loan.returned_at = _at(loan.end, 11)
        loan.returned_by = technician
    elif status in LENT_STATES:
        loan.status = LoanStatus.LENT
        loan.lent_at = _at(started + datetime.timedelta(days=7), 10)
    loan._history_user = coordinator
    loan.save()
    if status in RESERVED_STATES or status == CaseStatus.INSTALLATION_PLANNED:
        _set_kit(kit, InventoryState.RESERVED, by=coordinator)
    elif status in LENT_STATES:
        _set_kit(kit, InventoryState.LENT, school=case.school, room="Classe de 5e, 1er étage", by=technician)
    return loan


def _demo_installation_planned(case: ConnectionCase, loan: Loan, *, today, **people) -> None:
    day = case.planned_date or today + datetime.timedelta(days=9)
    _visit(
        case, VisitKind.INSTALLATION, status=VisitStatus.PLANNED, starts_at=_at(day, 9), loan=loan, **people
    )
    _visit(
        case, VisitKind.HOME_SETUP, status=VisitStatus.PLANNED, starts_at=_at(day, 14), loan=loan, **people
    )


def _demo_installation_done(case: ConnectionCase, loan: Loan, **people) -> None:
    installed = loan.start + datetime.timedelta(days=7)
    _visit(
        case,
        VisitKind.INSTALLATION,
        status=VisitStatus.DONE,
        starts_at=_at(installed, 9),
        loan=loan,
        training_given=True,
        user_guide_handed_over=True,
        notes="Installé près du tableau; l'enseignante a été formée.",
        **people,
    )
    _visit(
        case, VisitKind.HOME_SETUP, status=VisitStatus.DONE, starts_at=_at(installed, 14), loan=loan, **people
    )


def _demo_active_case_visits(
    case: ConnectionCase, loan: Loan, *, today, coordinator: User, technician: User
) -> None:
    """An internet evaluation that led to a referral, and a presentation the school asked for."""
    evaluation = _visit(
        case,
        VisitKind.INTERNET_EVALUATION,
        status=VisitStatus.DONE,
        starts_at=_at(loan.start + datetime.timedelta(days=2), 10),
        technician=technician,
        coordinator=coordinator,
        notes="Débit montant insuffisant en classe (2 Mb/s).",
    )
    referral = InternetReferral(
        school=case.school,
        holder=case,
        reference=case.number_display,
        visit=evaluation,
        referred_on=loan.start + datetime.timedelta(days=3),
        provider_reference="FAI-2026-0193",
        status=ReferralStatus.IN_PROGRESS,
        outcome="Technicien du fournisseur attendu.",
        created_by=technician,
    )
    referral._history_user = technician
    referral.save()
    # Asked for by the school: today, so that "my visits" shows something.
    _visit(
        case,
        VisitKind.TEAM_PRESENTATION,
        status=VisitStatus.PLANNED,
        starts_at=_at(today, 15, 30),
        technician=technician,
        coordinator=coordinator,
    )


def _demo_retrieval_planned(case: ConnectionCase, loan: Loan, *, today, **people) -> None:
    day = case.planned_date or today + datetime.timedelta(days=12)
    _visit(case, VisitKind.RETRIEVAL, status=VisitStatus.PLANNED, starts_at=_at(day, 10), loan=loan, **people)


def seed(stdout) -> None:
    coordinator = User.objects.filter(email=COORDINATOR).first()
    technician = User.objects.filter(email=TECHNICIAN).first()
    if coordinator is None or technician is None:
        return
    loans = _seed_case_logistics(coordinator, technician)
    cases_settle_logistics()  # the records above were made without the services
    if loans:
        stdout.write(f"Demo cases' kits: {loans} loans created.")
