"""The deployment plan: a precise kit for each accepted class and trimester, its visits, its loan.

A placement is a loan of ``loans`` for the class and its trimester whose record is the
application, so the logistics' exclusion constraint keeps a kit out of two classes at once.
``ClassroomHolder`` answers the logistics' questions about an application and hears of the
delivery done and the kit checked in (registered in ``ClassroomsConfig.ready``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.workflow import InvalidTransition, check_transition
from loans import services as loan_services
from loans.holders import HolderHandler
from loans.models import LENDABLE_STATES, Kit, Loan, LoanStatus, Programme, Visit, VisitKind, VisitStatus
from loans.selectors import holder_open_loan
from schools.models import SchoolClass, Trimester, User

from .. import roles
from ..models import TRANSITIONS, Application, ApplicationStatus, Campaign, EventKind
from .common import ERROR_NOT_ALLOWED, ERROR_REASON_REQUIRED, ClassroomError, lock, move, record
from .evaluation import evaluation_complete_if_ready

A = ApplicationStatus

ERROR_NOT_PLACEABLE = _("Only an accepted class can be placed on the plan.")
ERROR_ALREADY_PLACED = _("This class already has a kit on the plan: move it instead.")
ERROR_NOT_PLACED = _("Place the class on the plan with a kit first.")
ERROR_NOT_MOBILE_KIT = _("Only a kit of a mobile classroom type can be lent to a class.")
ERROR_KIT_NOT_LENDABLE = _("This kit cannot be lent (lost or retired).")
ERROR_ALREADY_DELIVERED = _("The kit is already at the school: it can no longer be moved.")
ERROR_TRIMESTER_NOT_OFFERED = _("This trimester is not offered by the campaign.")
ERROR_NOT_A_DEPLOYMENT_VISIT = _("Plan a delivery and installation visit or a pickup visit.")
ERROR_NOT_READY_FOR_RETURN = _("The kit of this class can only be checked in once its loan has started.")

#: The visits of a placement: the delivery and installation, and the pickup.
DEPLOYMENT_VISITS = (VisitKind.INSTALLATION, VisitKind.RETRIEVAL)
#: States in which the class's kit is still at the depot and may change.
BEFORE_DELIVERY = frozenset({A.ACCEPTED, A.TRAINING_REGISTERED})


def _require_planner(by: User | None) -> None:
    if by is not None and not roles.plans_deployment(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)


def _check_kit(kit: Kit) -> None:
    if kit.kit_type.programme != Programme.MOBILE_CLASSROOM:
        raise ClassroomError(ERROR_NOT_MOBILE_KIT)
    if kit.state not in LENDABLE_STATES:
        raise ClassroomError(ERROR_KIT_NOT_LENDABLE)


def class_of(application: Application, trimester: Trimester) -> SchoolClass:
    """The school's class the application is for, in the directory (made on first placement)."""
    school_class, created = SchoolClass.objects.get_or_create(
        school_id=application.school_id,
        name=(application.class_name or application.number_display)[:60],
        school_year=trimester.school_year.label,
        defaults={"level": application.get_level_display() if application.level else ""},
    )
    if created:
        school_class.teachers.set(application.teachers.all())
    return school_class


@contextmanager
def _logistics_refusal() -> Iterator[None]:
    """A refusal of the logistics (a kit booked, a visit in the past) is the programme's to show."""
    try:
        yield
    except loan_services.KitError as error:
        raise ClassroomError(error.message) from error


def _book(application: Application, *, kit: Kit, trimester: Trimester, by: User | None, notes: str) -> Loan:
    _check_kit(kit)
    with _logistics_refusal():
        loan = loan_services.loan_create_for_class(
            kit=kit,
            school_class=class_of(application, trimester),
            trimester=trimester,
            holder=application,
            reference=application.number_display,
            by=by,
            notes=notes,
        )
    # A kit that holds a class of the campaign is one of its kits: the plan lists the
    # campaign's kits, a page at a time, without searching the loans for others.
    Campaign.kits.through.objects.bulk_create(
        [Campaign.kits.through(campaign_id=application.campaign_id, kit_id=kit.pk)], ignore_conflicts=True
    )
    return loan


@transaction.atomic
def placement_create(*, application: Application, kit: Kit, by: User | None, notes: str = "") -> Loan:
    """Place an accepted class on the plan: the kit is booked for its trimester.

    Effects: a loan of the kit to the class over the trimester, for the application
    (refused for a kit of another programme, lost or retired, or booked over these dates,
    whether the service or the database notices); the kit joins the campaign's kits if it
    was not one of them; a timeline event the school sees.
    """
    _require_planner(by)
    application = lock(application)
    if application.status not in BEFORE_DELIVERY or application.accepted_trimester_id is None:
        raise ClassroomError(ERROR_NOT_PLACEABLE)
    if holder_open_loan(application) is not None:
        raise ClassroomError(ERROR_ALREADY_PLACED)
    trimester = Trimester.objects.select_related("school_year").get(pk=application.accepted_trimester_id)
    loan = _book(application, kit=kit, trimester=trimester, by=by, notes=notes)
    message = _("Kit %(kit)s, %(trimester)s") % {"kit": kit.code, "trimester": trimester}
    record(application, kind=EventKind.PLACED, by=by, message=message)
    return loan


@transaction.atomic
def placement_move(
    *,
    application: Application,
    by: User | None,
    reason: str,
    kit: Kit | None = None,
    trimester: Trimester | None = None,
) -> Loan:
    """Move a placed class to another kit and/or trimester, in one action with a reason.

    Effects: the old booking is cancelled and its planned visits too (their technician and
    the school are told); the new kit is booked for the new trimester (refused as a
    placement is, and then nothing changes) and joins the campaign's kits as a placement's
    does; the application's trimester follows; a timeline event with the reason is mailed
    to the school.
    """
    _require_planner(by)
    if not reason.strip():
        raise ClassroomError(ERROR_REASON_REQUIRED)
    application = lock(application)
    old = holder_open_loan(application)
    if old is None:
        raise ClassroomError(ERROR_NOT_PLACED)
    if old.status != LoanStatus.RESERVED or application.status not in BEFORE_DELIVERY:
        raise ClassroomError(ERROR_ALREADY_DELIVERED)
    kit = kit or old.kit
    trimester = trimester or old.trimester
    if not application.campaign.trimesters.filter(pk=trimester.pk).exists():
        raise ClassroomError(ERROR_TRIMESTER_NOT_OFFERED)
    for visit in old.visits.filter(status=VisitStatus.PLANNED):
        loan_services.visit_cancel(visit=visit, by=by, reason=reason)
    loan_services.loan_cancel(loan=old, by=by, reason=reason)
    trimester = Trimester.objects.select_related("school_year").get(pk=trimester.pk)
    loan = _book(application, kit=kit, trimester=trimester, by=by, notes=reason.strip())
    application.accepted_trimester = trimester
    application.save(update_fields=["accepted_trimester"])
    message = _("Kit %(kit)s, %(trimester)s. Reason: %(reason)s") % {
        "kit": kit.code,
        "trimester": trimester,
        "reason": reason.strip(),
    }
    record(application, kind=EventKind.MOVED, by=by, message=message)
    return loan


def delivery_day(trimester: Trimester) -> datetime.date:
    """The suggested delivery: the last working day before the trimester starts."""
    day = trimester.start - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def pickup_day(trimester: Trimester) -> datetime.date:
    """The suggested pickup: the first working day after the trimester's last day."""
    day = trimester.end + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@transaction.atomic
def deployment_visit_plan(
    *,
    application: Application,
    kind: str,
    starts_at: datetime.datetime,
    technician: User,
    by: User | None,
    duration_minutes: int = 120,
    notes: str = "",
) -> Visit:
    """Plan the delivery-and-installation or the pickup visit of a placed class, bound to its loan.

    Effects: the visit of the logistics (its e-mails, the technician's pages and calendar
    feeds) at the class's school, for the application.
    """
    _require_planner(by)
    if kind not in DEPLOYMENT_VISITS:
        raise ClassroomError(ERROR_NOT_A_DEPLOYMENT_VISIT)
    application = lock(application)
    loan = holder_open_loan(application)
    if loan is None:
        raise ClassroomError(ERROR_NOT_PLACED)
    with _logistics_refusal():
        return loan_services.visit_plan(
            kind=kind,
            starts_at=starts_at,
            technician=technician,
            by=by,
            loan=loan,
            holder=application,
            reference=application.number_display,
            duration_minutes=duration_minutes,
            notes=notes,
        )


def application_mark_delivered(*, application: Application, by: User | None, note: str = "") -> None:
    """The kit is installed in the class (the caller holds the application's lock).

    Effects: delivered; in progress at once when the trimester has already begun.
    """
    move(application, target=A.DELIVERED, by=by, kind=EventKind.DELIVERED, message=note)
    trimester = application.accepted_trimester
    if trimester is not None and trimester.start <= timezone.localdate():
        move(application, target=A.IN_PROGRESS, by=by, kind=EventKind.LOAN_STARTED)


@transaction.atomic
def application_start_loan(*, application: Application, by: User | None = None) -> Application:
    """The trimester has begun for a delivered class: its loan is in progress."""
    application = lock(application)
    move(application, target=A.IN_PROGRESS, by=by, kind=EventKind.LOAN_STARTED)
    return application


def deployments_start_due(*, today: datetime.date | None = None) -> int:
    """Every delivered class whose trimester has begun moves to in progress (a daily task)."""
    today = today or timezone.localdate()
    due = Application.objects.filter(status=A.DELIVERED, accepted_trimester__start__lte=today)
    count = 0
    for application in due.order_by("pk").iterator():
        application_start_loan(application=application)
        count += 1
    return count


class ClassroomHolder(HolderHandler):
    """What the logistics ask of a class's application and tell it."""

    def check_in_refusal(self, holder: Application) -> str | None:
        try:
            check_transition(TRANSITIONS, holder.status, A.RETURNED)
        except InvalidTransition:
            return str(ERROR_NOT_READY_FOR_RETURN)
        return None

    def kit_checked_in(self, holder: Application, *, loan: Loan, by: User | None, summary: str) -> None:
        move(holder, target=A.RETURNED, by=by, kind=EventKind.KIT_RETURNED, message=summary)
        # Entered during the loan, a complete evaluation closes the class as soon as the kit is back.
        evaluation_complete_if_ready(application=holder, by=by)

    def installation_done(self, holder: Application, *, visit: Visit, by: User | None) -> None:
        if holder.status in BEFORE_DELIVERY:
            application_mark_delivered(application=holder, by=by, note=str(visit.get_kind_display()))

    def description(self, holder: Application) -> str:
        teachers = holder.teacher_names.strip() or ", ".join(
            teacher.get_full_name() or teacher.email for teacher in holder.teachers.all()
        )
        trimester = holder.accepted_trimester
        parts = [holder.school.name, holder.class_display, teachers, str(trimester) if trimester else ""]
        return " · ".join(part for part in parts if part)

    def staff_url(self, model, holder_id: int) -> str | None:
        public_id = model.objects.filter(pk=holder_id).values_list("public_id", flat=True).first()
        return reverse("classrooms:review", kwargs={"application_id": public_id}) if public_id else None
