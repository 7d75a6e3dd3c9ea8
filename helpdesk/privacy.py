"""What the helpdesk erases (registered in ``apps.py``).

Tickets about an expired case: the pupil's known values are replaced in their subject,
description and messages (history included) and their attachments are deleted. Every
ticket closed more than ``RETENTION_TICKET_MONTHS`` months ago loses its free text (subject
kept as its reference, description and messages blanked) and its attachments; its dates,
category and targets stay for the helpdesk's figures.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from classcontact.retention import ERASED, Known, delete_files, overwrite, scrub

from .models import Ticket, TicketAttachment, TicketMessage


def _drop_attachments(attachments) -> int:
    removed = delete_files(a.file for a in attachments)
    attachments.delete()
    return removed


def helpdesk_identity_purge(case, known: Known) -> dict[str, int]:
    tickets = Ticket.objects.filter(case=case)
    changed = scrub(tickets, ["subject", "description"], known)
    changed += scrub(TicketMessage.objects.filter(ticket__in=tickets), ["body"], known)
    files = _drop_attachments(TicketAttachment.objects.filter(ticket__in=tickets))
    return {"tickets": changed, "ticket attachments": files}


def helpdesk_sweep(now: datetime.datetime) -> dict[str, int]:
    """Old closed tickets lose their free text and files (safe to run twice)."""
    limit = now - relativedelta(months=settings.RETENTION_TICKET_MONTHS)
    tickets = Ticket.objects.filter(closed_at__lt=limit).exclude(description=ERASED)
    ids = list(tickets.values_list("pk", flat=True)[: settings.RETENTION_BATCH_SIZE * 20])
    if not ids:
        return {}
    old = Ticket.objects.filter(pk__in=ids)
    files = _drop_attachments(TicketAttachment.objects.filter(ticket__in=ids))
    messages = overwrite(TicketMessage.objects.filter(ticket__in=ids), {"body": ERASED})
    overwrite(old, {"description": ERASED, "subject": F("reference")})
    return {"old tickets": len(ids), "old ticket messages": messages, "old ticket attachments": files}


def tickets_export_section(case):
    """A pupil's export: the helpdesk tickets about the case, their messages and files."""
    from cases.pupil_export import ExportSection

    tickets = Ticket.objects.filter(case=case).order_by("pk")
    data = {
        "tickets": list(
            tickets.values(
                "reference",
                "subject",
                "category",
                "priority",
                "description",
                "status",
                "created_at",
                "closed_at",
                "opened_by__email",
            )
        ),
        "messages": list(
            TicketMessage.objects.filter(ticket__in=tickets)
            .order_by("created_at", "pk")
            .values("ticket__reference", "author__email", "body", "visibility", "created_at")
        ),
    }
    attachments = TicketAttachment.objects.filter(ticket__in=tickets).select_related("ticket")
    files = [(f"{a.ticket.reference}-{a.pk}-{a.filename}", a.file) for a in attachments]
    return ExportSection(name="tickets", title=str(_("Helpdesk tickets")), data=data, files=files)
