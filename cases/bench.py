"""Connection cases at scale for `make bench`: 20,000 cases over the bench schools."""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from classcontact.bench import BenchPage
from classcontact.numbering import counter_raise_to
from schools.bench import BENCH_COORDINATOR, BENCH_DIRECTOR
from schools.models import School, User

from .figures import case_figures_rebuild
from .models import (
    CASE_NUMBER_SCOPE,
    CaseEvent,
    CaseFigures,
    CaseStatus,
    ConnectionCase,
    EventKind,
    Guardian,
    ReasonCategory,
    format_case_number,
    school_year_label,
)

CASES = 20_000
BATCH = 2_000
FIRST_YEAR = 2022
YEARS = 5
FIRST_NAMES = [
    "Lina",
    "Noah",
    "Emma",
    "Louis",
    "Chloé",
    "Adam",
    "Léa",
    "Arthur",
    "Zoé",
    "Jules",
    "Alice",
    "Victor",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Lejeune",
    "Renard",
    "Leclercq",
    "Hermans",
    "Lemaire",
]
# Most cases of past years are closed; the rest spread over every other state.
OPEN_SPREAD = [s for s in CaseStatus if s != CaseStatus.DRAFT]
REASONS = list(ReasonCategory.values)


def _year_and_sequence(n: int) -> tuple[int, int]:
    return FIRST_YEAR + n % YEARS, n // YEARS + 1


def _status(n: int, year: int) -> str:
    if year < FIRST_YEAR + YEARS - 1 and n % 10 != 0:
        return CaseStatus.CLOSED
    return OPEN_SPREAD[n % len(OPEN_SPREAD)]


def _bench_schools() -> list[tuple[int, str]]:
    """The bench schools' ids and regions."""
    return list(
        School.objects.filter(official_number__startswith="B").order_by("pk").values_list("pk", "region")
    )


def _bench_cases():
    return ConnectionCase.objects.filter(number__startswith="CC-", school__official_number__startswith="B")


def _case(
    n: int, *, schools: list[tuple[int, str]], coordinator: User, now: datetime.datetime
) -> ConnectionCase:
    """The bench's case number ``n``: its year, state and dates follow from ``n`` alone."""
    year, sequence = _year_and_sequence(n)
    status = _status(n, year)
    submitted = timezone.make_aware(datetime.datetime(year, 1 + n % 12, 1 + n % 28, 9, 0))
    submitted = min(submitted, now - datetime.timedelta(days=1))
    changed = min(submitted + datetime.timedelta(days=3 + n % 40), now)
    closed = status in (CaseStatus.CLOSED, CaseStatus.INELIGIBLE, CaseStatus.WITHDRAWN)
    return ConnectionCase(
        number=format_case_number(year, sequence),
        status=status,
        status_changed_at=changed,
        programme_year=school_year_label(timezone.localdate(submitted)),
        school_id=schools[n % len(schools)][0],
        school_region=schools[n % len(schools)][1],
        pupil_first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
        pupil_last_name=f"{LAST_NAMES[(n // 7) % len(LAST_NAMES)]}{'' if n % 3 else '-Bench'}",
        pupil_birth_date=datetime.date(year - 8 - n % 8, 1 + n % 12, 1 + n % 28),
        absence_start=timezone.localdate(submitted),
        absence_end_unknown=True,
        reason_category=REASONS[n % len(REASONS)],
        home_street=f"Rue du Banc {n % 200}",
        home_postcode="1000",
        home_city="Bruxelles",
        home_has_internet=n % 4 != 0,
        guardians_agree=True,
        coordinator=coordinator if n % 3 == 0 else None,
        planned_date=timezone.localdate(changed) + datetime.timedelta(days=7)
        if status in (CaseStatus.INSTALLATION_PLANNED, CaseStatus.RETRIEVAL_PLANNED)
        else None,
        presentation_requested_at=changed if n % 17 == 0 else None,
        submitted_at=submitted,
        closed_at=changed if closed else None,
    )


# States a case reaches only once its pupil was connected.
CONNECTED_STATES = (
    CaseStatus.ACTIVE,
    CaseStatus.PAUSED,
    CaseStatus.END_REQUESTED,
    CaseStatus.RETRIEVAL_PLANNED,
    CaseStatus.KIT_RETURNED,
    CaseStatus.CLOSED,
)


def _activation(case: ConnectionCase, *, coordinator: User, now: datetime.datetime) -> list[CaseEvent]:
    """The kit's installation, between the request and the case's last change (the dashboard's waits)."""
    if case.status not in CONNECTED_STATES:
        return []
    at = case.submitted_at + (case.status_changed_at - case.submitted_at) * 0.6
    return [
        CaseEvent(
            case=case,
            at=at,
            actor=coordinator,
            kind=EventKind.ACTIVATED,
            to_status=CaseStatus.ACTIVE,
            notified_at=now,
        )
    ]


def _events(case: ConnectionCase, *, coordinator: User, now: datetime.datetime) -> list[CaseEvent]:
    """A case's timeline: submitted, reviewed, connected when it was, and where it stands now."""
    return [
        CaseEvent(
            case=case,
            at=case.submitted_at,
            kind=EventKind.SUBMITTED,
            to_status=CaseStatus.SUBMITTED,
            notified_at=now,
        ),
        CaseEvent(
            case=case,
            at=case.submitted_at + datetime.timedelta(days=1),
            actor=coordinator,
            kind=EventKind.REVIEW_STARTED,
            to_status=CaseStatus.UNDER_REVIEW,
            notified_at=now,
        ),
        CaseEvent(
            case=case,
            at=case.status_changed_at,
            actor=coordinator,
            kind=EventKind.CLOSED if case.status == CaseStatus.CLOSED else EventKind.NOTES_UPDATED,
            to_status=case.status,
            is_public=case.status == CaseStatus.CLOSED,
            notified_at=now,
        ),
        *_activation(case, coordinator=coordinator, now=now),
    ]


def seed(*, stdout, scale: int = 1) -> None:
    schools = _bench_schools()
    coordinator = User.objects.filter(email=BENCH_COORDINATOR).first()
    if not schools or coordinator is None:
        stdout.write("loans bench: the schools bench data is missing, no case seeded")
        return
    cases_wanted = CASES * scale
    existing = _bench_cases().count()
    now = timezone.now()
    for start in range(existing, cases_wanted, BATCH):
        with transaction.atomic():
            cases = ConnectionCase.objects.bulk_create(
                [
                    _case(n, schools=schools, coordinator=coordinator, now=now)
                    for n in range(start, min(start + BATCH, cases_wanted))
                ]
            )
            Guardian.objects.bulk_create(
                [
                    Guardian(
                        case=case,
                        position=1,
                        first_name="Parent",
                        last_name=case.pupil_last_name,
                        email=f"p{case.pk}@example.org",
                    )
                    for case in cases
                ]
            )
            events = [event for case in cases for event in _events(case, coordinator=coordinator, now=now)]
            CaseEvent.objects.bulk_create(events, batch_size=BATCH)
        stdout.write(f"  cases {min(start + BATCH, cases_wanted)}/{cases_wanted}")
    # Numbers taken here must never be given again by the portal.
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        last = max(n // YEARS + 1 for n in range(year - FIRST_YEAR, cases_wanted, YEARS))
        counter_raise_to(scope=CASE_NUMBER_SCOPE, year=year, value=last)
    if existing < cases_wanted or not CaseFigures.objects.exists():
        # The bulk load went round the services that keep the dashboard's figures: they are
        # computed again, as `manage.py rebuild_case_figures` does after a bulk load.
        stdout.write(f"  dashboard figures of {case_figures_rebuild()} cases")
    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics yet; a live database has them.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE cases_connectioncase, cases_caseevent, cases_guardian, schools_school, "
                "cases_casefigures, cases_dailyfigures"
            )


def pages() -> list[BenchPage]:
    case = _bench_cases().order_by("number").only("public_id").first()
    last_year = school_year_label(datetime.date(FIRST_YEAR + YEARS - 1, 3, 1))
    board = "/cases/staff/"
    limits = {"max_queries": 12, "target_median_ms": 60}
    result = [
        BenchPage("case board", board, BENCH_COORDINATOR, **limits),
        BenchPage(
            "case board, filtered",
            f"{board}?state=open&region=namur&programme_year={last_year}",
            BENCH_COORDINATOR,
            **limits,
        ),
        BenchPage("case board, needs my action", f"{board}?needs_action=on", BENCH_COORDINATOR, **limits),
        BenchPage("case board, search", f"{board}?q=dupont", BENCH_COORDINATOR, **limits),
        BenchPage("case board, sorted by school", f"{board}?sort=school&page=3", BENCH_COORDINATOR, **limits),
        BenchPage("case director list", "/cases/", BENCH_DIRECTOR, **limits),
        BenchPage(
            "cases admin changelist", "/admin/cases/connectioncase/", BENCH_COORDINATOR, max_queries=15
        ),
        BenchPage(
            "cases admin, search", "/admin/cases/connectioncase/?q=dupont", BENCH_COORDINATOR, max_queries=15
        ),
    ]
    if case is not None:
        result.append(
            # More reads than a list: the case's guardians, teachers and timeline, its kit panel,
            # the tickets panel and the logged health read (its own short transaction).
            BenchPage(
                "case detail",
                f"/cases/staff/{case.public_id}/",
                BENCH_COORDINATOR,
                max_queries=15,
                target_median_ms=15,
            )
        )
    # The programme's dashboard (classcontact/dashboard_views.py) reads mostly the cases.
    dashboard = {"max_queries": 15, "target_median_ms": 100}
    result += [
        BenchPage(
            "dashboard, a school year",
            f"/staff/dashboard/?programme_year={last_year}",
            BENCH_COORDINATOR,
            **dashboard,
        ),
        BenchPage(
            "dashboard, all years, 24 months",
            "/staff/dashboard/?programme_year=&start=2024-09-01&end=2026-08-31",
            BENCH_COORDINATOR,
            **dashboard,
        ),
    ]
    return result
