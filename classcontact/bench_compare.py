"""`BENCH_COMPARE=N make bench`: the same pages at ×1 and ×N, side by side, in one run.

Two databases: the bench database (×1) and a second one named after it with the factor
appended (``classcontact_bench5``; ``BENCH_SCALED_DATABASE_URL`` names another). Each is
seeded by its own ``manage.py bench --scale S --seed-only`` (reused when already seeded at
that scale). Then one measuring process per database (``bench --serve``) takes turns with
the other page by page (×1, ×N, ×1, ×N… for each page), so that the load of a shared
machine falls on both alike; a page's median is taken over all its turns.
"""

import json
import math
import os
from pathlib import Path
import statistics
import subprocess
import sys
from urllib.parse import urlparse, urlunparse

from django.conf import settings

# Every page's limits at ×N, besides its query budget: its own median target (60 ms when it
# has none) and at most this ratio to its ×1 median measured in the same run.
DEFAULT_TARGET_MS = 60.0
MAX_RATIO = 1.3


def scaled_database_url(url: str, scale: int) -> str:
    explicit = os.environ.get("BENCH_SCALED_DATABASE_URL")
    if explicit:
        return explicit
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"{parsed.path.rstrip('/')}{scale}"))


def ensure_database(url: str) -> None:
    """Create the database named by ``url`` when it does not exist yet."""
    import psycopg
    import psycopg.sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def _run(url: str, args: list[str], *, capture: bool = False) -> str:
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", *args]
    done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        command,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return done.stdout or ""


class _Server:
    """A ``manage.py bench --serve`` process on one database, measuring the pages asked for."""

    def __init__(self, url: str, scale: int):
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--serve"]
        self.process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [*command, "--scale", str(scale), "--skip-seed"],
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pages = json.loads(self._line())

    def _line(self) -> str:
        # Django's own start-up lines (migrations) come first: the answers are JSON lines.
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the bench process stopped")
            if line.startswith(("[", "{", "null")):
                return line

    def measure(self, name: str, repeat: int) -> dict | None:
        self.process.stdin.write(f"{name}\t{repeat}\n")
        self.process.stdin.flush()
        return json.loads(self._line())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _measure_alternately(servers: dict[int, _Server], names: list[str], *, rounds: int, repeat: int, stdout):
    """Each page measured ``rounds`` times on each database, taking turns (×1, ×N, ×1, ×N…)."""
    measured: dict[int, list[list[dict]]] = {factor: [] for factor in servers}
    for name in names:
        for _round in range(rounds):
            for factor, server in servers.items():
                result = server.measure(name, repeat)
                if result is not None:
                    measured[factor].append([result])
        stdout.write(f"  measured {name}")
        stdout.flush()
    return measured


def _merge(rounds: list[list[dict]]) -> dict[str, dict]:
    """Per page name: its first round's figures with the timings of every round."""
    merged: dict[str, dict] = {}
    for results in rounds:
        for result in results:
            page = merged.setdefault(result["name"], {**result, "timings": []})
            page["timings"] += result["timings"]
            if result["status"] != 200:
                page["status"] = result["status"]
    return merged


def verdict(low: dict | None, high: dict) -> tuple[float | None, list[str]]:
    """The ratio of the ×N median to the ×1 one, and the limits the ×N page misses."""
    if high["status"] != 200 or not high["timings"]:
        return None, [f"HTTP {high['status']}"]
    median = statistics.median(high["timings"])
    missed = []
    if high["max_queries"] is not None and high["queries"] > high["max_queries"]:
        missed.append(f"{high['queries']} > {high['max_queries']} queries")
    target = high["target_ms"] or DEFAULT_TARGET_MS
    if median > target:
        missed.append(f"median > {target:g} ms")
    ratio = None
    if low and low["status"] == 200 and low["timings"]:
        ratio = median / statistics.median(low["timings"])
        if ratio > MAX_RATIO:
            missed.append(f"ratio > {MAX_RATIO:g}")
    return ratio, missed


def table(low: dict[str, dict], high: dict[str, dict], scale: int) -> list[str]:
    head = f"×{scale}"
    lines = [
        f"{'page':<42} {'queries ×1':>10} {'q ' + head:>6} {'median ×1':>10} "
        f"{'median ' + head:>10} {'ratio':>6}  verdict at {head}"
    ]
    for name, page in high.items():
        base = low.get(name)
        ratio, missed = verdict(base, page)
        low_median = statistics.median(base["timings"]) if base and base["timings"] else math.nan
        high_median = statistics.median(page["timings"]) if page["timings"] else math.nan
        lines.append(
            f"{name:<42} {(base or {}).get('queries') or '-':>10} {page['queries'] or '-':>6} "
            f"{low_median:>10.1f} {high_median:>10.1f} {ratio if ratio else math.nan:>6.2f}  "
            + ("ok" if not missed else "MISSED: " + ", ".join(missed))
        )
    return lines


def compare(stdout, *, scale: int, options: dict) -> None:
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--compare needs the bench database on PostgreSQL (DATABASE_URL).")
    urls = {1: base_url, scale: scaled_database_url(base_url, scale)}
    ensure_database(urls[scale])
    for factor, url in urls.items():
        stdout.write(f"== seeding ×{factor} ({urlparse(url).path.lstrip('/')})")
        stdout.flush()
        _run(url, ["--scale", str(factor), "--seed-only"])
    rounds = max(1, options["rounds"])
    repeat = max(2, math.ceil(options["repeat"] / rounds))
    servers = {factor: _Server(url, factor) for factor, url in urls.items()}
    try:
        names = [name for name in servers[scale].pages if options["only"] in name]
        stdout.write(
            f"== measuring {len(names)} pages, ×1 and ×{scale} in turn, {rounds} × {repeat} requests each"
        )
        measured = _measure_alternately(servers, names, rounds=rounds, repeat=repeat, stdout=stdout)
    finally:
        for server in servers.values():
            server.close()
    lines = table(_merge(measured[1]), _merge(measured[scale]), scale)
    stdout.write(f"\nMedian server time (ms) of {repeat * rounds} requests per page and scale:")
    for line in lines:
        stdout.write(line)
    missed = sum("MISSED" in line for line in lines[1:])
    if missed:
        stdout.write(f"{missed} page(s) missed a limit at ×{scale}")
