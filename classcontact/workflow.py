"""State machines: one table of allowed transitions per model, checked in one place."""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _


class InvalidTransition(Exception):
    """Raised when a service is asked for a state change that its table does not allow."""

    def __init__(self, current: str, target: str):
        self.current = current
        self.target = target
        super().__init__(
            _("This action is not possible in the current state (%(current)s → %(target)s).")
            % {"current": current, "target": target}
        )


def allowed_targets(table: Mapping[str, Iterable[str]], current: str) -> frozenset[str]:
    return frozenset(table.get(current, ()))


def check_transition(table: Mapping[str, Iterable[str]], current: str, target: str) -> None:
    if target not in allowed_targets(table, current):
        raise InvalidTransition(current, target)
