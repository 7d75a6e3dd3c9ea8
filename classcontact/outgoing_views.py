"""Staff page of outgoing work: queued, sent and failed e-mails (with the server's reason),
and the work waiting for a worker; each failed or waiting one can be tried again."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from post_office.models import STATUS, Email, Log

from schools.models import StaffRole

from .decorators import staff_required
from .emails import mail_retry
from .outbox import item_retry
from .outbox_models import OutboxItem, OutboxState

MAIL_FILTERS = {
    "queued": [STATUS.queued, STATUS.requeued],
    "sent": [STATUS.sent],
    "failed": [STATUS.failed],
}
SHOWN = 50
MESSAGE_MAIL_RETRIED = _("The e-mail will be sent again in a moment.")
MESSAGE_WORK_RETRIED = _("This work will be tried again in a moment.")


@staff_required(roles=(StaffRole.COORDINATOR,))
def outgoing(request: HttpRequest) -> HttpResponse:
    shown = request.GET.get("mail", "")
    mails = Email.objects.order_by("-created").prefetch_related(
        Prefetch("logs", queryset=Log.objects.order_by("-date"), to_attr="attempts")
    )
    if shown in MAIL_FILTERS:
        mails = mails.filter(status__in=MAIL_FILTERS[shown])
    waiting = OutboxItem.objects.exclude(state=OutboxState.DONE).order_by("created_at")
    context = {
        "mails": mails[:SHOWN],
        "shown": shown,
        "filters": [("", _("all"))] + [(name, label) for name, label in _filter_labels()],
        "waiting": waiting[:SHOWN],
        "waiting_count": waiting.count(),
        "statuses": STATUS,
    }
    return render(request, "staff/outgoing.html", context)


def _filter_labels():
    return [("queued", _("queued")), ("sent", _("sent")), ("failed", _("failed"))]


@staff_required(roles=(StaffRole.COORDINATOR,))
@require_POST
def outgoing_mail_retry(request: HttpRequest, email_id: int) -> HttpResponse:
    email = get_object_or_404(Email, pk=email_id)
    mail_retry(email=email)
    messages.success(request, MESSAGE_MAIL_RETRIED)
    return redirect("outgoing")


@staff_required(roles=(StaffRole.COORDINATOR,))
@require_POST
def outgoing_work_retry(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(OutboxItem, pk=item_id)
    item_retry(item=item)
    messages.success(request, MESSAGE_WORK_RETRIED)
    return redirect("outgoing")
