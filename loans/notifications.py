"""Who hears about a visit, and with which e-mail.

A visit is mailed at most once per change: ``mailed_sequence`` records the last change
that was sent, so a task that runs twice sends nothing more.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from classcontact.emails import send_templated_mail
from schools.models import MembershipRole, User

from .models import Visit, VisitStatus

MAILS = {
    "planned": ("visit-planned", VisitStatus.PLANNED),
    "cancelled": ("visit-cancelled", VisitStatus.CANCELLED),
}


def school_managers(school_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__school_id=school_id,
            memberships__role__in=[MembershipRole.DIRECTOR, MembershipRole.DELEGATE],
        )
        .distinct()
        .order_by("email")
    )


def visit_send_mail(*, visit: Visit, event: str) -> bool:
    """Send the mail of ``event`` unless this change of the visit was already mailed."""
    name, expected_status = MAILS[event]
    with transaction.atomic():
        visit = (
            Visit.objects.select_for_update(of=("self",))
            .select_related("school", "technician")
            .get(pk=visit.pk)
        )
        if visit.status != expected_status:
            return False
        if visit.mailed_sequence is not None and visit.mailed_sequence >= visit.sequence:
            return False
        visit.mailed_sequence = visit.sequence
        visit.save(update_fields=["mailed_sequence"])
        recipients = [(visit.technician, reverse("loans:visit_detail", args=[visit.pk]), False)]
        school_link = reverse("loans:school_overview", args=[visit.school_id])
        recipients += [(person, school_link, True) for person in school_managers(visit.school_id)]
        for person, path, for_school in recipients:
            with translation.override(person.language or settings.LANGUAGE_CODE):
                kind = str(visit.get_kind_display())  # a string: templates' blocktranslate shows it as is
            context = {
                "visit": visit,
                "kind": kind,
                "school_name": visit.school.name,
                "case_number": visit.reference,
                "technician": str(visit.technician),
                "for_school": for_school,
                "link": settings.SITE_URL + path,
            }
            # Queued in this transaction, with the visit's "mailed" mark: both or neither.
            send_templated_mail(name=name, to=[person.email], context=context, language=person.language)
    return True
