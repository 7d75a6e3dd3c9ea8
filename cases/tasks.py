from celery import shared_task


@shared_task(name="cases.send_case_event_mail")
def send_case_event_mail(*, event_id: int) -> None:
    """E-mail the people concerned by one case event; a second run sends nothing more."""
    from .notifications import send_event_mail

    send_event_mail(event_id=event_id)
