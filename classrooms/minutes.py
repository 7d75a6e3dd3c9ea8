"""The minutes of a commission session: a pure function from the session to the bytes of a PDF."""

from django.conf import settings

from classcontact.pdf import render_pdf

from .models import CommissionSession
from .selectors import calendar_grid, session_proposals


def minutes_context(session: CommissionSession) -> dict:
    return {
        "session": session,
        "campaign": session.campaign,
        "present": list(session.present.order_by("last_name", "first_name")),
        "proposals": session_proposals(session),
        "grid": calendar_grid(session.campaign),
    }


def minutes_pdf(session: CommissionSession) -> bytes:
    """The minutes' PDF (in the portal's language: the commission works in French)."""
    return render_pdf("pdf/classroom_minutes.html", minutes_context(session), language=settings.LANGUAGE_CODE)
