"""Enqueueing work only once the surrounding transaction has committed, durably."""

from .outbox import record


def enqueue_on_commit(task, *, outbox_key: str | None = None, **kwargs) -> None:
    """Record ``task`` (a task, or a task's name) with keyword arguments in the current
    transaction; a worker runs it once the transaction has committed.

    The record is in the database (``classcontact.outbox``): if the broker cannot be reached
    the request goes on and the periodic sweep hands the work to a worker later. With
    ``outbox_key``, recording the same occasion twice runs the task once. A name lets a
    service enqueue a task whose module imports that service, without an import cycle.
    Without a broker (``CELERY_TASK_ALWAYS_EAGER``) the task runs inline after the commit.
    """
    record(task, key=outbox_key, **kwargs)
