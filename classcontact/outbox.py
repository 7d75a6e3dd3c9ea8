"""Durable side effects: record work in the change's transaction, deliver it with workers.

``record`` writes an ``OutboxItem`` in the caller's transaction and, once it commits, tries
to wake a worker (``kick``) without ever making the request wait on the broker: a short
connect timeout, no retry, and after a failure no new attempt for a few seconds. Whatever
was not handed to a worker is found by ``sweep`` (Celery beat), and a worker runs an item
with ``run_item``: the task's own writes and the item's "done" commit together, so a task
that died half-way runs again from the start and one that finished never runs twice.
"""

import datetime
from functools import partial
import logging
import time
import uuid

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .outbox_models import OutboxItem, OutboxState

logger = logging.getLogger(__name__)

RUNNER_TASK = "classcontact.run_outbox_item"
_broker_down_until = 0.0


class TryLater(Exception):  # noqa: N818 - a request, not an error
    """Raised by a task that did part of its work (kept) and must run again later."""


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def record(task, *, key: str | None = None, **kwargs) -> OutboxItem:
    """Record ``task(**kwargs)`` to run after the current transaction commits (once per ``key``)."""
    name = _task_name(task)
    item, created = OutboxItem.objects.get_or_create(
        key=key or f"{name}:{uuid.uuid4().hex}",
        defaults={"task": name, "kwargs": kwargs, "next_attempt_at": timezone.now() + _lease()},
    )
    if created:
        transaction.on_commit(partial(kick, item.pk))
    return item


def kick(item_id: int) -> bool:
    """Hand an item to a worker now if the broker answers at once; never raises."""
    global _broker_down_until
    app = current_app
    if app.conf.task_always_eager:
        run_item(item_id)
        return True
    if time.monotonic() < _broker_down_until:
        _due_now(item_id)
        return False
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            app.send_task(
                RUNNER_TASK,
                kwargs={"item_id": item_id},
                connection=connection,
                retry=False,
                ignore_result=True,
            )
    except Exception as exc:  # noqa: BLE001 - the sweep delivers it later
        _broker_down_until = time.monotonic() + settings.OUTBOX_BROKER_PAUSE_SECONDS
        logger.warning("Broker unreachable, work %s waits for the sweep: %s", item_id, exc)
        _due_now(item_id)
        return False
    return True


def _due_now(item_id: int) -> None:
    """Not handed out: the next sweep takes it (no lease to wait for)."""
    try:
        OutboxItem.objects.filter(pk=item_id, state=OutboxState.PENDING).update(
            next_attempt_at=timezone.now()
        )
    except Exception:  # noqa: BLE001 - it is due after its lease all the same
        logger.exception("Could not mark work %s due", item_id)


def run_item(item_id: int) -> str | None:
    """Run one pending item (skipped if another worker holds it); returns its new state."""
    try:
        with transaction.atomic():
            item = (
                OutboxItem.objects.select_for_update(skip_locked=True)
                .filter(pk=item_id, state=OutboxState.PENDING)
                .first()
            )
            if item is None:
                return None
            item.attempts += 1
            try:
                _call(item)
            except TryLater as exc:
                _reschedule(item, exc)  # what the task wrote so far is kept
            else:
                item.state, item.done_at, item.last_error = OutboxState.DONE, timezone.now(), ""
                item.save(update_fields=["state", "done_at", "last_error", "attempts"])
            return item.state
    except Exception as exc:
        logger.exception("Work %s failed", item_id)
        return _record_failure(item_id, exc)  # everything the task wrote was rolled back


def _call(item: OutboxItem) -> None:
    app = current_app
    if item.task not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
    app.tasks[item.task](**item.kwargs)


def _error_text(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def _reschedule(item: OutboxItem, exc: BaseException) -> None:
    item.last_error = _error_text(exc)
    if item.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        item.state = OutboxState.FAILED
    else:
        delay = min(settings.OUTBOX_RETRY_SECONDS * 2 ** (item.attempts - 1), 3600)
        item.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    item.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])


@transaction.atomic
def _record_failure(item_id: int, exc: BaseException) -> str | None:
    item = OutboxItem.objects.select_for_update().filter(pk=item_id, state=OutboxState.PENDING).first()
    if item is None:
        return None
    item.attempts += 1
    _reschedule(item, exc)
    return item.state


def sweep(*, limit: int = 500) -> int:
    """Hand every due pending item to the workers again (Celery beat); returns how many."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxItem.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        # Leased: the sweep hands it out again only if nobody finished it meanwhile.
        OutboxItem.objects.filter(pk__in=due).update(next_attempt_at=now + _lease())
    for item_id in due:
        if not kick(item_id) and not current_app.conf.task_always_eager:
            break  # broker gone again: the next sweep tries
    return len(due)


@transaction.atomic
def item_retry(*, item: OutboxItem) -> OutboxItem:
    """Staff: try a waiting or failed item again now."""
    item = OutboxItem.objects.select_for_update().get(pk=item.pk)
    if item.state == OutboxState.DONE:
        return item
    item.state, item.next_attempt_at = OutboxState.PENDING, timezone.now() + _lease()
    if item.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        item.attempts = 0
    item.save(update_fields=["state", "next_attempt_at", "attempts"])
    transaction.on_commit(partial(kick, item.pk))
    return item


def oldest_pending_age(now=None) -> float | None:
    """Seconds since the oldest pending item was recorded, or None."""
    oldest = (
        OutboxItem.objects.filter(state=OutboxState.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if oldest is None:
        return None
    return ((now or timezone.now()) - oldest).total_seconds()
