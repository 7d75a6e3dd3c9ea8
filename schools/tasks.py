"""Celery tasks of the directory: thin, named, safe to run twice."""

from celery import shared_task


@shared_task(name="schools.run_reminders", ignore_result=True)
def run_reminders() -> int:
    """Send the reminders due today (each at most once: schools/reminders.py)."""
    from .reminders import run_reminders as run

    return run()
