"""`make bench` at scale: the recorded scale, and the ×1 / ×N table of `BENCH_COMPARE`."""

from django.db import connection
import pytest

from classcontact.bench import record_scale, recorded_scale
from classcontact.bench_compare import scaled_database_url, table, verdict

pytestmark = pytest.mark.django_db


def _page(name, timings, *, queries=6, max_queries=12, target_ms=None, status=200):
    return {
        "name": name,
        "timings": timings,
        "queries": queries,
        "max_queries": max_queries,
        "target_ms": target_ms,
        "status": status,
    }


def test_the_scale_a_database_was_seeded_at_is_recorded_on_it():
    record_scale(connection, 5)
    assert recorded_scale(connection) == 5
    record_scale(connection, 1)
    assert recorded_scale(connection) == 1


def test_the_scaled_database_is_named_after_the_bench_database(monkeypatch):
    monkeypatch.delenv("BENCH_SCALED_DATABASE_URL", raising=False)
    assert scaled_database_url("postgres://u@h:5432/cc_bench", 5) == "postgres://u@h:5432/cc_bench5"
    monkeypatch.setenv("BENCH_SCALED_DATABASE_URL", "postgres://u@h/other")
    assert scaled_database_url("postgres://u@h:5432/cc_bench", 5) == "postgres://u@h/other"


def test_a_page_at_scale_is_judged_on_its_budget_its_target_and_its_ratio():
    low = _page("list", [10, 20, 30])
    assert verdict(low, _page("list", [22, 24, 26])) == (1.2, [])
    ratio, missed = verdict(low, _page("list", [30, 40, 50], queries=13))
    assert ratio == 2.0 and missed == ["13 > 12 queries", "ratio > 1.3"]
    # Without a target of its own a page must stay under 60 ms.
    assert verdict(low, _page("list", [70, 70, 70]))[1] == ["median > 60 ms", "ratio > 1.3"]
    assert verdict(low, _page("list", [], status=500)) == (None, ["HTTP 500"])


def test_the_table_puts_both_scales_side_by_side():
    lines = table({"list": _page("list", [10, 20, 30])}, {"list": _page("list", [22, 24, 26])}, 5)

    assert lines[0].split()[:4] == ["page", "queries", "×1", "q"]
    assert lines[1].split() == ["list", "6", "6", "20.0", "24.0", "1.20", "ok"]


def test_every_bench_module_seeds_at_a_scale_and_names_its_pages():
    """`make bench` calls each module's ``seed(stdout=…, scale=…)`` and ``pages()``."""
    from importlib import import_module
    import inspect

    from classcontact.management.commands.bench import BENCH_MODULES

    for name in BENCH_MODULES:
        module = import_module(name)
        parameters = inspect.signature(module.seed).parameters
        assert {"stdout", "scale"} <= set(parameters), name
        assert parameters["scale"].default == 1, name
        assert callable(module.pages), name
