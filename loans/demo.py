"""Demo inventory: kit types, a dozen kits with their serial numbers, the mobile classroom
kits' loans and a repair or two. The demo cases' own kits come with ``cases.demo_logistics``.

Objects are only created when missing, so running it twice changes nothing; no e-mail leaves.
"""

import datetime

from django.utils import timezone

from schools.models import Region, School, SchoolClass, Trimester, User

from . import services
from .models import (
    InventoryState,
    Item,
    ItemCategory,
    Kit,
    KitType,
    KitTypeComponent,
    Loan,
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
        kit = services.kit_register(
            kit=Kit(code=code, kit_type=types[type_code], region=region, depot=depot), by=coordinator
        )
        created += 1
        for category, quantity, model in KIT_TYPES[0 if type_code == "connection" else 1][4]:
            for index in range(quantity):
                serial = f"{SERIAL_PREFIX[category]}{number:03d}{index:02d}{code[-1]}"
                if Item.objects.filter(serial_number__iexact=serial).exists():
                    continue
                services.item_register(
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
            services.item_register(
                item=Item(category=category, model_name="Pièce de rechange", serial_number=serial),
                by=coordinator,
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
        loan = services.loan_create_for_class(
            kit=kit, school_class=school_class, trimester=trimester, by=coordinator
        )
        created += 1
        if trimester.start <= today:
            services.loan_hand_over(loan=loan, by=coordinator, room="Local informatique")
    return created


def _seed_repairs(coordinator: User | None) -> None:
    """One kit waiting for a repair, one lost keyboard: the inventory is never perfect."""
    kit = Kit.objects.filter(code="CK-0010", state=InventoryState.AVAILABLE).first()
    if kit is not None:
        camera = kit.items.filter(category=ItemCategory.CAMERA_360).first()
        if camera is not None:
            services.item_send_to_repair(
                item=camera,
                by=coordinator,
                problem="La caméra ne fait plus la mise au point.",
                workshop="Atelier Nord",
            )
    lost = Item.objects.filter(serial_number="SPARE-001", state=InventoryState.AVAILABLE).first()
    if lost is not None:
        services.item_mark_lost(item=lost, by=coordinator, notes="Oublié lors d'un transport.")


def seed(stdout) -> None:
    coordinator = User.objects.filter(email=COORDINATOR).first()
    kits = _seed_inventory(coordinator)
    loans = _seed_class_loans(coordinator) if coordinator is not None else 0
    _seed_repairs(coordinator)
    if kits or loans:
        stdout.write(f"Demo inventory: {kits} kits, {loans} loans created.")
