"""What `make bench` measures: each app's ``bench.py`` seeds data at scale and names pages.

An app's ``bench.py`` provides::

    def seed(*, stdout, scale: int = 1) -> None  # this app's data, every count times ``scale``;
                                                 # skip what exists
    def pages() -> list[BenchPage]               # the pages to measure, each with the user who opens it

The scale a bench database was seeded at is recorded on the database itself (its comment),
so that a later run at the same scale reuses it and a run at another scale rebuilds it.
"""

from dataclasses import dataclass
import re

SCALE_COMMENT = "classcontact bench, scale {scale}"
_SCALE_RE = re.compile(r"^classcontact bench, scale (\d+)$")


@dataclass(frozen=True)
class BenchPage:
    name: str
    url: str
    user_email: str
    max_queries: int | None = None
    target_median_ms: float | None = None


def recorded_scale(connection) -> int | None:
    """The scale the database was seeded at, None when no bench ever recorded one."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    match = _SCALE_RE.match((row and row[0]) or "")
    return int(match.group(1)) if match else None


def record_scale(connection, scale: int) -> None:
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    # A utility statement takes no bound parameter: the comment is quoted into the SQL.
    sql = connection.ops.compose_sql(
        f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS %s",
        [SCALE_COMMENT.format(scale=int(scale))],
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
