from celery import shared_task


@shared_task(name="classcontact.ping")
def ping(*, value: str = "pong") -> str:
    """A task with no side effect, used by the health page and the worker test."""
    return value


@shared_task(name="classcontact.run_import_job")
def run_import_job(*, job_id: int) -> None:
    """Run one queued import (classcontact/import_jobs.py)."""
    from .import_jobs import import_job_run

    import_job_run(job_id=job_id)
