"""Reads of connection cases, always scoped to what a person may see."""

from collections import defaultdict
from dataclasses import dataclass
import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from schools.models import School, StaffRole
from schools.selectors import managed_school_ids, user_has_staff_role, user_is_staff_member

from .models import (
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
        cases = cases.filter(school__region=filters.region)
    if filters.programme_year:
        cases = cases.filter(programme_year=filters.programme_year)
    if filters.needs_action:
        cases = cases.filter(needs_action_q(user))
    for word in filters.q.split()[:5]:
        # Schools are matched first (a few thousand rows), so that the cases are scanned
        # once on their own columns instead of through a join.
        schools = School.objects.filter(Q(name__icontains=word) | Q(official_number__iexact=word)).values(
            "pk"
        )
        cases = cases.filter(
            Q(number__iexact=word)
            | Q(number__endswith=word)
            | Q(pupil_last_name__icontains=word)
            | Q(pupil_first_name__icontains=word)
            | Q(school_id__in=schools)
        )
    return cases.order_by(*BOARD_SORTS.get(filters.sort, BOARD_SORTS[DEFAULT_SORT]))


def case_for_page(queryset: QuerySet[ConnectionCase], *, staff: bool) -> QuerySet[ConnectionCase]:
    """Everything a case page shows, in a fixed number of queries."""
    events = CaseEvent.objects.select_related("actor").order_by("at", "pk")
    if not staff:
        events = events.filter(is_public=True)
    return queryset.select_related(
        "school", "school_class", "created_by", "coordinator", "decided_by"
    ).prefetch_related(
        "guardians",
        "teachers",
        Prefetch("events", queryset=events, to_attr="timeline"),
    )


def dashboard_cases(user) -> dict[int, list[ConnectionCase]]:
    """Open cases and those closed in the last 90 days, per school the user manages (one query)."""
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
        .order_by("-status_changed_at", "-id")
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
    labels = {
        CaseStatus.DRAFT: _("Draft, not sent yet"),
        CaseStatus.SUBMITTED: _("Request received"),
        CaseStatus.UNDER_REVIEW: _("Being reviewed"),
        CaseStatus.ELIGIBLE: _("Accepted"),
        CaseStatus.INELIGIBLE: _("Not accepted"),
        CaseStatus.KIT_ASSIGNED: _("Kit reserved"),
        CaseStatus.DOCUMENTS_SENT: _("Documents to sign"),
        CaseStatus.DOCUMENTS_SIGNED: _("Documents signed"),
        CaseStatus.INSTALLATION_PLANNED: _("Installation planned"),
        CaseStatus.ACTIVE: _("Connected"),
        CaseStatus.PAUSED: _("Paused"),
        CaseStatus.END_REQUESTED: _("Kit to collect"),
        CaseStatus.RETRIEVAL_PLANNED: _("Collection planned"),
        CaseStatus.KIT_RETURNED: _("Kit returned"),
        CaseStatus.CLOSED: _("Closed"),
        CaseStatus.WITHDRAWN: _("Withdrawn"),
    }
    return labels.get(case.status, case.get_status_display())


def school_next_step(case: ConnectionCase) -> str:
    """What happens next, in the words a school director uses."""
    steps = {
        CaseStatus.DRAFT: _("Finish the request and send it."),
        CaseStatus.SUBMITTED: _("The ClassContact team will review your request."),
        CaseStatus.UNDER_REVIEW: _("The ClassContact team is checking the request."),
        CaseStatus.ELIGIBLE: _("The ClassContact team is reserving a kit for the pupil."),
        CaseStatus.INELIGIBLE: _("Nothing more: see the reason for the decision."),
        CaseStatus.KIT_ASSIGNED: _(
            "You will receive the convention to sign; the parents will receive their engagement."
        ),
        CaseStatus.DOCUMENTS_SENT: _("Waiting for your signature and the parents' signatures."),
        CaseStatus.DOCUMENTS_SIGNED: _("The ClassContact team will plan the installation with you."),
        CaseStatus.INSTALLATION_PLANNED: _("Installation on %(day)s.") % {"day": _day(case.planned_date)}
        if case.planned_date
        else _("The installation date is being fixed."),
        CaseStatus.ACTIVE: _(
            "The pupil follows lessons with the class. Tell us when the kit is no longer needed."
        ),
        CaseStatus.PAUSED: _(
            "The connection is paused. The ClassContact team resumes it when the pupil is back."
        ),
        CaseStatus.END_REQUESTED: _("The ClassContact team will plan the collection of the kit."),
        CaseStatus.RETRIEVAL_PLANNED: _("Collection of the kit on %(day)s.")
        % {"day": _day(case.planned_date)}
        if case.planned_date
        else _("The collection date is being fixed."),
        CaseStatus.KIT_RETURNED: _("The kit is back and being checked; the case will then close."),
    }
    return steps.get(case.status, _("Nothing more to do."))


def staff_next_step(case: ConnectionCase) -> str:
    status = case.status
    steps = {
        CaseStatus.SUBMITTED: _("Start the review."),
        CaseStatus.UNDER_REVIEW: _("Check eligibility and decide."),
        CaseStatus.ELIGIBLE: _("Reserve a kit."),
        CaseStatus.KIT_ASSIGNED: _("Send the convention and the engagement."),
        CaseStatus.DOCUMENTS_SENT: _("Waiting for signatures."),
        CaseStatus.DOCUMENTS_SIGNED: _("Plan the installation."),
        CaseStatus.INSTALLATION_PLANNED: _("Installation on %(day)s.") % {"day": _day(case.planned_date)}
        if case.planned_date
        else _("Installation to date."),
        CaseStatus.ACTIVE: _("Connected."),
        CaseStatus.PAUSED: _("Paused: resume when the pupil is back."),
        CaseStatus.END_REQUESTED: _("Plan the retrieval."),
        CaseStatus.RETRIEVAL_PLANNED: _("Retrieval on %(day)s.") % {"day": _day(case.planned_date)}
        if case.planned_date
        else _("Retrieval to date."),
        CaseStatus.KIT_RETURNED: _("Close the case."),
    }
    return steps.get(status, "")
