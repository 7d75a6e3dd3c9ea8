"""Builders for kits, loans and visits, made through the services as in real life."""

import datetime
import itertools

from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase
from loans import services as kit_services
from loans.models import Item, ItemCategory, Kit, KitType, KitTypeComponent
from schools.models import Region
from tests.builders.cases import make_case

_numbers = itertools.count(1)

CONNECTION_ITEMS = [
    (ItemCategory.CHROMEBOOK, "Acer Chromebook 314"),
    (ItemCategory.CAMERA_360, "Owl Meeting 360"),
    (ItemCategory.SPEAKERPHONE, "Jabra Speak 510"),
    (ItemCategory.KEYBOARD, "Logitech K380"),
]


def make_kit_type(code: str = "connection", programme: str = "connection") -> KitType:
    kit_type, created = KitType.objects.get_or_create(
        code=code, defaults={"name": f"Kit {code}", "programme": programme}
    )
    if created:
        for position, (category, _model) in enumerate(CONNECTION_ITEMS):
            KitTypeComponent.objects.create(
                kit_type=kit_type, category=category, quantity=1, position=position
            )
    return kit_type


def make_kit(
    kit_type: KitType | None = None,
    *,
    code: str = "",
    region: str = Region.BRUSSELS,
    items: bool = True,
    by=None,
) -> Kit:
    n = next(_numbers)
    kit = kit_services.kit_register(
        kit=Kit(code=code or f"CK-{n:04d}", kit_type=kit_type or make_kit_type(), region=region), by=by
    )
    if items:
        for category, model in CONNECTION_ITEMS:
            kit_services.item_register(
                item=Item(
                    kit=kit, category=category, model_name=model, serial_number=f"SN-{kit.code}-{category}"
                ),
                by=by,
            )
    return kit


def make_item(*, serial: str = "", category: str = ItemCategory.KEYBOARD, notes: str = "", by=None) -> Item:
    n = next(_numbers)
    item = Item(category=category, model_name="Spare", serial_number=serial or f"SPARE-{n:05d}", notes=notes)
    return kit_services.item_register(item=item, by=by)


def eligible_case(school, director, coordinator) -> ConnectionCase:
    return make_case(school, director, coordinator, status=CaseStatus.ELIGIBLE)


def case_with_kit(school, director, coordinator, kit: Kit | None = None, *, signed: bool = True):
    """An eligible case with a kit reserved (and its documents signed when ``signed``)."""
    case = eligible_case(school, director, coordinator)
    kit = kit or make_kit()
    loan = case_services.case_reserve_kit(case=case, kit=kit, by=coordinator)
    if signed:
        case = case_services.case_mark_documents_sent(case=case, by=coordinator)
        case = case_services.case_mark_documents_signed(case=case, by=None)
    case.refresh_from_db()
    return case, loan


def soon(days: int = 3, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def complete_installation(visit, technician, *, room: str = "B12"):
    """The technician marks an installation done (trained, guide handed over), ahead of its day."""
    return kit_services.visit_complete(
        visit=visit,
        by=technician,
        outcome="completed",
        training_given=True,
        user_guide_handed_over=True,
        room=room,
        early_reason="Done ahead of the plan.",
    )


def install(case: ConnectionCase, coordinator, technician):
    """Plan the installation visit of a case whose documents are signed, and complete it."""
    visit = case_services.case_visit_plan(
        kind="installation", case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    return complete_installation(visit, technician)


def installed_case(school, director, coordinator, technician, kit: Kit | None = None):
    """A case whose kit is installed: active, the loan lent."""
    case, loan = case_with_kit(school, director, coordinator, kit)
    install(case, coordinator, technician)
    case.refresh_from_db()
    loan.refresh_from_db()
    return case, loan


def retrieval_planned_case(school, director, coordinator, technician, kit: Kit | None = None):
    case, loan = installed_case(school, director, coordinator, technician, kit)
    case = case_services.case_request_end(
        case=case, by=director, last_day=timezone.localdate() + datetime.timedelta(days=5)
    )
    case_services.case_visit_plan(
        kind="retrieval", case=case, starts_at=soon(7), technician=technician, by=coordinator
    )
    case.refresh_from_db()
    loan.refresh_from_db()
    return case, loan


def past_loan(case, kit: Kit, *, start: datetime.date, end: datetime.date | None, by):
    """A kit lent to a case from ``start`` to ``end`` (None: still out), as the services leave it."""
    from loans.models import Loan, LoanStatus

    loan = case_services.case_reserve_kit(case=case, kit=kit, by=by)
    status = LoanStatus.LENT if end is None else LoanStatus.RETURNED
    Loan.objects.filter(pk=loan.pk).update(start=start, end=end, status=status)
    kit_services.kits_settle_free_from(Kit.objects.filter(pk=kit.pk))
    kit_services.kits_settle_use(Kit.objects.filter(pk=kit.pk))
    loan.refresh_from_db()
    return loan
