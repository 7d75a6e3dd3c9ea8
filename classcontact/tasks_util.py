"""Enqueueing Celery tasks only once the surrounding transaction has committed."""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, **kwargs) -> None:
    """Send ``task`` with keyword arguments once the current transaction commits.

    Outside a transaction it is sent at once. With no broker configured, Celery runs it
    inline (``CELERY_TASK_ALWAYS_EAGER``), still after the commit.
    """
    transaction.on_commit(partial(task.apply_async, kwargs=kwargs))
