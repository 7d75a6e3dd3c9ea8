"""`make bench`: seed a large database and measure the main pages.

``--scale N`` multiplies every seeded count (``BENCH_SCALE=5 make bench``); a database seeded
at another scale is emptied and seeded again, one at the same scale is reused. ``--compare N``
measures the same pages on two databases, seeded at ×1 and ×N, and prints both side by side
with their ratio (``BENCH_COMPARE=5 make bench``; see ``classcontact.bench_compare``).
"""

from importlib import import_module
from importlib.util import find_spec
import json
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from classcontact.bench import BenchPage, record_scale, recorded_scale
from classcontact.testing import TwoFactorClient as Client

from .prepare_demo_db import stale_migrations

# Modules with ``seed`` and ``pages`` (see classcontact/bench.py), in dependency order.
BENCH_MODULES = [
    "schools.bench",
    "cases.bench",
    "loans.bench",
    "classrooms.bench",
    "classrooms.bench_plan",
    "classrooms.bench_report",
    "conventions.bench",
    "helpdesk.bench",
]


def measure(page: BenchPage, *, repeat: int) -> dict:
    """One page's query count and server times (ms), from a logged-in client."""
    from schools.models import User

    client = Client()
    client.force_login(User.objects.get(email=page.user_email))
    for _ in range(3):  # warm-up: caches, connections, template loading
        response = client.get(page.url)
    result = {"name": page.name, "max_queries": page.max_queries, "target_ms": page.target_median_ms}
    if response.status_code != 200:
        return {**result, "status": response.status_code, "queries": None, "timings": []}
    with CaptureQueriesContext(connection) as queries:
        client.get(page.url)
    # Read now: each request starts by clearing the connection's query log.
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(page.url)
        timings.append((time.perf_counter() - started) * 1000)
    return {**result, "status": 200, "queries": query_count, "timings": timings}


def page_ok(result: dict, median: float) -> bool:
    return (result["max_queries"] is None or result["queries"] <= result["max_queries"]) and (
        result["target_ms"] is None or median <= result["target_ms"]
    )


def limits_text(result: dict) -> str:
    limits = [f"≤{result['max_queries']} queries"] if result["max_queries"] else []
    limits += [f"<{result['target_ms']:g} ms median"] if result["target_ms"] else []
    return ", ".join(limits)


class Command(BaseCommand):
    help = "Seed a large database and print query counts and server times of the main pages."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="measured requests per page")
        parser.add_argument("--only", default="", help="measure only pages whose name contains this")
        parser.add_argument("--skip-seed", action="store_true")
        parser.add_argument("--scale", type=int, default=1, help="multiply every seeded count")
        parser.add_argument("--seed-only", action="store_true", help="seed, measure nothing")
        parser.add_argument("--json", default="", help="also write the figures to this file")
        parser.add_argument(
            "--compare",
            type=int,
            default=0,
            help="measure ×1 and ×N on two databases and print them side by side",
        )
        parser.add_argument("--rounds", type=int, default=3, help="with --compare: alternated rounds")
        parser.add_argument(
            "--serve",
            action="store_true",
            help="measure the pages named on standard input, one JSON line each (used by --compare)",
        )

    def handle(self, *args, **options):
        if options["compare"]:
            from classcontact.bench_compare import compare

            compare(self.stdout, scale=options["compare"], options=options)
            return
        scale = max(1, options["scale"])
        self._forget_an_old_database(scale)
        call_command("migrate", verbosity=0)
        modules = [import_module(name) for name in BENCH_MODULES if find_spec(name)]
        if not options["skip_seed"]:
            self._seed(modules, scale)
        if options["seed_only"]:
            return
        if options["serve"]:
            self._serve(modules)
            return
        pages = [page for module in modules for page in module.pages() if options["only"] in page.name]
        results = self._measure(pages, repeat=options["repeat"])
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump({"scale": scale, "pages": results}, out)

    def _serve(self, modules) -> None:
        """Answer ``name<TAB>repeat`` lines with that page's figures (a JSON line), until EOF:
        the ×1 and ×N processes of ``--compare`` take turns page by page."""
        import sys

        pages = {page.name: page for module in modules for page in module.pages()}
        self.stdout.write(json.dumps(list(pages)))
        self.stdout.flush()
        with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False):
            for line in sys.stdin:
                name, repeat = line.rstrip("\n").split("\t")
                result = measure(pages[name], repeat=int(repeat)) if name in pages else None
                self.stdout.write(json.dumps(result))
                self.stdout.flush()

    def _forget_an_old_database(self, scale: int) -> None:
        """The bench database only holds seeded rows: one made by an older layout of the apps
        (migrations that no longer exist) or seeded at another scale is emptied and built again."""
        if connection.vendor != "postgresql":
            return
        stale = stale_migrations()
        seeded_at = recorded_scale(connection)
        if stale:
            reason = f"was made by an older layout ({stale[0]}…)"
        elif seeded_at is not None and seeded_at != scale:
            reason = f"was seeded at ×{seeded_at}, not ×{scale}"
        elif seeded_at is None and scale != 1 and self._has_tables():
            # Seeded before scales were recorded, hence at ×1.
            reason = f"was seeded at ×1, not ×{scale}"
        else:
            record_scale(connection, scale)
            return
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        record_scale(connection, scale)
        self.stdout.write(f"The bench database {reason}: rebuilt.")

    @staticmethod
    def _has_tables() -> bool:
        return "cases_connectioncase" in connection.introspection.table_names()

    def _seed(self, modules, scale: int) -> None:
        for module in modules:
            started = time.perf_counter()
            module.seed(stdout=self.stdout, scale=scale)
            self.stdout.write(f"seeded {module.__name__} ×{scale} in {time.perf_counter() - started:.1f} s")
        call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        if connection.vendor == "postgresql":
            # Bulk loads leave the planner without statistics; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def _measure(self, pages: list[BenchPage], *, repeat: int) -> list[dict]:
        self.stdout.write(f"{'page':<42} {'queries':>7} {'median ms':>10} {'p95 ms':>8}  target")
        failures = 0
        results = []
        with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False):
            for page in pages:
                result = measure(page, repeat=repeat)
                results.append(result)
                if result["status"] != 200:
                    self.stdout.write(self.style.ERROR(f"{page.name}: HTTP {result['status']}"))
                    failures += 1
                    continue
                timings = result["timings"]
                median = statistics.median(timings)
                p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
                ok = page_ok(result, median)
                failures += not ok
                limits = limits_text(result)
                target = limits + (" ok" if ok else " MISSED") if limits else ""
                self.stdout.write(
                    f"{page.name:<42} {result['queries']:>7} {median:>10.1f} {p95:>8.1f}  {target}"
                )
        if failures:
            self.stdout.write(self.style.WARNING(f"{failures} page(s) missed their target or failed"))
        return results
