"""The helpdesk itself: who tickets can be assigned to, and whether it is open now."""

from dataclasses import dataclass
import datetime

from django.db.models import Q, QuerySet
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES

from schools.models import User

from ..hours import HelpdeskCalendar
from .visibility import HELPDESK_ROLES


def helpdesk_staff() -> QuerySet:
    """People tickets can be assigned to: active helpdesk agents and coordinators."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name__in=HELPDESK_ROLES) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


@dataclass(frozen=True)
class HelpdeskStatus:
    open_now: bool
    closes_at: datetime.datetime | None
    opens_at: datetime.datetime | None
    weekly_hours: list[tuple[str, datetime.time, datetime.time]]


def helpdesk_status(calendar: HelpdeskCalendar, now: datetime.datetime) -> HelpdeskStatus:
    """Open now (until when), or when it opens next (holidays included; None: not known)."""
    weekly = [(WEEKDAY_NAMES[day], *span) for day, span in sorted(calendar.hours.items()) if span]
    closes_at = calendar.closing_time(now)
    if closes_at is not None:
        return HelpdeskStatus(True, closes_at, None, weekly)
    return HelpdeskStatus(False, None, calendar.next_opening(now), weekly)
