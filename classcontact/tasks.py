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


@shared_task(name="classcontact.run_export_job")
def run_export_job(*, job_id: int) -> None:
    """Make the file of one queued export (classcontact/export_jobs.py)."""
    from .export_jobs import export_job_run

    export_job_run(job_id=job_id)


@shared_task(name="classcontact.purge_export_jobs")
def purge_export_jobs() -> int:
    """Delete exports older than EXPORT_KEEP_DAYS, with their files."""
    from .export_jobs import export_jobs_purge

    return export_jobs_purge()
