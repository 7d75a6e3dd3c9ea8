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
