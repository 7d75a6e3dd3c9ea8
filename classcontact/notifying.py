"""One switch for the e-mails a change sends: on, except while demo data or past records are
loaded (``notifications_off``). Every app's services ask ``notifying()`` before they queue a
mail, so one ``with notifications_off():`` silences the whole portal, logistics included."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_notifications_on: ContextVar[bool] = ContextVar("notifications_on", default=True)


@contextmanager
def notifications_off() -> Iterator[None]:
    """Record the changes without e-mailing anyone (demo data, imports of past records)."""
    token = _notifications_on.set(False)
    try:
        yield
    finally:
        _notifications_on.reset(token)


def notifying() -> bool:
    """Whether the changes of this moment e-mail people."""
    return _notifications_on.get()
