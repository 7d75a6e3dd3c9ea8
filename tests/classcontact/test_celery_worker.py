import pytest

from classcontact.tasks import ping


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_to_completion(celery_worker_redis):
    result = ping.apply_async(kwargs={"value": "hello"})
    assert result.get(timeout=20) == "hello"
    assert result.successful()


@pytest.mark.django_db(transaction=True)
def test_tasks_are_enqueued_only_after_commit(django_capture_on_commit_callbacks):
    from unittest import mock

    from django.db import transaction

    from classcontact.tasks_util import enqueue_on_commit

    with mock.patch.object(ping, "apply_async") as apply_async:
        with transaction.atomic():
            enqueue_on_commit(ping, value="later")
            assert apply_async.call_count == 0
        assert apply_async.call_count == 1
        assert apply_async.call_args.kwargs == {"kwargs": {"value": "later"}}


@pytest.mark.django_db(transaction=True)
def test_tasks_are_dropped_when_the_transaction_rolls_back():
    from unittest import mock

    from django.db import transaction

    from classcontact.tasks_util import enqueue_on_commit

    with mock.patch.object(ping, "apply_async") as apply_async:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(ping, value="never")
            raise RuntimeError
    assert apply_async.call_count == 0
