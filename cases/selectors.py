"""Reads of connection cases, always scoped to what a person may see."""

from collections import defaultdict
from dataclasses import dataclass
import datetime

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import formats, timezone

from schools.models import School, StaffRole, User
from schools.selectors import managed_school_ids, school_search_q, user_has_staff_role, user_is_staff_member

from .models import (
    CASE_STATES,
    CLOSED_STATES,
    SCHOOL_REQUEST_STATES,
    STAFF_ACTION_STATES,
    CaseEvent,
    CaseStatus,
    ConnectionCase,
    school_year_label,
)


def user_can_request_cases(user) -> bool:
    return bool(managed_school_ids(user))


def user_can_read_health_data(user) -> bool:
    """Reason categories and certificates: staff coordinators only (every read is logged)."""
    return user_has_staff_role(user, StaffRole.COORDINATOR)


def cases_visible_to(user) -> QuerySet[ConnectionCase]:
    """Staff see every case; directors and delegates their schools' cases; nobody else any."""
    if user_is_staff_member(user):
        return ConnectionCase.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return ConnectionCase.objects.none()
    return ConnectionCase.objects.filter(school_id__in=school_ids)


def cases_of_director(user) -> QuerySet[ConnectionCase]:
    """The cases of the schools a person directs, as their own pages show them."""
    school_ids = managed_school_ids(user)
    if not school_ids:
        return ConnectionCase.objects.none()
    return ConnectionCase.objects.filter(school_id__in=school_ids)


def needs_action_q(user) -> Q:
    """Cases that are the user's or nobody's yet, and wait for staff: a state that is
    staff's move, or a presentation or letter the school asked for and nobody handled."""
    mine = Q(coordinator=user) | Q(coordinator__isnull=True)
    request_pending = Q(presentation_requested_at__isnull=False, presentation_handled_at__isnull=True) | Q(
        classmates_letter_requested_at__isnull=False, classmates_letter_handled_at__isnull=True
    )
    return mine & (
        Q(status__in=STAFF_ACTION_STATES) | (Q(status__in=SCHOOL_REQUEST_STATES) & request_pending)
    )


BOARD_SORTS = {
    "updated": ("-status_changed_at", "-id"),
    "-updated": ("status_changed_at", "id"),
    "number": ("number", "id"),
    "-number": ("-number", "-id"),
    "pupil": ("pupil_last_name", "pupil_first_name", "id"),
    "-pupil": ("-pupil_last_name", "-pupil_first_name", "-id"),
    "school": ("school__name", "id"),
    "-school": ("-school__name", "-id"),
    "state": ("status", "-status_changed_at", "-id"),
    "-state": ("-status", "-status_changed_at", "-id"),
    "submitted": ("-submitted_at", "-id"),
    "-submitted": ("submitted_at", "id"),
}
DEFAULT_SORT = "updated"
OPEN = "open"
CLOSED = "closed"


def programme_years(today: datetime.date | None = None) -> list[str]:
    """Recent school years, newest first, for the programme year filter (no query)."""
    today = today or timezone.localdate()
    first = int(school_year_label(today)[:4])
    return [f"{year}-{year + 1}" for year in range(first, first - 6, -1)]


@dataclass(frozen=True)
class BoardFilters:
    q: str = ""
    state: str = ""
    school: str = ""
    region: str = ""
    programme_year: str = ""
    needs_action: bool = False
    sort: str = DEFAULT_SORT


def case_search_q(word: str) -> Q:
    """Cases whose number ends with ``word`` (any case; the whole number included), whose
    pupil's name contains it, or whose school matches it (official number, part of the name).

    Each part is answered by an index (trigram indexes on the number and the names, the
    school's ids): the planner combines them instead of reading every case.
    """
    return (
        Q(number__iendswith=word)
        | Q(pupil_last_name__icontains=word)
        | Q(pupil_first_name__icontains=word)
        | school_search_q(word)
    )


def case_board(*, user, filters: BoardFilters) -> QuerySet[ConnectionCase]:
    """The staff board: every case except drafts, filtered, searched and sorted."""
    cases = (
        ConnectionCase.objects.exclude(status=CaseStatus.DRAFT)
        .select_related("school", "coordinator")
        .only(
            "public_id",
            "number",
            "status",
            "status_changed_at",
            "submitted_at",
            "pupil_first_name",
            "pupil_last_name",
            "planned_date",
            "presentation_requested_at",
            "presentation_handled_at",
            "classmates_letter_requested_at",
            "classmates_letter_handled_at",
            "school__name",
            "school__official_number",
            "school__city",
            "school__region",
            "coordinator__first_name",
            "coordinator__last_name",
            "coordinator__email",
        )
    )
    if filters.state == OPEN:
        cases = cases.exclude(status__in=CLOSED_STATES)
    elif filters.state == CLOSED:
        cases = cases.filter(status__in=CLOSED_STATES)
    elif filters.state:
        cases = cases.filter(status=filters.state)
    if filters.school:
        school = filters.school.strip()
        cases = cases.filter(Q(school__official_number__iexact=school) | Q(school__name__icontains=school))
    if filters.region:
        cases = cases.filter(school_region=filters.region)
    if filters.programme_year:
        cases = cases.filter(programme_year=filters.programme_year)
    if filters.needs_action:
        cases = cases.filter(needs_action_q(user))
    for word in filters.q.split()[:5]:
        cases = cases.filter(case_search_q(word))
    return cases.order_by(*BOARD_SORTS.get(filters.sort, BOARD_SORTS[DEFAULT_SORT]))


# The people a case page names besides its teachers: read by ``case_page_people`` in one query
# with the timeline's actors. Joined to the case, three copies of the people's table cost
# the planner more (about 1 ms) than the query that reads them apart.
CASE_PAGE_PEOPLE = ("coordinator", "decided_by", "created_by")


def case_for_page(queryset: QuerySet[ConnectionCase], *, staff: bool) -> QuerySet[ConnectionCase]:
    """Everything a case page shows, in a fixed number of queries (with ``case_page_people``)."""
    events = CaseEvent.objects.order_by("at", "pk")
    if not staff:
        events = events.filter(is_public=True)
    return queryset.select_related("school", "school_class").prefetch_related(
        "guardians",
        "teachers",
        Prefetch("events", queryset=events, to_attr="timeline"),
    )


def case_page_people(case: ConnectionCase) -> ConnectionCase:
    """The case's coordinator, decider and requester and its timeline's actors, in one query."""
    links = [(case, ConnectionCase._meta.get_field(name)) for name in CASE_PAGE_PEOPLE]
    links += [(event, CaseEvent._meta.get_field("actor")) for event in case.timeline]
    wanted = {getattr(row, field.attname) for row, field in links} - {None}
    people = User.objects.order_by().in_bulk(wanted) if wanted else {}
    for row, field in links:
        field.set_cached_value(row, people.get(getattr(row, field.attname)))
    return case


def dashboard_cases(user) -> dict[int, list[ConnectionCase]]:
    """Open cases, then those closed in the last 90 days, per school the user manages (one query)."""
    school_ids = managed_school_ids(user)
    if not school_ids:
        return {}
    recently = timezone.now() - datetime.timedelta(days=90)
    cases = (
        ConnectionCase.objects.filter(school_id__in=school_ids)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=recently))
        .only(
            "public_id",
            "school_id",
            "number",
            "status",
            "status_changed_at",
            "pupil_first_name",
            "pupil_last_name",
            "planned_date",
            "last_day_of_use",
            "eligibility_reason",
        )
        .order_by(F("closed_at").asc(nulls_first=True), "-status_changed_at", "-id")
    )
    grouped: dict[int, list[ConnectionCase]] = defaultdict(list)
    for case in cases[:200]:
        grouped[case.school_id].append(case)
    return grouped


def schools_for_new_request(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=managed_school_ids(user)).order_by("name")


# Plain words for schools: what the state means and what happens next.


def _day(day: datetime.date | None) -> str:
    return formats.date_format(day, "j F") if day else ""


def school_state_label(case: ConnectionCase) -> str:
    return str(CASE_STATES.school_label(case.status))


def _next(plain, on_day, day: datetime.date | None) -> str:
    if on_day and day:
        return str(on_day) % {"day": _day(day)}
    return str(plain)


def school_next_step(case: ConnectionCase) -> str:
    """What happens next, in the words a school director uses."""
    info = CASE_STATES[case.status]
    return _next(info.school_next, info.school_next_on, case.planned_date)


def staff_next_step(case: ConnectionCase) -> str:
    info = CASE_STATES[case.status]
    return _next(info.staff_next, info.staff_next_on, case.planned_date)
