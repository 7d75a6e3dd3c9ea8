"""The search of kits free from a day with no end reads the kits on an index, never a loan.

The bench's seeders fill the database (every kit busy for the coming trimesters, as in
`make bench`), ``ANALYZE`` gives the planner statistics, and PostgreSQL's ``EXPLAIN`` of the
search's query (its count and first page, one raw query) is read node by node.
"""

import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
import pytest

from loans import bench as loans_bench
from loans.models import KitType
from loans.selectors import FREE_KITS_COUNT_CAP, kits_free_between
from schools import bench as schools_bench

pytestmark = pytest.mark.django_db


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        document = cursor.fetchone()[0]
    return (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def test_the_open_ended_search_reads_no_loan_and_no_kit_beyond_the_free_ones(monkeypatch):
    monkeypatch.setattr(schools_bench, "SCHOOLS", 100)
    monkeypatch.setattr(loans_bench, "KITS", 800)
    for module in (schools_bench, loans_bench):
        module.seed(stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    kits = kits_free_between(
        kit_type=KitType.objects.get(code=loans_bench.KIT_TYPE),
        start=timezone.localdate(),
        end=None,
        region="namur",
    )
    with CaptureQueriesContext(connection) as queries:
        assert kits.count_up_to(FREE_KITS_COUNT_CAP + 1) == 0  # every bench kit is booked ahead
    (query,) = queries.captured_queries
    nodes = list(_nodes(_plan(query["sql"])))

    assert not [node for node in nodes if node.get("Relation Name") == "loans_loan"]
    kit_nodes = [node for node in nodes if node.get("Relation Name") == "loans_kit"]
    assert kit_nodes and all(node["Node Type"] != "Seq Scan" for node in kit_nodes)
    # Not one of the 800 busy kits is read and thrown away: the index finds none to read.
    assert sum(node.get("Rows Removed by Filter", 0) + node["Actual Rows"] for node in kit_nodes) == 0
