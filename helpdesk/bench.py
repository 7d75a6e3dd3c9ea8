"""Helpdesk at scale for `make bench`: 50,000 tickets and one conversation of 20 messages."""

import datetime
import random
from urllib.parse import quote

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from classcontact.bench import BenchPage
from classcontact.numbering import counter_reserve
from loans.models import Loan, LoanPurpose
from schools.models import Membership, MembershipRole, School, StaffRole, User

from .figures import ticket_figures_rebuild
from .hours import TZ, HelpdeskCalendar
from .models import (
    ACTIVE_STATUSES,
    TICKET_REFERENCE_SCOPE,
    Category,
    Priority,
    Status,
    Ticket,
    TicketAttachment,
    TicketFigures,
    TicketMessage,
    Visibility,
    format_reference,
)
from .selectors import OPEN_LOAN_STATES
from .services import due_times, target_table, targets_ensure_defaults

TICKETS = 50_000
AGENTS = 5
BENCH_AGENT = "bench.agent1@bench.classcontact.be"
BENCH_DIRECTOR = "bench.director@bench.classcontact.be"
CONVERSATION_SUBJECT = "Bench: conversation of 20 messages"
SUBJECTS = [
    "La caméra 360° ne s'allume pas",
    "L'élève n'entend pas la classe",
    "Le micro grésille pendant le cours",
    "Connexion wifi coupée en classe",
    "Chromebook bloqué au démarrage",
    "Mot de passe de la visioconférence",
    "Déplacer le kit au local {n}",
    "Écran noir sur le Chromebook",
    "Câble USB abîmé",
    "Question sur la convention",
]
# (status, share of the tickets): most are closed, a tenth still needs work.
STATUS_SHARES = [
    (Status.NEW, 0.02),
    (Status.OPEN, 0.04),
    (Status.WAITING, 0.04),
    (Status.RESOLVED, 0.05),
    (Status.CLOSED, 0.85),
]
# 1x1 PNG, a real image for the attachments of the measured conversation.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _agents() -> list[User]:
    group = Group.objects.get(name=StaffRole.HELPDESK_AGENT)
    agents = []
    for k in range(1, AGENTS + 1):
        user, created = User.objects.get_or_create(
            email=f"bench.agent{k}@bench.classcontact.be",
            defaults={"is_staff": True, "first_name": "Agent", "last_name": f"Bench {k}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        agents.append(user)
    return agents


def _status_for(n: int) -> str:
    position = (n % 1000) / 1000
    total = 0.0
    for status, share in STATUS_SHARES:
        total += share
        if position < total:
            return status
    return Status.CLOSED


def _seed_tickets(
    stdout, schools: list[School], agents: list[User], directors: dict[int, int], *, wanted: int
) -> None:
    rng = random.Random(42)  # noqa: S311 - reproducible bench data, not security
    calendar = HelpdeskCalendar()
    targets = target_table()
    now = timezone.now()
    existing = Ticket.objects.filter(school__official_number__startswith="B").count()
    to_create = wanted - existing
    if to_create <= 0:
        return
    rows = []
    for n in range(existing, wanted):
        status = _status_for(n)
        age = (
            datetime.timedelta(hours=rng.uniform(1, 24 * 20))
            if status in ACTIVE_STATUSES
            else (datetime.timedelta(days=rng.uniform(10, 440)))
        )
        opened_at = now - age
        school = schools[n % len(schools)]
        category = Category.values[n % len(Category.values)]
        priority = Priority.values[(n // 7) % len(Priority.values)]
        first_due, resolution_due = due_times(
            opened_at=opened_at, category=category, priority=priority, calendar=calendar, targets=targets
        )
        answered = status != Status.NEW and first_due is not None
        ticket = Ticket(
            school=school,
            opened_by_id=directors.get(school.pk),
            subject=SUBJECTS[n % len(SUBJECTS)].format(n=n % 40),
            category=category,
            priority=priority,
            description="Description du problème, avec les détails utiles pour le helpdesk. " * 3,
            status=status,
            assignee=agents[n % len(agents)] if n % 10 < 7 and status != Status.NEW else None,
            created_at=opened_at,
            first_response_due=first_due,
            resolution_due=resolution_due,
            first_responded_at=opened_at + min(age / 4, datetime.timedelta(hours=6)) if answered else None,
        )
        if status in (Status.RESOLVED, Status.CLOSED):
            ticket.resolved_at = opened_at + age / 2
        if status == Status.CLOSED:
            ticket.closed_at = ticket.resolved_at + datetime.timedelta(days=7)
        rows.append(ticket)
    rows.sort(key=lambda t: t.created_at)
    by_year: dict[int, list[Ticket]] = {}
    for ticket in rows:
        by_year.setdefault(ticket.created_at.astimezone(TZ).year, []).append(ticket)
    with transaction.atomic():
        for year, tickets in by_year.items():
            first = counter_reserve(scope=TICKET_REFERENCE_SCOPE, year=year, count=len(tickets))
            for offset, ticket in enumerate(tickets):
                ticket.reference = format_reference(year, first + offset)
        Ticket.objects.bulk_create(rows, batch_size=2000)
    stdout.write(f"helpdesk: {len(rows)} tickets")


def _seed_conversation(agents: list[User]) -> None:
    school = School.objects.get(official_number="B000001")
    if Ticket.objects.filter(school=school, subject=CONVERSATION_SUBJECT).exists():
        return
    director = User.objects.get(email=BENCH_DIRECTOR)
    now = timezone.now()
    opened_at = now - datetime.timedelta(days=2)
    year = opened_at.astimezone(TZ).year
    first_due, resolution_due = due_times(
        opened_at=opened_at,
        category=Category.CONNECTION,
        priority=Priority.HIGH,
        calendar=HelpdeskCalendar(),
    )
    with transaction.atomic():
        ticket = Ticket.objects.create(
            reference=format_reference(year, counter_reserve(scope=TICKET_REFERENCE_SCOPE, year=year)),
            school=school,
            opened_by=director,
            subject=CONVERSATION_SUBJECT,
            category=Category.CONNECTION,
            priority=Priority.HIGH,
            description="La connexion coupe plusieurs fois par cours.",
            status=Status.OPEN,
            assignee=agents[0],
            created_at=opened_at,
            first_response_due=first_due,
            resolution_due=resolution_due,
            first_responded_at=opened_at + datetime.timedelta(minutes=30),
        )
        messages = []
        for k in range(20):
            internal = k % 4 == 3
            from_staff = internal or k % 2 == 1
            messages.append(
                TicketMessage(
                    ticket=ticket,
                    author=agents[0] if from_staff else director,
                    body=f"Message {k + 1}: " + "détails de l'échange avec l'école. " * 5,
                    visibility=Visibility.INTERNAL if internal else Visibility.PUBLIC,
                    from_staff=from_staff,
                    created_at=opened_at + datetime.timedelta(minutes=30 * (k + 1)),
                )
            )
        TicketMessage.objects.bulk_create(messages)
        for k, message in enumerate(m for m in messages if not m.is_internal):
            if k % 5 == 0:
                attachment = TicketAttachment(
                    ticket=ticket,
                    message=message,
                    filename=f"capture-{k}.png",
                    size=len(PNG),
                    uploaded_by=director,
                )
                attachment.file.save("capture.png", ContentFile(PNG), save=False)
                attachment.save()


def seed(*, stdout, scale: int = 1) -> None:
    targets_ensure_defaults()
    # The helpdesk counts in school days: the demo calendar must exist before due times.
    from schools.demo import seed as seed_directory

    seed_directory(stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent, quiet
    agents = _agents()
    schools = list(School.objects.filter(official_number__startswith="B").order_by("pk"))
    directors = dict(
        Membership.objects.filter(school__in=schools, role=MembershipRole.DIRECTOR).values_list(
            "school", "user"
        )
    )
    before = Ticket.objects.count()
    _seed_tickets(stdout, schools, agents, directors, wanted=TICKETS * scale)
    _seed_conversation(agents)
    _seed_links(stdout, wanted=LINKED_TICKETS * scale)
    if Ticket.objects.count() != before or not TicketFigures.objects.exists():
        # The bulk load went round the services that keep the dashboard's figures: they are
        # computed again, as `manage.py rebuild_ticket_figures` does after a bulk load.
        stdout.write(f"helpdesk: dashboard figures of {ticket_figures_rebuild()} tickets")


LINKED_TICKETS = 2_000


def _seed_links(stdout, *, wanted: int) -> None:
    """Link bench tickets to the kits lent to their school's cases (when the lending bench
    made some), so that the pages and searches meet linked tickets too."""
    if Ticket.objects.filter(school__official_number__startswith="B", kit__isnull=False).exists():
        return
    loans = list(
        Loan.objects.filter(
            purpose=LoanPurpose.CONNECTION_CASE,
            status__in=OPEN_LOAN_STATES,
            school__official_number__startswith="B",
            holder_id__isnull=False,
        )
        .order_by("pk")
        .values_list("holder_id", "kit_id", "school_id")[:wanted]
    )
    if not loans:
        return
    by_school: dict[int, list[tuple[int, int]]] = {}
    for case_id, kit_id, school_id in loans:
        by_school.setdefault(school_id, []).append((case_id, kit_id))
    tickets = Ticket.objects.filter(school_id__in=by_school, case__isnull=True).order_by("pk")
    changed = []
    for ticket in tickets.only("pk", "school_id").iterator():
        links = by_school.get(ticket.school_id)
        if not links:
            continue
        ticket.case_id, ticket.kit_id = links.pop()
        changed.append(ticket)
        if len(changed) >= len(loans):
            break
    Ticket.objects.bulk_update(changed, ["case", "kit"], batch_size=2000)
    stdout.write(f"helpdesk: {len(changed)} tickets linked to a case and its kit")


def pages() -> list[BenchPage]:
    ticket_id = Ticket.objects.get(subject=CONVERSATION_SUBJECT).pk
    linked = (
        Ticket.objects.filter(kit__isnull=False, case__isnull=False)
        .values_list("kit__code", "case__number")
        .order_by("pk")
        .first()
    )
    kit_code, case_number = linked or ("CK-00042", "CC-2026-0042")
    staff_pages = [
        ("helpdesk staff queue", "/helpdesk/staff/"),
        (
            "helpdesk staff queue, filtered",
            "/helpdesk/staff/?state=active&category=connection&due=past&assignee=none",
        ),
        ("helpdesk staff queue, search all", "/helpdesk/staff/?q=micro&state=all"),
        ("helpdesk staff queue, school and number", "/helpdesk/staff/?q=00042&school=bench+0004&state=all"),
        ("helpdesk staff queue, kit code", f"/helpdesk/staff/?q={quote(kit_code)}&state=all"),
        ("helpdesk staff queue, case number", f"/helpdesk/staff/?q={quote(case_number)}&state=all"),
        ("helpdesk staff ticket, 20 messages", f"/helpdesk/staff/tickets/{ticket_id}/"),
    ]
    school_pages = [
        ("helpdesk school tickets", "/helpdesk/"),
        ("helpdesk school ticket, 20 messages", f"/helpdesk/tickets/{ticket_id}/"),
    ]
    # 13 queries, as the pages' tests allow: one of them reads the session's second-factor device.
    limits = {"max_queries": 13, "target_median_ms": 60}
    admin_pages = [
        ("tickets admin changelist", "/admin/helpdesk/ticket/"),
        ("tickets admin, search", "/admin/helpdesk/ticket/?q=micro"),
    ]
    # A ticket's page is what an agent opens all day: 15 ms.
    ticket_page = "helpdesk staff ticket, 20 messages"
    return (
        [
            BenchPage(
                name, url, BENCH_AGENT, **{**limits, "target_median_ms": 15 if name == ticket_page else 60}
            )
            for name, url in staff_pages
        ]
        + [BenchPage(name, url, BENCH_DIRECTOR, **limits) for name, url in school_pages]
        + [BenchPage(name, url, BENCH_AGENT, max_queries=15) for name, url in admin_pages]
    )
