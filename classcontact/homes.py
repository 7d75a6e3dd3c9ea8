"""What waits for a person: the lines of their home page, declared by each app.

An app registers, once (in its ``ready``), a function that returns the lines it has for a user
(none when that user has no part in it). Each line counts the waiting items and links to the
first of them, so one click starts the work. The home page never imports a programme.

A line reads a bounded number of rows whatever the size of its table: its first item through
an index that serves its filter and order, and its count up to ``COUNT_LIMIT`` (beyond it the
line shows "100+"; its list page has them all).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import IntegerField, QuerySet, Subquery

#: A line counts its items up to this number; past it, the page shows "100+".
COUNT_LIMIT = 100


@dataclass(frozen=True)
class WorkLine:
    key: str  # stable name, for tests and anchors
    label: str  # what waits ("Requests to review")
    count: int  # at most COUNT_LIMIT + 1 (see ``more``)
    first_url: str  # the action on the first (oldest) item
    first_label: str  # the button ("Review case 2026-0012")
    list_url: str = ""  # every waiting item, when a list page exists
    urgent: bool = False

    @property
    def more(self) -> bool:
        """More items wait than the line counted (it shows "100+")."""
        return self.count > COUNT_LIMIT

    @property
    def count_shown(self) -> str:
        return f"{COUNT_LIMIT}+" if self.more else str(self.count)


Provider = Callable[[object], list[WorkLine]]
_PROVIDERS: list[tuple[int, Provider]] = []


def home_lines_register(provider: Provider, *, order: int) -> None:
    """Add an app's lines; ``order`` places them on the page (small numbers first)."""
    if all(existing is not provider for _order, existing in _PROVIDERS):
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda pair: pair[0])


def home_lines(user) -> list[WorkLine]:
    """Every app's waiting lines for ``user``, in page order; empty lines are left out."""
    lines: list[WorkLine] = []
    for _order, provider in _PROVIDERS:
        lines.extend(line for line in provider(user) if line.count)
    return lines


class _CountOf(Subquery):
    """How many rows a (sliced) subquery gives."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def first_and_count(queryset: QuerySet) -> tuple[object | None, int]:
    """The first row of an ordered queryset and how many rows it has, up to ``COUNT_LIMIT`` + 1,
    in one query: the count reads at most that many rows (a window count over the whole
    filter would read every waiting row to show one), in the line's own order so that it walks
    the index the first row comes from. Unordered, the planner read the tickets table from its
    start until a hundred overdue ones, which are among the newest (106 ms at ×5)."""
    capped = queryset.values("pk")[: COUNT_LIMIT + 1]
    first = queryset.annotate(_waiting_total=_CountOf(capped)).first()
    return first, (first._waiting_total if first is not None else 0)


def work_line(
    queryset: QuerySet, *, key: str, label: str, url: Callable, action, list_url: str = "", urgent=False
) -> WorkLine:
    """A line from an ordered queryset, linking to ``url(first)`` with the button ``action``: a
    text with ``%(item)s`` (the first row) or a function of the first row."""
    first, count = first_and_count(queryset)
    if first is None:
        return WorkLine(key=key, label=str(label), count=0, first_url="", first_label="")
    return WorkLine(
        key=key,
        label=str(label),
        count=count,
        first_url=url(first),
        first_label=str(action(first) if callable(action) else action % {"item": first}),
        list_url=list_url,
        urgent=urgent,
    )
