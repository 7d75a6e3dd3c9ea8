"""Enqueueing Celery tasks only once the surrounding transaction has committed."""

from functools import partial

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task, **kwargs) -> None:
    """Send ``task`` (a task, or a task's name) with keyword arguments once the current
    transaction commits.

    A name lets a service enqueue a task whose module imports that service, without an
    import cycle. Outside a transaction it is sent at once. With no broker configured,
    Celery runs it inline (``CELERY_TASK_ALWAYS_EAGER``), still after the commit.
    """
    transaction.on_commit(partial(_send, task, kwargs))


def _send(task, kwargs: dict) -> None:
    if isinstance(task, str):
        if task not in current_app.tasks:
            current_app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
        task = current_app.tasks[task]
    task.apply_async(kwargs=kwargs)
