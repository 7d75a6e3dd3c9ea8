"""The staff queue and a school's ticket list, their search, and a ticket's history."""

import datetime
import re

from django.db.models import F, Q, QuerySet

from cases.models import format_case_number
from loans.models import Kit
from schools.models import School

from ..models import ACTIVE_STATUSES, Status, Ticket
from .targets import due_soon_q, next_due_expression, past_target_q
from .visibility import tickets_of_member

REFERENCE_RE = re.compile(r"^\s*HD-(\d{4})-(\d{1,9})\s*$", re.IGNORECASE)
CASE_NUMBER_RE = re.compile(r"^\s*CC-(\d{4})-(\d{1,9})\s*$", re.IGNORECASE)


# ---------------------------------------------------------------- lists and search


# Up to this many schools, a search filters tickets by a list of school ids (an indexed
# column the planner can combine with the trigram indexes); beyond it, by a subquery.
SCHOOL_ID_LIST_LIMIT = 200


def _school_q(text: str) -> Q:
    """Tickets of the schools whose official number is ``text`` or whose name contains it."""
    schools = School.objects.filter(Q(official_number__iexact=text) | Q(name__icontains=text))
    ids = list(schools.order_by("pk").values_list("pk", flat=True)[: SCHOOL_ID_LIST_LIMIT + 1])
    if len(ids) > SCHOOL_ID_LIST_LIMIT:
        return Q(school__in=schools)
    return Q(school_id__in=ids)


# A kit code has no space and fits its column: only such a query is looked up among kits.
KIT_CODE_MAX_LENGTH = Kit._meta.get_field("code").max_length


def _kit_q(text: str) -> Q | None:
    """Tickets about the kit whose code is ``text`` (any case); None when no kit has it."""
    if " " in text or len(text) > KIT_CODE_MAX_LENGTH:
        return None
    # A list of ids, not a subquery: the planner combines it with the other indexes.
    ids = list(Kit.objects.filter(code__iexact=text).values_list("pk", flat=True)[:10])
    return Q(kit_id__in=ids) if ids else None


def _search_q(query: str, *, with_schools: bool) -> Q:
    """A reference (HD-2026-00042, any case) or a case number (CC-2026-0042) exactly; else
    part of a reference or subject, a kit's code, and with ``with_schools`` part of a
    school's name or its official number."""
    match = REFERENCE_RE.match(query)
    if match:
        year, number = match.groups()
        return Q(reference=f"HD-{year}-{int(number):05d}")
    match = CASE_NUMBER_RE.match(query)
    if match:
        year, number = match.groups()
        return Q(case__number=format_case_number(int(year), int(number)))
    found = Q(reference__icontains=query) | Q(subject__icontains=query)
    kit = _kit_q(query)
    if kit is not None:
        found |= kit
    if with_schools:
        found |= _school_q(query)
    return found


# What a list shows of a ticket's links: the kit's code and the case's number, nothing more.
_LINK_COLUMNS = {"kit_code": F("kit__code"), "case_number": F("case__number")}

STATE_ACTIVE = "active"
STATE_ALL = "all"


def _filter_state(tickets: QuerySet[Ticket], state: str) -> QuerySet[Ticket]:
    if state == STATE_ALL:
        return tickets
    if state in Status.values:
        return tickets.filter(status=state)
    return tickets.filter(status__in=ACTIVE_STATUSES)


def school_ticket_list(user, *, state: str = STATE_ALL, query: str = "") -> QuerySet[Ticket]:
    """The tickets of the user's schools, newest first."""
    tickets = _filter_state(tickets_of_member(user), state).select_related("school", "opened_by")
    tickets = tickets.annotate(**_LINK_COLUMNS)
    if query:
        tickets = tickets.filter(_search_q(query, with_schools=False))
    return tickets.order_by("-created_at", "-pk")


def queue_tickets(
    *,
    user,
    now: datetime.datetime,
    soon: datetime.datetime,
    state: str = STATE_ACTIVE,
    category: str = "",
    school: str = "",
    assignee: str = "",
    due: str = "",
    query: str = "",
) -> QuerySet[Ticket]:
    """The staff queue: active tickets by their running target unless another state is chosen.

    ``assignee`` is a user id, ``"me"`` or ``"none"``; ``due`` is ``"soon"`` or ``"past"``;
    ``school`` matches a school's official number exactly or its name in part.
    """
    tickets = _filter_state(Ticket.objects.all(), state)
    if category:
        tickets = tickets.filter(category=category)
    if school:
        tickets = tickets.filter(
            Q(school__official_number__iexact=school) | Q(school__name__icontains=school)
        )
    if assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif assignee:
        tickets = tickets.filter(assignee_id=assignee)
    if due == "past":
        tickets = tickets.filter(past_target_q(now))
    elif due == "soon":
        tickets = tickets.filter(due_soon_q(now, soon))
    if query:
        tickets = tickets.filter(_search_q(query, with_schools=True))
    tickets = tickets.select_related("school", "assignee").annotate(**_LINK_COLUMNS)
    if state in (STATE_ACTIVE, *ACTIVE_STATUSES):
        return tickets.annotate(running_due=next_due_expression()).order_by(
            F("running_due").asc(nulls_last=True), "pk"
        )
    return tickets.order_by("-created_at", "-pk")


def ticket_history(ticket: Ticket, *, limit: int = 200) -> list:
    """The ticket's history rows, newest first, each with the field changes it made."""
    records = list(
        ticket.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    for newer, older in zip(records, records[1:], strict=False):
        newer.changes = newer.diff_against(older).changes
    for record in records[-1:]:
        record.changes = []
    return records[:limit]
