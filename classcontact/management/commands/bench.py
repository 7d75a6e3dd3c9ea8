from importlib import import_module
from importlib.util import find_spec
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from classcontact.testing import TwoFactorClient as Client

from .prepare_demo_db import stale_migrations

# Modules with ``seed`` and ``pages`` (see classcontact/bench.py), in dependency order.
BENCH_MODULES = [
    "schools.bench",
    "cases.bench",
    "loans.bench",
    "classrooms.bench",
    "conventions.bench",
    "helpdesk.bench",
]


class Command(BaseCommand):
    help = "Seed a large database and print query counts and server times of the main pages."

    def _forget_an_old_layout(self) -> None:
        """The bench database only holds seeded rows: one made by an older layout of the
        apps (migrations that no longer exist) is emptied and built again."""
        stale = stale_migrations()
        if not stale or connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        self.stdout.write(f"The bench database was made by an older layout ({stale[0]}…): rebuilt.")

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="measured requests per page")
        parser.add_argument("--only", default="", help="measure only pages whose name contains this")
        parser.add_argument("--skip-seed", action="store_true")

    def handle(self, *args, **options):
        self._forget_an_old_layout()
        call_command("migrate", verbosity=0)
        modules = [import_module(name) for name in BENCH_MODULES if find_spec(name)]
        if not options["skip_seed"]:
            for module in modules:
                started = time.perf_counter()
                module.seed(stdout=self.stdout)
                self.stdout.write(f"seeded {module.__name__} in {time.perf_counter() - started:.1f} s")
        call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        if connection.vendor == "postgresql":
            # Bulk loads leave the planner without statistics; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        pages = [page for module in modules for page in module.pages() if options["only"] in page.name]
        self.stdout.write(f"{'page':<42} {'queries':>7} {'median ms':>10} {'p95 ms':>8}  target")
        failures = 0
        with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False):
            from schools.models import User

            for page in pages:
                client = Client()
                client.force_login(User.objects.get(email=page.user_email))
                for _ in range(3):  # warm-up: caches, connections, template loading
                    response = client.get(page.url)
                if response.status_code != 200:
                    self.stdout.write(self.style.ERROR(f"{page.name}: HTTP {response.status_code}"))
                    failures += 1
                    continue
                with CaptureQueriesContext(connection) as queries:
                    client.get(page.url)
                # Read now: each request starts by clearing the connection's query log.
                query_count = len(queries)
                timings = []
                for _ in range(options["repeat"]):
                    started = time.perf_counter()
                    client.get(page.url)
                    timings.append((time.perf_counter() - started) * 1000)
                median = statistics.median(timings)
                p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
                ok = (page.max_queries is None or query_count <= page.max_queries) and (
                    page.target_median_ms is None or median <= page.target_median_ms
                )
                failures += not ok
                limits = [f"≤{page.max_queries} queries"] if page.max_queries else []
                limits += [f"<{page.target_median_ms:g} ms median"] if page.target_median_ms else []
                target = ", ".join(limits) + (" ok" if ok else " MISSED") if limits else ""
                self.stdout.write(f"{page.name:<42} {query_count:>7} {median:>10.1f} {p95:>8.1f}  {target}")
        if failures:
            self.stdout.write(self.style.WARNING(f"{failures} page(s) missed their target or failed"))
