"""Visits: the list and a technician's agenda."""

from dataclasses import dataclass
import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Visit, VisitStatus
from .visibility import visits_visible_to

# --- visits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFilters:
    status: str = ""
    kind: str = ""
    technician: str = ""
    school: str = ""
    when: str = "upcoming"  # upcoming, past, all


def visit_list(*, user, filters: VisitFilters) -> QuerySet[Visit]:
    visits = visits_visible_to(user).select_related("school", "technician")
    now = timezone.now()
    if filters.status:
        visits = visits.filter(status=filters.status)
    if filters.kind:
        visits = visits.filter(kind=filters.kind)
    if filters.technician:
        visits = visits.filter(technician_id=filters.technician)
    if filters.school:
        visits = visits.filter(school_id=filters.school)
    if filters.when == "past":
        return visits.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    if filters.when == "upcoming":
        visits = visits.filter(starts_at__gte=now - datetime.timedelta(hours=12))
    return visits.order_by("starts_at", "pk")


@dataclass
class Agenda:
    overdue: list[Visit]
    today: list[Visit]
    this_week: list[Visit]
    later: list[Visit]
    done_today: list[Visit]


def technician_agenda(user, *, now: datetime.datetime | None = None, days_ahead: int = 21) -> Agenda:
    """A technician's visits: not yet marked done from before today, today, the rest of the
    week, and the next weeks; one query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    horizon = today + datetime.timedelta(days=days_ahead)
    tz = timezone.get_current_timezone()
    start_of_today = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    end_of_horizon = datetime.datetime.combine(horizon, datetime.time.max, tzinfo=tz)
    visits = list(
        Visit.objects.filter(technician=user, starts_at__lte=end_of_horizon)
        .filter(Q(status=VisitStatus.PLANNED) | Q(status=VisitStatus.DONE, done_at__gte=start_of_today))
        .select_related("school")
        .order_by("starts_at", "pk")[:200]
    )
    agenda = Agenda(overdue=[], today=[], this_week=[], later=[], done_today=[])
    for visit in visits:
        day = timezone.localdate(visit.starts_at)
        if visit.status == VisitStatus.DONE:
            agenda.done_today.append(visit)
        elif day < today:
            agenda.overdue.append(visit)
        elif day == today:
            agenda.today.append(visit)
        elif day <= week_end:
            agenda.this_week.append(visit)
        else:
            agenda.later.append(visit)
    return agenda


def visit_for_page(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    return queryset.select_related("school", "technician", "loan__kit", "done_by", "created_by")
