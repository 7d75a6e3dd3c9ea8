"""What other apps show on a case's pages; ``cases`` never imports them.

An app that knows something about a case (its documents waiting for a signature, the school's
helpdesk tickets about it) registers, once in its ``ready``, a function returning the panels
it has for one case and one reader: ``provider(case, user, staff=bool) -> list[CasePanel]``.
Each provider costs its own queries (one is the rule), so a case page stays within its budget.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

#: Where a panel goes: "action" right under "What happens next" (what the reader must do now),
#: "main" in the page's main column.
PLACES = ("action", "main")


@dataclass(frozen=True)
class CasePanel:
    template: str
    place: str = "main"
    context: dict = field(default_factory=dict)


Provider = Callable[..., list[CasePanel]]
_PROVIDERS: list[Provider] = []


def case_panels_register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def case_panels(case, user, *, staff: bool) -> dict[str, list[CasePanel]]:
    """The panels of every app for one case page, grouped by place."""
    placed: dict[str, list[CasePanel]] = {place: [] for place in PLACES}
    for provider in _PROVIDERS:
        for panel in provider(case, user, staff=staff):
            placed[panel.place].append(panel)
    return placed
