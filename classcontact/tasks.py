from celery import shared_task

from .outbox import RUNNER_TASK, run_item, sweep


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


# Acknowledged late and put back in the queue when the worker dies: running an item twice
# is harmless (the second run finds it done, or finds it locked and leaves it).
@shared_task(name=RUNNER_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_outbox_item(*, item_id: int) -> None:
    """Run one recorded piece of work (classcontact/outbox.py)."""
    run_item(item_id)


@shared_task(name="classcontact.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Hand pending work whose broker message was lost or never sent to the workers (beat)."""
    return sweep()


@shared_task(name="classcontact.deliver_mail", ignore_result=True)
def deliver_mail(*, email_id: int) -> None:
    """Send one queued e-mail; run through the outbox, which retries it with backoff."""
    from .emails import mail_deliver

    mail_deliver(email_id=email_id)
