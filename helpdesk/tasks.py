from celery import shared_task


@shared_task(name="helpdesk.send_ticket_mail")
def send_ticket_mail(
    *, ticket_id: int, event: str, message_id: int | None = None, old_status: str = ""
) -> int:
    from .notifications import send_ticket_mail as send

    return send(
        ticket_id=ticket_id,
        event=event,
        message_id=message_id,
        old_status=old_status,
    )


@shared_task(name="helpdesk.close_stale_tickets")
def close_stale_tickets() -> int:
    from .upkeep import ticket_close_stale

    return ticket_close_stale()
