from celery import shared_task


@shared_task(name="classcontact.ping")
def ping(*, value: str = "pong") -> str:
    """A task with no side effect, used by the health page and the worker test."""
    return value
