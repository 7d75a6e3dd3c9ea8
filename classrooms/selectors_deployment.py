"""Reads of the deployment: the plan grid, the free kits, a class's placement, the trainings."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from loans.models import LENDABLE_STATES, Kit, Loan, LoanStatus, Programme, Visit
from schools.models import Membership, MembershipRole, Trimester

from .models import (
    APPLICATION_STATES,
    DEPLOYMENT_STATES,
    Application,
    ApplicationStatus,
    Campaign,
    ClassLevel,
    RegistrationStatus,
    TrainingRegistration,
    TrainingSession,
)

A = ApplicationStatus
#: The loans the plan shows: booked, out, or back (a cancelled one has left the plan).
PLAN_LOAN_STATES = (LoanStatus.RESERVED, LoanStatus.LENT, LoanStatus.RETURNED)
#: What the plan shows of a class.
PLAN_APPLICATION_FIELDS = (
    "pk",
    "public_id",
    "number",
    "status",
    "class_name",
    "level",
    "accepted_trimester_id",
    "school__name",
)
#: The classes whose teachers see the trainings of their campaign.
TRAINABLE_STATES = (A.ACCEPTED, A.TRAINING_REGISTERED, A.DELIVERED, A.IN_PROGRESS)


def application_loans(queryset: QuerySet[Application]) -> QuerySet[Loan]:
    """The loans (not cancelled) held by the applications of ``queryset``."""
    return Loan.objects.filter(
        holder_type=ContentType.objects.get_for_model(Application),
        holder_id__in=queryset.values("pk"),
        status__in=PLAN_LOAN_STATES,
    )


@dataclass
class PlanCell:
    loan: Loan | None = None
    application: Application | None = None
    # Read once here: a grid of hundreds of cells renders fast with plain strings.
    school_name: str = ""
    class_name: str = ""
    status_label: str = ""
    badge: str = ""


def _cell(loan: Loan | None, application: Application | None, labels: dict[str, str]) -> PlanCell:
    """A cell of the grid; ``labels`` translates states and levels once for the whole grid
    (``get_FOO_display`` hashes every choice at each call)."""
    if application is None:
        return PlanCell(loan=loan)
    class_name = " · ".join(
        part for part in (application.class_name, labels.get(application.level, "")) if part
    )
    return PlanCell(
        loan=loan,
        application=application,
        school_name=application.school.name,
        class_name=class_name,
        status_label=labels[application.status],
        badge=APPLICATION_STATES.badge(application.status),
    )


@dataclass
class PlanGrid:
    trimesters: list[Trimester]
    rows: list[tuple[Kit, list[PlanCell]]]
    unplaced: list[Application] = field(default_factory=list)


def plan_grid(campaign: Campaign) -> PlanGrid:
    """Trimesters × kits of a campaign and the class each kit goes to (four queries, any size)."""
    trimesters = list(campaign.trimesters.select_related("school_year").order_by("start"))
    applications = {
        a.pk: a
        for a in Application.objects.filter(campaign=campaign, status__in=DEPLOYMENT_STATES)
        .select_related("school")
        .only(*PLAN_APPLICATION_FIELDS)
    }
    loans = list(
        application_loans(Application.objects.filter(campaign=campaign)).only(
            "pk", "kit_id", "trimester_id", "holder_id", "holder_type_id", "status", "start", "end"
        )
    )
    kit_ids = {loan.kit_id for loan in loans}
    kits = list(
        Kit.objects.filter(
            Q(classroom_campaigns=campaign, kit_type__programme=Programme.MOBILE_CLASSROOM)
            | Q(pk__in=kit_ids)
        )
        .distinct()
        .order_by("code")
    )
    cells = {(loan.kit_id, loan.trimester_id): loan for loan in loans}
    labels = {value: str(label) for value, label in (*ApplicationStatus.choices, *ClassLevel.choices)}
    rows = []
    for kit in kits:
        line = []
        for trimester in trimesters:
            loan = cells.get((kit.pk, trimester.pk))
            line.append(_cell(loan, applications.get(loan.holder_id) if loan else None, labels))
        rows.append((kit, line))
    placed = {loan.holder_id for loan in loans}
    unplaced = [
        a
        for a in applications.values()
        if a.pk not in placed and a.status in (A.ACCEPTED, A.TRAINING_REGISTERED)
    ]
    unplaced.sort(key=lambda a: (a.accepted_trimester_id or 0, a.number or ""))
    return PlanGrid(trimesters=trimesters, rows=rows, unplaced=unplaced)


def free_kits(trimester: Trimester) -> QuerySet[Kit]:
    """Kits of a mobile classroom type that can be lent and are not booked during ``trimester``."""
    busy = Loan.objects.filter(kit=OuterRef("pk"), start__lte=trimester.end).exclude(
        status=LoanStatus.CANCELLED
    )
    busy = busy.filter(Q(end__isnull=True) | Q(end__gte=trimester.start))
    return (
        Kit.objects.filter(kit_type__programme=Programme.MOBILE_CLASSROOM, state__in=LENDABLE_STATES)
        .exclude(Exists(busy))
        .select_related("kit_type")
        .order_by("code")
    )


@dataclass
class Placement:
    loan: Loan | None
    visits: list[Visit]


def placement_of(application: Application) -> Placement:
    """The class's loan (the open one, else the last) and its visits (two queries)."""
    loan = (
        application_loans(Application.objects.filter(pk=application.pk))
        .select_related("kit__kit_type", "trimester__school_year", "school_class")
        .order_by("-created_at")
        .first()
    )
    visits = list(loan.visits.select_related("technician").order_by("starts_at")) if loan else []
    return Placement(loan=loan, visits=visits)


def teacher_applications(user) -> QuerySet[Application]:
    """Accepted classes of the schools where the person teaches (or directs)."""
    if not user.is_authenticated:
        return Application.objects.none()
    schools = Membership.objects.filter(
        user=user, role__in=[MembershipRole.TEACHER, MembershipRole.DIRECTOR, MembershipRole.DELEGATE]
    ).values("school_id")
    return Application.objects.filter(school_id__in=schools, status__in=TRAINABLE_STATES)


def upcoming_sessions(campaign_ids) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(campaign_id__in=campaign_ids, starts_at__gt=timezone.now())
        .select_related("trainer", "trimester__school_year")
        .order_by("starts_at", "pk")
    )


def registrations_of(user) -> dict[int, TrainingRegistration]:
    """The person's registrations (not cancelled), by session."""
    rows = TrainingRegistration.objects.filter(teacher=user).exclude(status=RegistrationStatus.CANCELLED)
    return {row.session_id: row for row in rows}


def seats_taken(session_ids) -> dict[int, int]:
    rows = (
        TrainingRegistration.objects.filter(session_id__in=session_ids, status=RegistrationStatus.REGISTERED)
        .values("session_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["session_id"]: row["n"] for row in rows}
