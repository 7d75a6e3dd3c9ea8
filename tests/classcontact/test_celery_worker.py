import pytest

from classcontact.models import OutboxItem, OutboxState
from classcontact.tasks import ping


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_to_completion(celery_worker_redis):
    result = ping.apply_async(kwargs={"value": "hello"})
    assert result.get(timeout=20) == "hello"
    assert result.successful()


@pytest.mark.django_db(transaction=True)
def test_work_is_recorded_in_the_transaction_and_handed_out_only_after_commit():
    from unittest import mock

    from django.db import transaction

    from classcontact import outbox
    from classcontact.tasks_util import enqueue_on_commit

    with mock.patch.object(outbox, "run_item") as run_item:
        with transaction.atomic():
            enqueue_on_commit(ping, value="later")
            assert OutboxItem.objects.get().kwargs == {"value": "later"}
            assert run_item.call_count == 0
        assert run_item.call_count == 1
    item = OutboxItem.objects.get()
    assert (item.task, item.state) == ("classcontact.ping", OutboxState.PENDING)


@pytest.mark.django_db(transaction=True)
def test_work_is_dropped_when_the_transaction_rolls_back():
    from unittest import mock

    from django.db import transaction

    from classcontact import outbox
    from classcontact.tasks_util import enqueue_on_commit

    with mock.patch.object(outbox, "run_item") as run_item:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(ping, value="never")
            raise RuntimeError
    assert run_item.call_count == 0
    assert not OutboxItem.objects.exists()
