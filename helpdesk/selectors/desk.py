"""The helpdesk itself: who tickets can be assigned to, and whether it is open now."""

from dataclasses import dataclass
import datetime

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES

from classcontact.shared_reads import SharedRead
from schools.models import User

from ..hours import HelpdeskCalendar
from ..models import CannedReply
from .visibility import HELPDESK_ROLES


def helpdesk_staff() -> QuerySet:
    """People tickets can be assigned to: active helpdesk agents and coordinators."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name__in=HELPDESK_ROLES) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def _assignable() -> list[tuple[int, str]]:
    return [(person.pk, str(person)) for person in helpdesk_staff()]


def _canned_replies() -> list[CannedReply]:
    return list(CannedReply.objects.filter(is_active=True))


# Read by every ticket page, changed now and then: kept between requests (classcontact.shared_reads).
# A log-in saves the person's last_login alone: the list stays.
ASSIGNABLE = SharedRead(
    "helpdesk:assignable-people",
    _assignable,
    models=[User, Group],
    through=[User.groups.through],
    unread_fields=["last_login"],
)
CANNED_REPLIES = SharedRead("helpdesk:canned-replies", _canned_replies, models=[CannedReply])


def assignable_people() -> list[tuple[int, str]]:
    """``helpdesk_staff`` as (id, name) options."""
    return ASSIGNABLE.get()


def canned_replies() -> list[CannedReply]:
    """The ready-made answers in use, in title order."""
    return CANNED_REPLIES.get()


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
