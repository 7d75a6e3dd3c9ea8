"""Reads of the mobile classroom programme, always scoped to what a person may see."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from loans.models import Programme
from schools.models import Membership, School, User

from . import roles
from .models import (
    APPLICATION_STATES,
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationStatus,
    Campaign,
    CommissionSession,
    Proposal,
    ProposalOutcome,
    SessionStatus,
)

A = ApplicationStatus


def member_school_ids(user) -> list[int]:
    """Schools where the person is director, delegate or teacher (cached for one request)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_member_school_ids", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("school_id", flat=True))
        user._member_school_ids = cached
    return cached


def applications_of_member(user) -> QuerySet[Application]:
    """The applications of the person's schools (the school's pages)."""
    school_ids = member_school_ids(user)
    if not school_ids:
        return Application.objects.none()
    return Application.objects.filter(school_id__in=school_ids)


def applications_for_inspector(user) -> QuerySet[Application]:
    """The sent applications of the schools of the districts the person inspects."""
    if not roles.is_inspector(user):
        return Application.objects.none()
    return Application.objects.exclude(status=A.DRAFT).filter(school__inspection_district__inspector=user)


def applications_followed_by(user) -> QuerySet[Application]:
    """Sent applications a programme role follows: all of them, or a resource teacher's sectors."""
    sent = Application.objects.exclude(status=A.DRAFT)
    if roles.follows_all(user):
        return sent
    if roles.is_resource_teacher(user):
        return sent.filter(school__inspection_district__resource_teachers=user)
    return Application.objects.none()


def applications_reviewed_by(user) -> QuerySet[Application]:
    """Every application the person reads on the programme's side (not the school's)."""
    if roles.follows_all(user):
        return applications_followed_by(user)
    inspected = applications_for_inspector(user)
    followed = applications_followed_by(user)
    if roles.is_inspector(user) and roles.is_resource_teacher(user):
        return inspected | followed
    return inspected if roles.is_inspector(user) else followed


def applications_visible_to(user) -> QuerySet[Application]:
    """The school's own applications, or those the person's programme role reads."""
    if not user.is_authenticated:
        return Application.objects.none()
    if roles.has_programme_role(user):
        return applications_reviewed_by(user) | applications_of_member(user)
    return applications_of_member(user)


def attachments_visible_to(user) -> QuerySet[ApplicationAttachment]:
    return ApplicationAttachment.objects.filter(application__in=applications_visible_to(user))


def open_campaigns(today=None) -> QuerySet[Campaign]:
    today = today or timezone.localdate()
    return Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("opens_on", "pk")


def schools_applying(user) -> QuerySet[School]:
    """The person's schools that take part in the programme."""
    return School.objects.filter(pk__in=member_school_ids(user), eligible_mobile_classroom=True).order_by(
        "name"
    )


def schools_invitable_by(user) -> QuerySet[School]:
    """Schools the person may invite: an inspector's districts', a resource teacher's sectors', any for an adviser."""
    schools = School.objects.filter(eligible_mobile_classroom=True, is_active=True)
    if roles.is_adviser(user):
        return schools
    scope = Q(pk__in=[])
    if roles.is_inspector(user):
        scope |= Q(inspection_district__inspector=user)
    if roles.is_resource_teacher(user):
        scope |= Q(inspection_district__resource_teachers=user)
    return schools.filter(scope).distinct()


def application_for_page(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """What an application page shows, in a fixed number of queries."""
    return queryset.select_related(
        "campaign",
        "school__inspection_district__inspector",
        "invited_by",
        "opinion_by",
        "accepted_trimester__school_year",
        "accepted_kit_type",
        "created_by",
    ).prefetch_related(
        "teachers",
        Prefetch("preferred_trimesters"),
        Prefetch("attachments", queryset=ApplicationAttachment.objects.order_by("created_at", "pk")),
    )


def timeline(application: Application, *, public_only: bool) -> list[ApplicationEvent]:
    events = application.events.select_related("actor").order_by("at", "pk")
    if public_only:
        events = events.filter(is_public=True)
    return list(events)


def school_state_label(application: Application) -> str:
    return APPLICATION_STATES.school_label(application.status)


def school_next_step(application: Application) -> str:
    return APPLICATION_STATES[application.status].school_next


# The adviser's list ---------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFilters:
    q: str = ""
    campaign: str = ""
    district: str = ""
    state: str = ""
    level: str = ""
    origin: str = ""


LIST_FIELDS = (
    "public_id",
    "number",
    "status",
    "status_changed_at",
    "submitted_at",
    "class_name",
    "level",
    "pupil_count",
    "origin",
    "opinion",
    "school__name",
    "school__city",
    "school__inspection_district__name",
)


def application_list(*, user, filters: ApplicationFilters) -> QuerySet[Application]:
    """The programme's applications, filtered and searched, the most recently changed first."""
    applications = (
        applications_reviewed_by(user).select_related("school__inspection_district").only(*LIST_FIELDS)
    )
    if filters.campaign.isdigit():
        applications = applications.filter(campaign_id=int(filters.campaign))
    if filters.district.isdigit():
        applications = applications.filter(school__inspection_district_id=int(filters.district))
    if filters.state in A.values:
        applications = applications.filter(status=filters.state)
    if filters.level:
        applications = applications.filter(level=filters.level)
    if filters.origin:
        applications = applications.filter(origin=filters.origin)
    query = filters.q.strip()
    if query:
        applications = applications.filter(pk__in=_search(query))
    return applications.order_by("-status_changed_at", "-id")


def _search(query: str) -> QuerySet[Application]:
    """The applications a search finds: its number, or part of its school's name or city or of
    its class's name. One query per indexed column, put together by a UNION: an OR across the
    school's join would read every application."""
    schools = School.objects.filter(Q(name__icontains=query) | Q(city__icontains=query)).values("pk")
    found = Application.objects.order_by().values("pk")
    return (
        found.filter(school__in=schools)
        .union(found.filter(number__iexact=query), found.filter(class_name__icontains=query))
        .order_by()
    )


def inspector_inbox(user) -> tuple[list[Application], QuerySet[Application]]:
    """An inspector's applications: those waiting for their opinion (oldest first), then the rest."""
    base = applications_for_inspector(user).select_related("school", "campaign")
    waiting = list(base.filter(status=A.SUBMITTED).order_by("submitted_at", "pk"))
    others = base.exclude(status=A.SUBMITTED).order_by("-status_changed_at", "-pk")
    return waiting, others


# Sessions -------------------------------------------------------------------------------


def sessions_visible_to(user) -> QuerySet[CommissionSession]:
    if not roles.reads_sessions(user):
        return CommissionSession.objects.none()
    return CommissionSession.objects.all()


def sessions_to_decide(user) -> QuerySet[CommissionSession]:
    if not roles.decides(user):
        return CommissionSession.objects.none()
    return CommissionSession.objects.filter(status__in=[SessionStatus.SENT, SessionStatus.DECIDED])


def session_list(user) -> QuerySet[CommissionSession]:
    return (
        sessions_visible_to(user)
        .select_related("campaign", "chair")
        .annotate(application_count=Count("proposals"))
        .order_by("-held_on", "-pk")
    )


def session_proposals(session: CommissionSession) -> list[Proposal]:
    """The session's proposals, ranked first (by rank), unranked after."""
    return list(
        session.proposals.select_related(
            "application__school__inspection_district", "trimester__school_year", "kit_type", "decided_by"
        ).order_by("rank", "application__submitted_at", "pk")
    )


def applications_ready_for(session: CommissionSession) -> QuerySet[Application]:
    """Applications of the session's campaign with an opinion, not on any agenda."""
    return (
        Application.objects.filter(campaign_id=session.campaign_id, status=A.OPINION_GIVEN)
        .select_related("school")
        .order_by("submitted_at", "pk")
    )


@dataclass
class GridCell:
    taken: list[Proposal]
    capacity: int

    @property
    def full(self) -> bool:
        return len(self.taken) >= self.capacity


def capacity_by_kit_type(campaign: Campaign) -> dict[int, int]:
    """How many kits of each type the campaign offers: {kit type id: count}."""
    # Only kits made for a class count: a connection kit listed by mistake is never offered.
    kits = campaign.kits.filter(kit_type__programme=Programme.MOBILE_CLASSROOM)
    rows = kits.values("kit_type_id").annotate(n=Count("pk")).order_by()
    return {row["kit_type_id"]: row["n"] for row in rows}


def slot_proposals(campaign: Campaign) -> QuerySet[Proposal]:
    """Proposals that hold a kit in a trimester: accept proposals not refused, of live applications."""
    return (
        Proposal.objects.filter(session__campaign=campaign, outcome=ProposalOutcome.ACCEPT)
        .exclude(decision="refused")
        .exclude(application__status__in=[A.WITHDRAWN, A.REFUSED])
    )


def calendar_grid(campaign: Campaign) -> dict:
    """The deployment calendar: for each trimester and kit type, the classes proposed and the kits."""
    from loans.models import KitType

    capacity = capacity_by_kit_type(campaign)
    kit_types = list(KitType.objects.filter(pk__in=capacity).order_by("name"))
    trimesters = list(campaign.trimesters.order_by("start"))
    cells = {(t.pk, k.pk): GridCell(taken=[], capacity=capacity[k.pk]) for t in trimesters for k in kit_types}
    for proposal in slot_proposals(campaign).select_related("application__school"):
        cell = cells.get((proposal.trimester_id, proposal.kit_type_id))
        if cell is not None:
            cell.taken.append(proposal)
    rows = [(t, [cells[(t.pk, k.pk)] for k in kit_types]) for t in trimesters]
    return {"kit_types": kit_types, "rows": rows}


def session_members(session: CommissionSession) -> list[User]:
    return list(session.members.order_by("last_name", "first_name"))
