"""The presentation day's invitation letters: pure functions from the follow-up to PDF bytes."""

from django.conf import settings

from classcontact.pdf import render_pdf

from .models import ClassFollowUp

AUDIENCES = ("municipality", "parents")


def letter_context(followup: ClassFollowUp, audience: str) -> dict:
    application = followup.application
    return {
        "audience": audience,
        "followup": followup,
        "application": application,
        "school": application.school,
        "invitees": followup.invitee_labels(),
    }


def presentation_letter(followup: ClassFollowUp, audience: str) -> bytes:
    """One letter (in French, the schools' language), for the municipality or the parents."""
    return render_pdf(
        "pdf/classroom_presentation_letter.html",
        letter_context(followup, audience),
        language=settings.LANGUAGE_CODE,
    )


def presentation_letters(followup: ClassFollowUp) -> tuple[bytes, bytes]:
    return presentation_letter(followup, "municipality"), presentation_letter(followup, "parents")
