"""The main lists read their largest table through an index, never by scanning all of it.

The bench's own seeders fill the database (smaller than `make bench`, enough rows for the
planner to prefer an index), ``ANALYZE`` gives it statistics, and PostgreSQL's ``EXPLAIN``
of each list's page query (the real selectors' SQL) must not hold a sequential scan of the
list's largest table.
"""

import datetime
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
import pytest

from cases import bench as cases_bench
from cases.models import school_year_label
from cases.selectors import BoardFilters, case_board
from classcontact.homes import home_lines
from classcontact.paging import COUNT_CAP, CappedPaginator
from conventions import bench as conventions_bench
from conventions.selectors import DocumentFilters, staff_document_list
from helpdesk import bench as helpdesk_bench
from helpdesk.selectors import STATE_ALL, queue_tickets
from loans import bench as loans_bench
from loans.models import KitType
from loans.selectors import FREE_KITS_COUNT_CAP, kits_free_between
from schools import bench as schools_bench
from schools.models import Trimester, User

pytestmark = pytest.mark.django_db

PAGE = 25


def _seed(monkeypatch) -> None:
    monkeypatch.setattr(schools_bench, "SCHOOLS", 600)
    monkeypatch.setattr(cases_bench, "CASES", 12_000)
    monkeypatch.setattr(loans_bench, "KITS", 400)
    monkeypatch.setattr(conventions_bench, "CASES_WITH_DOCUMENTS", 5_000)
    monkeypatch.setattr(helpdesk_bench, "TICKETS", 20_000)
    monkeypatch.setattr(helpdesk_bench, "LINKED_TICKETS", 200)
    out = io.StringIO()
    for module in (schools_bench, cases_bench, loans_bench, conventions_bench, helpdesk_bench):
        module.seed(stdout=out)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _plan(sql: str, params=(), *, analyze: bool = False) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({'ANALYZE, ' if analyze else ''}FORMAT JSON) {sql}", params)
        document = cursor.fetchone()[0]
    return (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _seq_scans(plan: dict, table: str) -> list[dict]:
    return [n for n in _nodes(plan) if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == table]


def _page_plan(queryset) -> dict:
    sql, params = queryset[:PAGE].query.sql_with_params()
    return _plan(sql, params)


def _availability_plan() -> dict:
    """The SQL the free kits' search runs for its count and first page (a raw query)."""
    today = timezone.localdate()
    trimester = (
        Trimester.objects.filter(school_year__calendar__code="bench", start__gt=today)
        .order_by("start")
        .first()
    )
    start, end = (
        (trimester.start, trimester.end) if trimester else (today, today + datetime.timedelta(days=90))
    )
    kits = kits_free_between(
        kit_type=KitType.objects.get(code=loans_bench.KIT_TYPE), start=start, end=end, region="namur"
    )
    with CaptureQueriesContext(connection) as queries:
        assert kits.count_up_to(FREE_KITS_COUNT_CAP + 1) > 0
    (query,) = queries.captured_queries
    return _plan(query["sql"])


def _search_plans(search) -> tuple[dict, dict]:
    """EXPLAIN ANALYZE of what the documents search runs for its count and its first page."""
    with CaptureQueriesContext(connection) as queries:
        search.count_up_to(COUNT_CAP + 1)
        assert len(search[0 : PAGE + 1]) == PAGE + 1
    # The SQL as run, its values written in (no placeholders left to fill).
    count, page = (_plan(query["sql"], None, analyze=True) for query in queries.captured_queries)
    return count, page


def _last_bench_year() -> str:
    return school_year_label(datetime.date(cases_bench.FIRST_YEAR + cases_bench.YEARS - 1, 3, 1))


def _home_line_plan(user, table: str, *, analyze: bool = False) -> dict:
    """EXPLAIN of the home line read from ``table`` (its first row and its capped count)."""
    with CaptureQueriesContext(connection) as queries:
        home_lines(user)
    (query,) = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    return _plan(query, analyze=analyze)


def _count_plan(queryset) -> dict:
    """EXPLAIN ANALYZE of the count a staff list's pager runs."""
    with CaptureQueriesContext(connection) as queries:
        assert CappedPaginator(queryset, PAGE).count > 0
    (query,) = queries.captured_queries
    return _plan(query["sql"], None, analyze=True)


def _rows_read(plan: dict, table: str) -> int:
    nodes = [n for n in _nodes(plan) if n.get("Relation Name") == table]
    return sum((n["Actual Rows"] + n.get("Rows Removed by Filter", 0)) * n["Actual Loops"] for n in nodes)


def test_the_main_lists_use_an_index_on_their_largest_table(monkeypatch):
    _seed(monkeypatch)
    coordinator = User.objects.get(email=schools_bench.BENCH_COORDINATOR)
    now = timezone.now()
    soon = now + datetime.timedelta(hours=2)
    plans = {
        "case board": (
            _page_plan(case_board(user=coordinator, filters=BoardFilters())),
            "cases_connectioncase",
        ),
        "case board, search": (
            _page_plan(case_board(user=coordinator, filters=BoardFilters(q="dupont"))),
            "cases_connectioncase",
        ),
        "helpdesk queue": (
            _page_plan(queue_tickets(user=coordinator, now=now, soon=soon)),
            "helpdesk_ticket",
        ),
        "helpdesk queue (count)": (
            _count_plan(queue_tickets(user=coordinator, now=now, soon=soon)),
            "helpdesk_ticket",
        ),
        "helpdesk queue, search": (
            _page_plan(queue_tickets(user=coordinator, now=now, soon=soon, state=STATE_ALL, query="micro")),
            "helpdesk_ticket",
        ),
        "documents list": (
            _page_plan(staff_document_list(filters=DocumentFilters())),
            "conventions_document",
        ),
        "kit availability": (_availability_plan(), "loans_loan"),
    }
    plans["staff home, tickets past target"] = (
        _home_line_plan(coordinator, "helpdesk_ticket"),
        "helpdesk_ticket",
    )
    region_year = case_board(
        user=coordinator,
        filters=BoardFilters(state="open", region="namur", programme_year=_last_bench_year()),
    )
    sql, params = region_year[: PAGE + 1].query.sql_with_params()
    region_page = _plan(sql, params, analyze=True)
    plans["case board, open cases of a region and year"] = (region_page, "cases_connectioncase")
    search_count, search_page = _search_plans(staff_document_list(filters=DocumentFilters(q="dupont")))
    plans["documents list, search (count)"] = (search_count, "conventions_document")
    plans["documents list, search"] = (search_page, "conventions_document")
    scanned = {name: table for name, (plan, table) in plans.items() if _seq_scans(plan, table)}
    assert scanned == {}, f"sequential scans of the largest table: {scanned}"
    # The plans do read those tables (through an index): the check above is not vacuous.
    for name, (plan, table) in plans.items():
        assert any(node.get("Relation Name") == table for node in _nodes(plan)), name
    # The search's first page (the pupils named "Dupont") is read in order from the surname's
    # index: about the rows it shows, not the matches before the newest (a walk by date) nor
    # all of them (a trigram scan, then a sort).
    # The documents to countersign: the countersignatures asked for, not every document that
    # waits for its school (none of the bench's has been signed by its school).
    countersign = _home_line_plan(coordinator, "conventions_signature", analyze=True)
    assert _rows_read(countersign, "conventions_document") <= PAGE
    # The open cases of a region and year: one walk of their own index, about the page's rows
    # (joining the schools' region, it read the year's open cases until the page was full).
    assert 0 < _rows_read(region_page, "cases_connectioncase") <= PAGE + 1
    surname_reads = [n for n in _nodes(search_page) if n.get("Index Name") == "document_surname_idx"]
    assert surname_reads and all(n["Actual Rows"] <= PAGE + 1 for n in surname_reads)
    assert _rows_read(search_page, "conventions_document") <= 3 * (PAGE + 1)


def test_the_open_ended_kit_search_reads_no_loan_and_no_busy_kit(monkeypatch):
    """Kits free from today with no end: the kits' ``free_from`` on its index, not their loans."""
    monkeypatch.setattr(schools_bench, "SCHOOLS", 100)
    monkeypatch.setattr(loans_bench, "KITS", 800)
    for module in (schools_bench, loans_bench):
        module.seed(stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    kit_type = KitType.objects.get(code=loans_bench.KIT_TYPE)
    kits = kits_free_between(kit_type=kit_type, start=timezone.localdate(), end=None, region="namur")
    with CaptureQueriesContext(connection) as queries:
        assert kits.count_up_to(FREE_KITS_COUNT_CAP + 1) == 0  # every bench kit is booked ahead
    (query,) = queries.captured_queries
    nodes = list(_nodes(_plan(query["sql"], analyze=True)))

    assert not [node for node in nodes if node.get("Relation Name") == "loans_loan"]
    kit_nodes = [node for node in nodes if node.get("Relation Name") == "loans_kit"]
    assert kit_nodes and not _seq_scans(nodes[0], "loans_kit")
    # Not one of the 800 busy kits is read and thrown away: the index finds none to read.
    assert sum(node.get("Rows Removed by Filter", 0) + node["Actual Rows"] for node in kit_nodes) == 0


def test_the_queue_of_unassigned_overdue_tickets_is_read_in_order_not_sorted(monkeypatch):
    """Most active tickets wait for an agent while most closed ones had one: with the kept
    statistics on (assignee, state, category) the planner knows it and walks the queue's
    index in order, reading about one page of tickets; without them it expected a handful of
    rows, read every match, then sorted them."""
    _seed(monkeypatch)
    coordinator = User.objects.get(email=schools_bench.BENCH_COORDINATOR)
    now = timezone.now()
    queue = queue_tickets(
        user=coordinator,
        now=now,
        soon=now + datetime.timedelta(hours=2),
        category="connection",
        assignee="none",
        due="past",
    )
    sql, params = queue[: PAGE + 1].query.sql_with_params()
    plan = _plan(sql, params, analyze=True)

    assert not [n for n in _nodes(plan) if n["Node Type"] in ("Sort", "Incremental Sort")]
    assert 0 < _rows_read(plan, "helpdesk_ticket") <= 4 * (PAGE + 1)
