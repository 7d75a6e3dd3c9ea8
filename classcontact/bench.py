"""What `make bench` measures: each app's ``bench.py`` seeds data at scale and names pages.

An app's ``bench.py`` provides::

    def seed(*, stdout) -> None      # create this app's data at scale; skip what exists
    def pages() -> list[BenchPage]   # the pages to measure, each with the user who opens it
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchPage:
    name: str
    url: str
    user_email: str
    max_queries: int | None = None
    target_median_ms: float | None = None
