"""Reads of the helpdesk, always scoped to what a user may see."""

from collections.abc import Iterable
from dataclasses import dataclass
import datetime
import re

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

from loans.models import (
    CLOSED_STATES,
    ConnectionCase,
    Kit,
    Loan,
    LoanPurpose,
    LoanStatus,
    format_case_number,
)
from schools.models import Membership, MembershipRole, School, SchoolClass, StaffRole, User
from schools.selectors import user_has_staff_role, user_is_staff_member

from .hours import HelpdeskCalendar, HelpdeskHoursUnavailable
from .models import ACTIVE_STATUSES, HelpArticle, Status, Ticket, TicketAttachment, TicketMessage, Visibility

# A target is "due soon" when it falls within this many helpdesk hours from now.
DUE_SOON_HOURS = 2
REFERENCE_RE = re.compile(r"^\s*HD-(\d{4})-(\d{1,9})\s*$", re.IGNORECASE)
CASE_NUMBER_RE = re.compile(r"^\s*CC-(\d{4})-(\d{1,9})\s*$", re.IGNORECASE)
STOP_WORDS = frozenset(
    "les des une un le la du de et en au aux pas est sur dans pour par avec que qui ne plus "
    "the and for with not are this that from".split()
)


class TargetState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    LATE = "late", _("Late")
    MET = "met", _("Met")
    MISSED = "missed", _("Met late")
    NONE = "none", _("No target")


# ---------------------------------------------------------------- scoping

# Staff roles that work tickets (answer, assign, change states); other staff only read.
HELPDESK_ROLES = (StaffRole.HELPDESK_AGENT, StaffRole.COORDINATOR)


def user_works_helpdesk(user) -> bool:
    return user_has_staff_role(user, *HELPDESK_ROLES)


def tickets_of_member(user) -> QuerySet[Ticket]:
    """The tickets of the schools ``user`` belongs to (director, delegate or teacher)."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.filter(school__in=Membership.objects.filter(user=user).values("school"))


def schools_for_tickets(user) -> QuerySet:
    """The schools a user may open tickets for: those they belong to, in any role."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user).order_by("name")


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Staff see every ticket; anyone else, their own schools' tickets."""
    if user_is_staff_member(user):
        return Ticket.objects.all()
    return tickets_of_member(user)


def messages_visible_to(user, ticket: Ticket) -> QuerySet[TicketMessage]:
    """A ticket's messages in order; internal notes only for staff."""
    messages = ticket.messages.select_related("author").order_by("created_at", "pk")
    if not user_is_staff_member(user):
        messages = messages.filter(visibility=Visibility.PUBLIC)
    return messages


def attachments_visible_to(user) -> QuerySet[TicketAttachment]:
    attachments = TicketAttachment.objects.filter(ticket__in=tickets_visible_to(user))
    if not user_is_staff_member(user):
        attachments = attachments.filter(Q(message__isnull=True) | Q(message__visibility=Visibility.PUBLIC))
    return attachments


def attachments_by_message(user, ticket: Ticket) -> dict[int | None, list[TicketAttachment]]:
    """A ticket's attachments keyed by message id (None: sent with the ticket), one query."""
    grouped: dict[int | None, list[TicketAttachment]] = {}
    for attachment in attachments_visible_to(user).filter(ticket=ticket).order_by("created_at", "pk"):
        grouped.setdefault(attachment.message_id, []).append(attachment)
    return grouped


def articles_visible_to(user) -> QuerySet[HelpArticle]:
    if user_is_staff_member(user):
        return HelpArticle.objects.all()
    return HelpArticle.objects.filter(published=True)


# ---------------------------------------------------------------- links to cases and kits

OPEN_LOAN_STATES = (LoanStatus.RESERVED, LoanStatus.LENT)


def _current_cases_q(school_ids, person=None) -> Q:
    # Submitted (they have a number) and not closed; of the person's classes (see below).
    current = Q(school_id__in=school_ids, number__isnull=False) & ~Q(status__in=CLOSED_STATES)
    return current if person is None else current & _cases_of_person_q(person, school_ids)


def _cases_of_person_q(person, school_ids) -> Q:
    """Directors and delegates: every case of their schools; teachers: the cases of the classes
    they teach (a teacher of none of them sees none). ``person=None`` (staff): no limit."""
    managed = Membership.objects.filter(
        user=person, school_id__in=school_ids, role__in=[MembershipRole.DIRECTOR, MembershipRole.DELEGATE]
    ).values("school_id")
    taught = SchoolClass.teachers.through.objects.filter(
        schoolclass_id=OuterRef("school_class_id"), user=person
    )
    return Q(school_id__in=managed) | Q(Exists(taught))


def linkable_cases(school_ids, *, including: int | None = None, person=None) -> QuerySet[ConnectionCase]:
    """The cases a ticket of these schools may concern: submitted and not closed, newest
    first, with their class for the label; and the case ``including`` (a ticket's current
    one), whatever its state. Only the columns a label needs: no health-related data."""
    current = _current_cases_q(school_ids, person)
    if including is not None:
        current |= Q(pk=including)
    return (
        ConnectionCase.objects.filter(current)
        .select_related("school_class")
        .only(
            "pk",
            "public_id",
            "number",
            "school_id",
            "pupil_first_name",
            "pupil_last_name",
            "school_class__name",
        )
        .order_by("-number")
    )


def open_case_loans(school_ids, *, person=None) -> QuerySet[Loan]:
    """Loans (reserved or lent) of a kit to a current case of these schools."""
    return Loan.objects.filter(
        purpose=LoanPurpose.CONNECTION_CASE,
        status__in=OPEN_LOAN_STATES,
        case__in=ConnectionCase.objects.filter(_current_cases_q(school_ids, person)),
    )


def linkable_kits(school_ids, *, including: int | None = None, person=None) -> QuerySet[Kit]:
    """The kits now lent or reserved to a current case of these schools; and the kit
    ``including`` (a ticket's current one) even if it came back since."""
    current = Q(Exists(open_case_loans(school_ids, person=person).filter(kit=OuterRef("pk"))))
    if including is not None:
        current |= Q(pk=including)
    return Kit.objects.filter(current).only("pk", "code").order_by("code")


def kit_case_ids(kit: Kit, school_id: int, *, person=None) -> list[int]:
    """The current cases of ``school_id`` the kit is lent or reserved to, latest loan first
    (usually one; two when the next loan is booked before the kit comes back)."""
    loans = open_case_loans([school_id], person=person).filter(kit=kit).order_by("-start", "-pk")
    return list(loans.values_list("case_id", flat=True))


def pupil_short_name(case: ConnectionCase) -> str:
    """The pupil's first name and the initial of their last name (``Emma P.``): enough for
    a school to recognise the case, nothing more."""
    initial = f"{case.pupil_last_name[:1]}." if case.pupil_last_name else ""
    return " ".join(part for part in (case.pupil_first_name, initial) if part)


def case_label(case: ConnectionCase) -> str:
    """How a ticket names a case to schools and staff: number, class, pupil's first name and
    initial. Never the reason or any health-related data."""
    parts = [case.number or str(_("Draft"))]
    if case.school_class_id and case.school_class:
        parts.append(case.school_class.name)
    short = pupil_short_name(case)
    if short:
        parts.append(short)
    return " · ".join(parts)


@dataclass(frozen=True)
class LinkChoice:
    """One option of a ticket's case or kit list, with the school it belongs to."""

    pk: int
    label: str
    school_id: int | None


def link_choices(
    school_ids, *, current_case: ConnectionCase | None = None, current_kit: Kit | None = None, person=None
) -> tuple[list[LinkChoice], list[LinkChoice]]:
    """The case and kit options for a ticket of these schools, in one query.

    Cases: ``linkable_cases``. Kits: the one lent or reserved to each of those cases (a
    case has at most one open loan), named by code and case number. A ticket's current
    case and kit are kept among the options even when no longer current.
    """
    loans = open_case_loans(school_ids).filter(case=OuterRef("pk")).order_by("-start", "-pk")
    cases = linkable_cases(school_ids, person=person).annotate(
        open_kit_id=Subquery(loans.values("kit_id")[:1]),
        open_kit_code=Subquery(loans.values("kit__code")[:1]),
        open_kit_start=Subquery(loans.values("start")[:1]),
    )
    case_choices, kits = [], {}
    for case in cases:
        case_choices.append(LinkChoice(case.pk, case_label(case), case.school_id))
        if case.open_kit_id is None:
            continue
        seen = kits.get(case.open_kit_id)
        # A kit booked for two cases in turn: named with the latest loan's case.
        if seen is None or seen[0] < case.open_kit_start:
            choice = LinkChoice(case.open_kit_id, f"{case.open_kit_code} · {case.number}", case.school_id)
            kits[case.open_kit_id] = (case.open_kit_start, choice)
    kit_choices = sorted((choice for _start, choice in kits.values()), key=lambda choice: choice.label)
    if current_case is not None and current_case.pk not in {choice.pk for choice in case_choices}:
        case_choices.append(LinkChoice(current_case.pk, case_label(current_case), current_case.school_id))
    if current_kit is not None and current_kit.pk not in kits:
        kit_choices.append(LinkChoice(current_kit.pk, current_kit.code, None))
    return case_choices, kit_choices


# ---------------------------------------------------------------- targets


def next_due_expression() -> Case:
    """The target a ticket is running against: first answer until there is one, then resolution."""
    return Case(
        When(first_responded_at__isnull=True, then=F("first_response_due")),
        default=F("resolution_due"),
    )


def past_target_q(now: datetime.datetime) -> Q:
    """Active tickets with a missed target (a first answer is due before the resolution)."""
    return Q(status__in=ACTIVE_STATUSES) & (
        Q(first_responded_at__isnull=True, first_response_due__lt=now) | Q(resolution_due__lt=now)
    )


def due_soon_q(now: datetime.datetime, soon: datetime.datetime) -> Q:
    """Active tickets whose running target falls between now and ``soon``."""
    return Q(status__in=ACTIVE_STATUSES) & (
        Q(first_responded_at__isnull=True, first_response_due__gte=now, first_response_due__lte=soon)
        | Q(first_responded_at__isnull=False, resolution_due__gte=now, resolution_due__lte=soon)
    )


def due_soon_threshold(now: datetime.datetime, calendar: HelpdeskCalendar) -> datetime.datetime:
    try:
        return calendar.add(now, DUE_SOON_HOURS)
    except HelpdeskHoursUnavailable:
        return now + datetime.timedelta(hours=DUE_SOON_HOURS)


@dataclass(frozen=True)
class TargetInfo:
    label: str
    due: datetime.datetime | None
    done_at: datetime.datetime | None
    state: str

    @property
    def state_label(self) -> str:
        return TargetState(self.state).label


def _target_state(
    due: datetime.datetime | None,
    done_at: datetime.datetime | None,
    running: bool,
    now: datetime.datetime,
    soon: datetime.datetime,
) -> str:
    if due is None:
        return TargetState.NONE
    if done_at is not None:
        return TargetState.MET if done_at <= due else TargetState.MISSED
    if not running:
        return TargetState.NONE
    if now > due:
        return TargetState.LATE
    if due <= soon:
        return TargetState.DUE_SOON
    return TargetState.ON_TIME


def ticket_targets(ticket: Ticket, *, now: datetime.datetime, soon: datetime.datetime) -> list[TargetInfo]:
    """The first-answer and resolution targets of a ticket, each with its state."""
    running = ticket.status in ACTIVE_STATUSES
    return [
        TargetInfo(
            str(_("First answer")),
            ticket.first_response_due,
            ticket.first_responded_at,
            _target_state(ticket.first_response_due, ticket.first_responded_at, running, now, soon),
        ),
        TargetInfo(
            str(_("Resolution")),
            ticket.resolution_due,
            ticket.resolved_at,
            _target_state(ticket.resolution_due, ticket.resolved_at, running, now, soon),
        ),
    ]


def running_due(ticket: Ticket) -> datetime.datetime | None:
    """When the target a ticket runs against is due: the first answer until there is one,
    then the resolution; None once resolved or closed (``next_due_expression`` in SQL)."""
    if ticket.status not in ACTIVE_STATUSES:
        return None
    return ticket.first_response_due if ticket.first_responded_at is None else ticket.resolution_due


def ticket_target_state(ticket: Ticket, *, now: datetime.datetime, soon: datetime.datetime) -> str:
    """One state for a list: the running target while active, the resolution afterwards."""
    if ticket.status in ACTIVE_STATUSES:
        return _target_state(running_due(ticket), None, True, now, soon)
    if ticket.resolved_at is None:
        return TargetState.NONE
    return _target_state(ticket.resolution_due, ticket.resolved_at, False, now, soon)


def with_target_states(tickets: Iterable[Ticket], *, now, soon) -> list[Ticket]:
    """Set ``target_state`` (and its label) and ``next_due`` on each ticket of a page, no query."""
    tickets = list(tickets)
    for ticket in tickets:
        ticket.target_state = ticket_target_state(ticket, now=now, soon=soon)
        ticket.target_state_label = TargetState(ticket.target_state).label
        ticket.next_due = running_due(ticket)
    return tickets


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


def _words(text: str) -> list[str]:
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) >= 3 and w not in STOP_WORDS]
    return list(dict.fromkeys(words))[:8]


def articles_search(user, query: str) -> QuerySet[HelpArticle]:
    """Articles the user may read that contain every word of ``query`` (title or text)."""
    articles = articles_visible_to(user)
    for word in _words(query):
        articles = articles.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return articles.order_by("title", "pk")


def articles_similar(text: str, *, limit: int = 5) -> list[HelpArticle]:
    """Published articles sharing words with ``text``, best first (title words count double)."""
    words = _words(text)
    if not words:
        return []
    any_word = Q()
    for word in words:
        any_word |= Q(title__icontains=word) | Q(body__icontains=word)
    candidates = HelpArticle.objects.filter(any_word, published=True).only("pk", "title", "body")[:50]

    def score(article: HelpArticle) -> int:
        title, body = article.title.lower(), article.body.lower()
        return sum(2 * (word in title) + (word in body) for word in words)

    return sorted(candidates, key=lambda a: (-score(a), a.title))[:limit]


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
