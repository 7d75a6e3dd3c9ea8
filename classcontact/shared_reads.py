"""Small reads that rarely change, kept in the cache between requests.

A page that reads the same few rows on every request (the default school calendar, the
helpdesk's ready-made answers, the people tickets can be assigned to) asks the cache instead.
Any change to one of the models the read depends on forgets it: the read is deleted from the
cache at once and again when the change's transaction commits (a request reading in between
would otherwise keep the old rows). The timeout bounds what a change made outside Django (a
raw SQL script) could leave. When the cache (Redis) does not answer, the read goes to the
database, as if there were no cache: a page never fails for it. Within a request, the first
read asks the cache for every shared read at once (a page often needs two or three), and the
request keeps what it got::

    CANNED = SharedRead("helpdesk:canned-replies", load_canned, models=[CannedReply])
    CANNED.connect()  # in the app's ready()
    replies = CANNED.get()

``kept`` keeps a larger value the same way under a key naming what it depends on (the
yearly report: a generation renewed by a shared read, the year and the day).
"""

from collections.abc import Callable, Iterable
import logging
import threading

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

# Every shared read by key, and what the current request got from the cache (``values`` is
# None outside a request: a task or a command asks the cache each time).
_READS: dict[str, "SharedRead"] = {}
_request = threading.local()
_UNREACHABLE = object()


def _request_began(**_signal) -> None:
    _request.values = {}
    _request.fetched = False


def _request_ended(**_signal) -> None:
    _request.values = None


request_started.connect(_request_began, dispatch_uid="shared-reads-begin", weak=False)
request_finished.connect(_request_ended, dispatch_uid="shared-reads-end", weak=False)


def _cached(key: str):
    """The cached value of ``key`` (None when not cached), or ``_UNREACHABLE``."""
    values = getattr(_request, "values", None)
    try:
        if values is None:
            return cache.get(key)
        if not _request.fetched:
            _request.fetched = True
            values.update(cache.get_many(list(_READS)))
        return values.get(key)
    except Exception:  # the cache is unreachable: read the database as if there were none
        logger.warning("%s read without the cache", key, exc_info=True)
        return _UNREACHABLE


def kept(key: str, compute: Callable, *, seconds: int):
    """A value kept in the cache under ``key`` (the caller names in the key what it depends
    on), computed when missing; computed without the cache when the cache does not answer."""
    try:
        value = cache.get(key)
    except Exception:  # the cache is unreachable: compute, as if there were none
        logger.warning("%s computed without the cache", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        _quietly(key, lambda: cache.set(key, value, seconds))
    return value


def _quietly(key: str, change: Callable) -> None:
    try:
        change()
    except Exception:  # unreachable: whatever it still holds expires in its own time
        logger.warning("%s: the cache could not be changed", key, exc_info=True)


class SharedRead:
    def __init__(
        self,
        key: str,
        load: Callable,
        *,
        models: Iterable,
        through: Iterable = (),
        seconds: int = 900,
        unread_fields: Iterable[str] = (),
    ):
        self.key = key
        self.load = load
        self.models = tuple(models)
        self.through = tuple(through)  # many-to-many tables whose changes count too
        self.seconds = seconds
        # Fields the read never shows: a save of those alone (``update_fields``) keeps it.
        self.unread_fields = frozenset(unread_fields)
        _READS[key] = self

    def get(self):
        value = _cached(self.key)
        if value is _UNREACHABLE:
            return self.load()
        if value is None:
            value = self.load()
            self._change(lambda: cache.set(self.key, value, self.seconds))
            self._keep(value)
        return value

    def _keep(self, value) -> None:
        values = getattr(_request, "values", None)
        if values is not None:
            values[self.key] = value

    def forget(self, update_fields=None, **_signal) -> None:
        if update_fields and self.unread_fields.issuperset(update_fields):
            return
        values = getattr(_request, "values", None)
        if values is not None:
            values.pop(self.key, None)
        self._change(lambda: cache.delete(self.key))
        transaction.on_commit(lambda: self._change(lambda: cache.delete(self.key)))

    def connect(self) -> None:
        """Forget the read whenever one of its models changes (call once, in ``ready``)."""
        for model in self.models:
            uid = f"{self.key}:{model._meta.label}"
            post_save.connect(self.forget, sender=model, dispatch_uid=uid, weak=False)
            post_delete.connect(self.forget, sender=model, dispatch_uid=uid, weak=False)
        for table in self.through:
            m2m_changed.connect(
                self.forget, sender=table, dispatch_uid=f"{self.key}:{table._meta.label}", weak=False
            )

    def _change(self, change: Callable) -> None:
        _quietly(self.key, change)
