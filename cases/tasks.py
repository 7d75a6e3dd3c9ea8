from celery import shared_task


@shared_task(name="cases.send_case_event_mail")
def send_case_event_mail(*, event_id: int) -> None:
    """E-mail the people concerned by one case event; a second run sends nothing more."""
    from .notifications import send_event_mail

    send_event_mail(event_id=event_id)


@shared_task(name="cases.purge_expired")
def purge_expired() -> dict:
    """The daily retention purge (cases/retention.py): safe to run twice."""
    from .retention import retention_purge

    return retention_purge()


@shared_task(name="cases.run_pupil_export")
def run_pupil_export(*, export_id: int) -> None:
    """Make the ZIP of one pupil's export (cases/pupil_export.py)."""
    from .pupil_export import pupil_export_run

    pupil_export_run(export_id=export_id)
