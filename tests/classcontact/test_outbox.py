"""The outbox: work recorded with the change, run once, retried with backoff, never lost."""

import datetime
import time
from unittest import mock

from celery import shared_task
from django.db import transaction
from django.utils import timezone
import pytest

from classcontact import outbox
from classcontact.models import OutboxItem, OutboxState
from classcontact.tasks_util import enqueue_on_commit
from schools.models import School
from tests.builders.schools import make_school

CALLS: list[dict] = []


@shared_task(name="tests.outbox_probe")
def outbox_probe(*, school_id: int, fail: str = "") -> None:
    """Renames a school (a write that must commit with the item), then fails if asked."""
    CALLS.append({"school_id": school_id})
    School.objects.filter(pk=school_id).update(name=f"run {len(CALLS)}")
    if fail == "error":
        raise ConnectionRefusedError("server said no")
    if fail == "later":
        raise outbox.TryLater("451 try again")


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


@pytest.mark.django_db(transaction=True)
def test_the_same_occasion_recorded_twice_runs_once(school_a):
    with transaction.atomic():
        enqueue_on_commit(outbox_probe, outbox_key="once", school_id=school_a.pk)
        enqueue_on_commit(outbox_probe, outbox_key="once", school_id=school_a.pk)

    assert len(CALLS) == 1
    item = OutboxItem.objects.get()
    assert (item.state, item.attempts, item.done_at is not None) == (OutboxState.DONE, 1, True)
    assert outbox.run_item(item.pk) is None  # done work is never run again
    assert len(CALLS) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_keeps_nothing_and_waits_longer_each_time(settings, school_a):
    settings.OUTBOX_RETRY_SECONDS = 10
    with transaction.atomic():
        enqueue_on_commit(outbox_probe, school_id=school_a.pk, fail="error")
    item = OutboxItem.objects.get()
    first_wait = item.next_attempt_at - timezone.now()
    outbox.run_item(item.pk)
    item.refresh_from_db()
    second_wait = item.next_attempt_at - timezone.now()

    school_a.refresh_from_db()
    assert school_a.name == "École A"  # the task's write was rolled back with it
    assert item.state == OutboxState.PENDING and item.attempts == 2
    assert item.last_error == "ConnectionRefusedError: server said no"
    assert datetime.timedelta(seconds=8) < first_wait <= datetime.timedelta(seconds=10)
    assert datetime.timedelta(seconds=18) < second_wait <= datetime.timedelta(seconds=20)


@pytest.mark.django_db(transaction=True)
def test_try_later_keeps_what_the_task_wrote_and_stops_after_the_last_attempt(settings, school_a):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with transaction.atomic():
        enqueue_on_commit(outbox_probe, school_id=school_a.pk, fail="later")
    item = OutboxItem.objects.get()
    outbox.run_item(item.pk)
    item.refresh_from_db()

    school_a.refresh_from_db()
    assert school_a.name == "run 2"
    assert (item.state, item.attempts, item.last_error) == (OutboxState.FAILED, 2, "TryLater: 451 try again")
    outbox.item_retry(item=item)
    item.refresh_from_db()
    assert item.state == OutboxState.PENDING and len(CALLS) == 3


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_unreachable_the_request_goes_on_and_the_sweep_delivers(settings, school_a):
    from classcontact.celery import app

    app.conf.task_always_eager = False
    broker = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        started = time.monotonic()
        with transaction.atomic():
            enqueue_on_commit(outbox_probe, school_id=school_a.pk)
            enqueue_on_commit(outbox_probe, school_id=school_a.pk)
        elapsed = time.monotonic() - started
    finally:
        app.conf.broker_url = broker
        app.conf.task_always_eager = True
        outbox._broker_down_until = 0.0
    assert elapsed < 1.5
    assert CALLS == [] and OutboxItem.objects.filter(state=OutboxState.PENDING).count() == 2

    # Not handed to any worker: due at once for the next sweep (no lease to wait for).
    assert all(item.next_attempt_at <= timezone.now() for item in OutboxItem.objects.all())
    assert outbox.sweep() == 2  # inline here; a worker with a broker elsewhere
    assert outbox.sweep() == 0  # done: never handed out again

    assert len(CALLS) == 2
    assert set(OutboxItem.objects.values_list("state", flat=True)) == {OutboxState.DONE}


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_database_write_failed_stays_pending():
    school = make_school(name="Gone soon")
    with mock.patch.object(outbox, "kick"), transaction.atomic():
        enqueue_on_commit(outbox_probe, school_id=school.pk)
    item = OutboxItem.objects.get()
    with mock.patch.object(outbox, "_call", side_effect=SystemError("worker lost its database")):
        outbox.run_item(item.pk)
    item.refresh_from_db()
    assert item.state == OutboxState.PENDING and "worker lost its database" in item.last_error
