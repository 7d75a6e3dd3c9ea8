"""Demo inventory: kit types, a dozen kits with their serial numbers, and the loans, visits
and referral that go with the demo connection cases.

Objects are only created when missing, so running it twice changes nothing. The demo cases
already stand in their states (``loans.demo``), so their loans and visits are written as
they would be at that point, without moving the cases again; no e-mail leaves.
"""

import datetime

from django.utils import timezone

from schools.models import Region, School, SchoolClass, Trimester, User

from . import kit_services
from .models import (
    CaseStatus,
    ConnectionCase,
    InternetReferral,
    InventoryState,
    Item,
    ItemCategory,
    Kit,
    KitEvent,
    KitEventKind,
    KitType,
    KitTypeComponent,
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

COORDINATOR = "coordinator@demo.classcontact.be"
TECHNICIAN = "technician@demo.classcontact.be"

KIT_TYPES = [
    (
        "connection",
        "Kit de connexion",
        "connection",
        "Chromebook, caméra 360°, haut-parleur, clavier, câbles et licence de visioconférence.",
        [
            (ItemCategory.CHROMEBOOK, 1, "Acer Chromebook 314"),
            (ItemCategory.CAMERA_360, 1, "Owl Labs Meeting Owl 3"),
            (ItemCategory.SPEAKERPHONE, 1, "Jabra Speak 510"),
            (ItemCategory.KEYBOARD, 1, "Logitech K380"),
            (ItemCategory.CABLES, 1, "Câbles HDMI, USB-C et rallonge"),
            (ItemCategory.SOFTWARE_LICENCE, 1, "Licence de visioconférence"),
        ],
    ),
    (
        "mobile-classroom",
        "Classe mobile (12 tablettes)",
        "mobile_classroom",
        "Douze tablettes, une valise de recharge et un point d'accès Wi-Fi.",
        [
            (ItemCategory.TABLET, 12, "Samsung Galaxy Tab A9+"),
            (ItemCategory.CHARGING_CASE, 1, "Valise de recharge 16 places"),
            (ItemCategory.ACCESS_POINT, 1, "Ubiquiti U6 Lite"),
        ],
    ),
]

# code, kit type, home region, depot
KITS = [
    ("CK-0001", "connection", Region.BRUSSELS, "Dépôt de Bruxelles"),
    ("CK-0002", "connection", Region.BRUSSELS, "Dépôt de Bruxelles"),
    ("CK-0003", "connection", Region.BRUSSELS, "Dépôt de Bruxelles"),
    ("CK-0004", "connection", Region.NAMUR, "Dépôt de Namur"),
    ("CK-0005", "connection", Region.NAMUR, "Dépôt de Namur"),
    ("CK-0006", "connection", Region.NAMUR, "Dépôt de Namur"),
    ("CK-0007", "connection", Region.HAINAUT, "Dépôt de Mons"),
    ("CK-0008", "connection", Region.LIEGE, "Dépôt de Liège"),
    ("CK-0009", "connection", Region.LIEGE, "Dépôt de Liège"),
    ("CK-0010", "connection", Region.BRUSSELS, "Dépôt de Bruxelles"),
    ("CK-0011", "connection", Region.HAINAUT, "Dépôt de Mons"),
    ("CK-0012", "connection", Region.BRUSSELS, "Dépôt de Bruxelles"),
    ("MC-01", "mobile-classroom", Region.HAINAUT, "Dépôt de Mons"),
    ("MC-02", "mobile-classroom", Region.NAMUR, "Dépôt de Namur"),
]

SERIAL_PREFIX = {
    ItemCategory.CHROMEBOOK: "NXAT",
    ItemCategory.CAMERA_360: "OWL",
    ItemCategory.SPEAKERPHONE: "JBR",
    ItemCategory.KEYBOARD: "LGK",
    ItemCategory.CABLES: "CBL",
    ItemCategory.SOFTWARE_LICENCE: "LIC",
    ItemCategory.TABLET: "R9TW",
    ItemCategory.CHARGING_CASE: "CHG",
    ItemCategory.ACCESS_POINT: "U6L",
}

#: Where each case state stands with its kit.
RESERVED_STATES = {CaseStatus.KIT_ASSIGNED, CaseStatus.DOCUMENTS_SENT, CaseStatus.DOCUMENTS_SIGNED}
LENT_STATES = {CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.END_REQUESTED, CaseStatus.RETRIEVAL_PLANNED}
RETURNED_STATES = {CaseStatus.KIT_RETURNED, CaseStatus.CLOSED}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _seed_inventory(coordinator: User | None) -> int:
    created = 0
    types = {}
    for code, name, programme, description, components in KIT_TYPES:
        kit_type, new = KitType.objects.get_or_create(
            code=code, defaults={"name": name, "programme": programme, "description": description}
        )
        types[code] = kit_type
        if new:
            for position, (category, quantity, model) in enumerate(components):
                KitTypeComponent.objects.create(
                    kit_type=kit_type,
                    category=category,
                    quantity=quantity,
                    description=model,
                    position=position,
                )
    for number, (code, type_code, region, depot) in enumerate(KITS, start=1):
        if Kit.objects.filter(code=code).exists():
            continue
        kit = kit_services.kit_register(
            kit=Kit(code=code, kit_type=types[type_code], region=region, depot=depot), by=coordinator
        )
        created += 1
        for category, quantity, model in KIT_TYPES[0 if type_code == "connection" else 1][4]:
            for index in range(quantity):
                serial = f"{SERIAL_PREFIX[category]}{number:03d}{index:02d}{code[-1]}"
                if Item.objects.filter(serial_number__iexact=serial).exists():
                    continue
                kit_services.item_register(
                    item=Item(
                        kit=kit,
                        category=category,
                        model_name=model,
                        serial_number=serial,
                        purchased_on=datetime.date(2025, 8, 20),
                    ),
                    by=coordinator,
                )
    # Spare items on the shelf, ready to replace a broken one.
    for index, category in enumerate(
        [ItemCategory.KEYBOARD, ItemCategory.SPEAKERPHONE, ItemCategory.CAMERA_360]
    ):
        serial = f"SPARE-{index + 1:03d}"
        if not Item.objects.filter(serial_number=serial).exists():
            kit_services.item_register(
                item=Item(category=category, model_name="Pièce de rechange", serial_number=serial),
                by=coordinator,
            )
    return created


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
        case=case,
        loan=loan,
        starts_at=starts_at,
        technician=technician,
        address=kit_services.default_visit_address(kind=kind, school=case.school, case=case),
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
    states = RESERVED_STATES | LENT_STATES | RETURNED_STATES | {CaseStatus.INSTALLATION_PLANNED}
    cases = list(
        ConnectionCase.objects.filter(status__in=states, loans__isnull=True)
        .select_related("school")
        .order_by("pk")
    )
    free_kits = list(
        Kit.objects.filter(kit_type__code="connection", state=InventoryState.AVAILABLE, loans__isnull=True)
        .exclude(code="CK-0010")
        .order_by("code")
    )
    created = 0
    for case, kit in zip(cases, free_kits, strict=False):
        status = case.status
        started = today - datetime.timedelta(days=45 if status in LENT_STATES | RETURNED_STATES else 5)
        loan = Loan(
            kit=kit,
            purpose=LoanPurpose.CONNECTION_CASE,
            case=case,
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
        created += 1
        if status in RESERVED_STATES or status == CaseStatus.INSTALLATION_PLANNED:
            _set_kit(kit, InventoryState.RESERVED, by=coordinator)
        elif status in LENT_STATES:
            _set_kit(
                kit, InventoryState.LENT, school=case.school, room="Classe de 5e, 1er étage", by=technician
            )
        if status == CaseStatus.INSTALLATION_PLANNED:
            day = case.planned_date or today + datetime.timedelta(days=9)
            _visit(
                case,
                VisitKind.INSTALLATION,
                status=VisitStatus.PLANNED,
                starts_at=_at(day, 9),
                technician=technician,
                coordinator=coordinator,
                loan=loan,
            )
            _visit(
                case,
                VisitKind.HOME_SETUP,
                status=VisitStatus.PLANNED,
                starts_at=_at(day, 14),
                technician=technician,
                coordinator=coordinator,
                loan=loan,
            )
        if status in LENT_STATES | RETURNED_STATES:
            installed = started + datetime.timedelta(days=7)
            _visit(
                case,
                VisitKind.INSTALLATION,
                status=VisitStatus.DONE,
                starts_at=_at(installed, 9),
                technician=technician,
                coordinator=coordinator,
                loan=loan,
                training_given=True,
                user_guide_handed_over=True,
                notes="Installé près du tableau; l'enseignante a été formée.",
            )
            _visit(
                case,
                VisitKind.HOME_SETUP,
                status=VisitStatus.DONE,
                starts_at=_at(installed, 14),
                technician=technician,
                coordinator=coordinator,
                loan=loan,
            )
        if status == CaseStatus.ACTIVE:
            evaluation = _visit(
                case,
                VisitKind.INTERNET_EVALUATION,
                status=VisitStatus.DONE,
                starts_at=_at(started + datetime.timedelta(days=2), 10),
                technician=technician,
                coordinator=coordinator,
                notes="Débit montant insuffisant en classe (2 Mb/s).",
            )
            referral = InternetReferral(
                school=case.school,
                case=case,
                visit=evaluation,
                referred_on=started + datetime.timedelta(days=3),
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
        if status == CaseStatus.RETRIEVAL_PLANNED:
            day = case.planned_date or today + datetime.timedelta(days=12)
            _visit(
                case,
                VisitKind.RETRIEVAL,
                status=VisitStatus.PLANNED,
                starts_at=_at(day, 10),
                technician=technician,
                coordinator=coordinator,
                loan=loan,
            )
    return created


def _seed_class_loans(coordinator: User) -> int:
    """The mobile classroom kits: one out for this trimester, one booked for the next."""
    school = School.objects.filter(official_number="1003").first()
    school_class = SchoolClass.objects.filter(school=school).order_by("name").first() if school else None
    if school_class is None:
        return 0
    today = timezone.localdate()
    trimesters = list(
        Trimester.objects.filter(school_year__calendar__is_default=True, end__gte=today).order_by("start")[:2]
    )
    created = 0
    for kit_code, trimester in zip(("MC-01", "MC-02"), trimesters, strict=False):
        kit = Kit.objects.filter(code=kit_code).first()
        if kit is None or Loan.objects.filter(kit=kit).exists():
            continue
        loan = kit_services.loan_create_for_class(
            kit=kit, school_class=school_class, trimester=trimester, by=coordinator
        )
        created += 1
        if trimester.start <= today:
            kit_services.loan_hand_over(loan=loan, by=coordinator, room="Local informatique")
    return created


def _seed_repairs(coordinator: User | None) -> None:
    """One kit waiting for a repair, one lost keyboard: the inventory is never perfect."""
    kit = Kit.objects.filter(code="CK-0010", state=InventoryState.AVAILABLE).first()
    if kit is not None:
        camera = kit.items.filter(category=ItemCategory.CAMERA_360).first()
        if camera is not None:
            kit_services.item_send_to_repair(
                item=camera,
                by=coordinator,
                problem="La caméra ne fait plus la mise au point.",
                workshop="Atelier Nord",
            )
    lost = Item.objects.filter(serial_number="SPARE-001", state=InventoryState.AVAILABLE).first()
    if lost is not None:
        kit_services.item_mark_lost(item=lost, by=coordinator, notes="Oublié lors d'un transport.")


def seed(stdout) -> None:
    coordinator = User.objects.filter(email=COORDINATOR).first()
    technician = User.objects.filter(email=TECHNICIAN).first()
    kits = _seed_inventory(coordinator)
    loans = 0
    if coordinator is not None and technician is not None:
        loans = _seed_case_logistics(coordinator, technician)
        loans += _seed_class_loans(coordinator)
    _seed_repairs(coordinator)
    if kits or loans:
        stdout.write(f"Demo inventory: {kits} kits, {loans} loans created.")
