"""Celery tasks of kits and visits: thin, named, keyword ids only, safe to run twice."""

from celery import shared_task


@shared_task(name="loans.send_visit_mail")
def send_visit_mail(*, visit_id: int, event: str) -> None:
    """Tell the technician and the school that a visit was planned, moved or cancelled."""
    from .models import Visit
    from .notifications import visit_send_mail

    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is None:
        return
    visit_send_mail(visit=visit, event=event)
