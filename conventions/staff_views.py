"""Staff pages about the documents' own work: documents still being prepared, and a retry."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from classcontact.decorators import staff_required
from schools.models import StaffRole

from . import services
from .models import Document, DocumentStatus

MESSAGE_RENDER_RETRIED = _("The document will be prepared again in a moment.")


@staff_required(roles=(StaffRole.COORDINATOR,))
def staff_preparing(request: HttpRequest) -> HttpResponse:
    """Documents whose PDF is not made yet, oldest first, with how long they have waited."""
    documents = (
        Document.objects.filter(status=DocumentStatus.PREPARING)
        .select_related("case", "case__school")
        .order_by("status_changed_at")[:100]
    )
    return render(request, "conventions/staff_preparing.html", {"documents": documents})


@staff_required(roles=(StaffRole.COORDINATOR,))
@require_POST
def staff_render_retry(request: HttpRequest, document_id) -> HttpResponse:
    document = get_object_or_404(Document, public_id=document_id)
    services.document_render_retry(document=document, by=request.user)
    messages.success(request, MESSAGE_RENDER_RETRIED)
    return redirect("conventions:staff_preparing")
