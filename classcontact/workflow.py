"""State machines: one table of allowed transitions per model, checked in one place.

Beside its transition table, each state machine keeps one ``StateCatalogue``: what every
state is called (for staff and, where the school sees it, for the school), what happens
next, its badge colour, and whether it is open, closed or waits for staff. Templates and
selectors read the catalogue; they never list states by hand.

Every state change goes through ``change_state``: it checks the table, sets the state,
stamps who and when, saves only the fields it changed and hands the change to a callback
that writes the app's own timeline row.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
import datetime
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

ERROR_INVALID_TRANSITION = _("This action is not possible while the state is “%(current)s”.")


class InvalidTransition(DomainError):
    """A state change that the table does not allow; shown to the person as it is."""

    def __init__(self, current: str, target: str, message=None):
        self.current = current
        self.target = target
        super().__init__(message or ERROR_INVALID_TRANSITION % {"current": _label_of(current)})


def _label_of(value: str) -> str:
    label = getattr(value, "label", None)
    return str(label) if label is not None else str(value)


def allowed_targets(table: Mapping[str, Iterable[str]], current: str) -> frozenset[str]:
    return frozenset(table.get(current, ()))


def check_transition(
    table: Mapping[str, Iterable[str]],
    current: str,
    target: str,
    *,
    refused: type[InvalidTransition] = InvalidTransition,
) -> None:
    """Refuse (with ``refused``, an ``InvalidTransition``) a change that ``table`` does not allow."""
    if target not in allowed_targets(table, current):
        # The tables are keyed by the choices themselves, which know their label.
        raise refused(next((state for state in table if state == current), current), target)


# The catalogue of states --------------------------------------------------------------


@dataclass(frozen=True)
class StateInfo:
    """What one state means, for every page that shows it.

    ``school_label``/``school_next`` are for states a school sees (blank: the staff label, and
    nothing to say); ``*_next_on`` is the variant with a planned day (``%(day)s``).
    """

    badge: str
    closed: bool = False
    staff_action: bool = False
    school_label: Any = ""
    school_next: Any = ""
    school_next_on: Any = ""
    staff_next: Any = ""
    staff_next_on: Any = ""
    #: Other sets the state belongs to, named by the app (``"active"``, ``"school_request"``…).
    sets: frozenset[str] = frozenset()


class StateCatalogue(Mapping[str, StateInfo]):
    """Every state of one ``TextChoices``, each with its ``StateInfo``; nothing more, nothing less."""

    def __init__(
        self, choices: type[models.TextChoices], states: Mapping[str, StateInfo], *, field: str = "status"
    ):
        missing = set(choices.values) ^ {str(state) for state in states}
        if missing:
            raise ValueError(
                f"The catalogue of {choices.__name__} does not match its states: {sorted(missing)}"
            )
        self.choices = choices
        self.field = field
        self._states = {str(state): info for state, info in states.items()}
        self.closed_states = frozenset(choices(s) for s, info in self._states.items() if info.closed)
        self.open_states = frozenset(choices(s) for s, info in self._states.items() if not info.closed)
        self.staff_action_states = frozenset(
            choices(s) for s, info in self._states.items() if info.staff_action
        )

    def __getitem__(self, state: str) -> StateInfo:
        return self._states[str(state)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)

    def states_in(self, name: str) -> frozenset:
        """The states of the set ``name`` (one of the ``sets`` of their ``StateInfo``)."""
        return frozenset(self.choices(s) for s, info in self._states.items() if name in info.sets)

    def label(self, state: str) -> str:
        """The label staff see (the choices' own)."""
        return self.choices(state).label

    def school_label(self, state: str) -> str:
        return self[state].school_label or self.label(state)

    def badge(self, state: str) -> str:
        return self[state].badge if str(state) in self._states else "text-bg-secondary"


# The one way to change a state --------------------------------------------------------


@dataclass(frozen=True)
class StateChange:
    previous: str
    target: str
    at: datetime.datetime


M = TypeVar("M", bound=models.Model)
R = TypeVar("R")


def _has_field(obj: models.Model, name: str) -> bool:
    return any(field.name == name for field in obj._meta.get_fields())


def change_state(
    obj: M,
    target: str,
    *,
    table: Mapping[str, Iterable[str]],
    by,
    field: str = "status",
    changes: Mapping[str, Any] | None = None,
    fields: Iterable[str] = (),
    record: Callable[[StateChange], R] | None = None,
    now: datetime.datetime | None = None,
    refused: type[InvalidTransition] = InvalidTransition,
) -> R | StateChange:
    """Move a locked ``obj`` to ``target`` and return what ``record`` returns (or the change).

    Effects: refused with ``refused`` (an ``InvalidTransition``) unless ``table`` allows it; the state set,
    with the model's own ``<field>_changed_at`` stamped when it has one; ``changes``
    applied; the history row names ``by``; only these fields (and the already-set
    ``fields``) saved; then ``record`` writes the timeline row of the app.
    """
    previous = getattr(obj, field)
    check_transition(table, previous, target, refused=refused)
    now = now or timezone.now()
    setattr(obj, field, target)
    update = [field]
    stamp = f"{field}_changed_at"
    if _has_field(obj, stamp):
        setattr(obj, stamp, now)
        update.append(stamp)
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
        update.append(name)
    update.extend(name for name in fields if name not in update)
    obj._history_user = by
    obj.save(update_fields=update)
    change = StateChange(previous=previous, target=target, at=now)
    return record(change) if record is not None else change
