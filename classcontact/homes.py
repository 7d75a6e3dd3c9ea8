"""What waits for a person: the lines of their home page, declared by each app.

An app registers, once (in its ``ready``), a function that returns the lines it has for a user
(none when that user has no part in it). Each line counts the waiting items and links to the
first of them, so one click starts the work. The home page never imports a programme.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Window


@dataclass(frozen=True)
class WorkLine:
    key: str  # stable name, for tests and anchors
    label: str  # what waits ("Requests to review")
    count: int
    first_url: str  # the action on the first (oldest) item
    first_label: str  # the button ("Review case 2026-0012")
    list_url: str = ""  # every waiting item, when a list page exists
    urgent: bool = False


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


def first_and_count(queryset: QuerySet) -> tuple[object | None, int]:
    """The first row of an ordered queryset and how many rows it has, in one query."""
    first = queryset.annotate(_waiting_total=Window(expression=Count("pk"))).first()
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
