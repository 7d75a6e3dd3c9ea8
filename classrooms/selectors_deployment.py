"""Reads of the deployment: the plan grid, the free kits, a class's placement, the trainings."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from loans.models import LENDABLE_STATES, Kit, Loan, LoanStatus, Programme, Visit
from schools.models import Membership, MembershipRole, School, Trimester

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
)
#: A page of the plan: this many kits, and at most this many classes waiting for a kit.
PLAN_KITS_PER_PAGE = 40
UNPLACED_SHOWN = 30
#: A class booked on the plan holds one of these loans (the kit not back yet).
OPEN_LOAN_STATES = (LoanStatus.RESERVED, LoanStatus.LENT)
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
        school_name=application.school_name,
        class_name=class_name,
        status_label=labels[application.status],
        badge=APPLICATION_STATES.badge(application.status),
    )


@dataclass
class PlanGrid:
    trimesters: list[Trimester]
    rows: list[tuple[Kit, list[PlanCell]]]
    unplaced: list[Application] = field(default_factory=list)
    #: More classes wait for a kit than ``unplaced`` shows.
    more_unplaced: bool = False


@dataclass(frozen=True)
class PlanFilters:
    """The kits a page of the plan shows: of a type, of an owner ("" is the programme's own,
    None any), whose code contains ``code``, with at least one trimester free."""

    kit_type: int | None = None
    owner: str | None = None
    code: str = ""
    free_only: bool = False


def _plan_loans(campaign: Campaign, trimester_ids: list[int]) -> QuerySet[Loan]:
    """The loans the grid shows: of the campaign's classes, in its trimesters."""
    return Loan.objects.filter(
        holder_type=ContentType.objects.get_for_model(Application),
        holder_id__in=Application.objects.filter(campaign=campaign).values("pk"),
        trimester_id__in=trimester_ids,
        status__in=PLAN_LOAN_STATES,
    )


def plan_kits(campaign: Campaign, trimester_ids: list[int], filters: PlanFilters) -> QuerySet[Kit]:
    """The rows of the grid, by code: the campaign's kits of a mobile classroom type (a kit
    booked for one of its classes joins them, see ``services.deployment``)."""
    kits = Kit.objects.filter(classroom_campaigns=campaign, kit_type__programme=Programme.MOBILE_CLASSROOM)
    if filters.kit_type is not None:
        kits = kits.filter(kit_type_id=filters.kit_type)
    if filters.owner is not None:
        kits = kits.filter(owner=filters.owner)
    if filters.code:
        kits = kits.filter(code__icontains=filters.code)
    if filters.free_only:
        taken = (
            _plan_loans(campaign, trimester_ids)
            .filter(kit=OuterRef("pk"))
            .order_by()
            .values("kit")
            .annotate(n=Count("trimester", distinct=True))
            .values("n")
        )
        kits = kits.annotate(taken=Coalesce(Subquery(taken), 0)).filter(taken__lt=len(trimester_ids))
    return kits.order_by("code")


def plan_owners(campaign: Campaign) -> list[str]:
    """The partners who own kits of the campaign, for the plan's filter."""
    kits = Kit.objects.filter(classroom_campaigns=campaign).exclude(owner="")
    return list(kits.order_by("owner").values_list("owner", flat=True).distinct())


def plan_trimesters(campaign: Campaign) -> list[Trimester]:
    return list(campaign.trimesters.select_related("school_year").order_by("start"))


def plan_grid(
    campaign: Campaign, *, trimesters: list[Trimester] | None = None, kits: list[Kit] | None = None
) -> PlanGrid:
    """The grid of a page of kits (all the campaign's by default): the class each kit goes to
    in each trimester, in three queries whatever the number of kits and classes."""
    if trimesters is None:
        trimesters = plan_trimesters(campaign)
    if kits is None:
        kits = list(plan_kits(campaign, [t.pk for t in trimesters], PlanFilters()))
    loans = list(
        _plan_loans(campaign, [t.pk for t in trimesters])
        .filter(kit__in=kits)
        .only("pk", "kit_id", "trimester_id", "holder_id", "holder_type_id", "status", "start", "end")
    )
    applications = Application.objects.filter(
        pk__in=[loan.holder_id for loan in loans], status__in=DEPLOYMENT_STATES
    ).order_by()
    applications = {a.pk: a for a in _for_plan(applications)}
    cells = {(loan.kit_id, loan.trimester_id): loan for loan in loans}
    labels = {value: str(label) for value, label in (*ApplicationStatus.choices, *ClassLevel.choices)}
    rows = []
    for kit in kits:
        line = []
        for trimester in trimesters:
            loan = cells.get((kit.pk, trimester.pk))
            line.append(_cell(loan, applications.get(loan.holder_id) if loan else None, labels))
        rows.append((kit, line))
    unplaced = unplaced_classes(campaign)
    return PlanGrid(
        trimesters=trimesters,
        rows=rows,
        unplaced=unplaced[:UNPLACED_SHOWN],
        more_unplaced=len(unplaced) > UNPLACED_SHOWN,
    )


def unplaced_classes(campaign: Campaign) -> list[Application]:
    """Accepted classes of the campaign without a kit booked (the first ones, by trimester and
    number, and one more to tell whether others wait)."""
    booked = Loan.objects.filter(
        holder_type=ContentType.objects.get_for_model(Application),
        holder_id=OuterRef("pk"),
        status__in=OPEN_LOAN_STATES,
    )
    waiting = (
        Application.objects.filter(campaign=campaign, status__in=(A.ACCEPTED, A.TRAINING_REGISTERED))
        .exclude(Exists(booked))
        .order_by(F("accepted_trimester_id").asc(nulls_first=True), "number")
    )
    return list(_for_plan(waiting)[: UNPLACED_SHOWN + 1])


def _for_plan(applications: QuerySet[Application]) -> QuerySet[Application]:
    """What the plan shows of classes, their school's name read by its key: a join would let
    the planner hash every school of the directory."""
    school = School.objects.filter(pk=OuterRef("school_id")).order_by().values("name")[:1]
    return applications.only(*PLAN_APPLICATION_FIELDS).annotate(school_name=Subquery(school))


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
