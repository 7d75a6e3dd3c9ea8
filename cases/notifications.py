"""Who hears about a case event, and with which e-mail.

Called by the ``loans.send_case_event_mail`` task once the event's transaction has
committed. Each event is mailed at most once: its ``notified_at`` says it was done.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from classcontact.emails import send_templated_mail
from schools.models import MembershipRole, StaffRole, User
from schools.selectors import user_is_staff_member

from .models import CaseEvent, ConnectionCase, EventKind

SCHOOL_MAILS = {
    EventKind.SUBMITTED: "case-submitted",
    EventKind.DECLARED_ELIGIBLE: "case-decision",
    EventKind.DECLARED_INELIGIBLE: "case-decision",
    EventKind.WITHDRAWN: "case-withdrawn",
    EventKind.END_REQUESTED: "case-end-requested",
}
# Sent to the team when the school (or a parent) did something, not when staff did.
STAFF_NOTICES = frozenset(
    {
        EventKind.WITHDRAWN,
        EventKind.END_REQUESTED,
        EventKind.PRESENTATION_REQUESTED,
        EventKind.CLASSMATES_LETTER_REQUESTED,
    }
)


def school_recipients(case: ConnectionCase) -> list[User]:
    """The school's directors and delegates; the person who asked if nobody else is left."""
    people = list(
        User.objects.filter(
            is_active=True,
            memberships__school_id=case.school_id,
            memberships__role__in=[MembershipRole.DIRECTOR, MembershipRole.DELEGATE],
        )
        .distinct()
        .order_by("email")
    )
    if not people and case.created_by and case.created_by.is_active:
        people = [case.created_by]
    return people


def staff_recipients(case: ConnectionCase) -> list[User]:
    """The case's coordinator, or every coordinator while the case has none."""
    if case.coordinator and case.coordinator.is_active:
        return [case.coordinator]
    group = Group.objects.filter(name=StaffRole.COORDINATOR).first()
    if group is None:
        return []
    return list(group.user_set.filter(is_active=True, is_staff=True).order_by("email"))


def _context(event: CaseEvent, *, link: str) -> dict:
    case = event.case
    return {
        "case_number": case.number_display,
        "pupil": case.pupil_display,
        "school_name": case.school.name,
        "kind": event.kind,
        "what": event.get_kind_display(),
        "message": event.message,
        "eligible": event.kind == EventKind.DECLARED_ELIGIBLE,
        "last_day": case.last_day_of_use,
        "acting_for_parent": event.acting_for_parent,
        "actor": str(event.actor) if event.actor else "",
        "link": link,
    }


def send_event_mail(*, event_id: int) -> None:
    with transaction.atomic():
        event = (
            CaseEvent.objects.select_for_update(of=("self",))
            .select_related("case__school", "case__created_by", "case__coordinator", "actor")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.notified_at is not None:
            return
        case = event.case
        school_link = settings.SITE_URL + reverse("cases:detail", kwargs={"case_id": case.public_id})
        staff_link = settings.SITE_URL + reverse("cases:staff_detail", kwargs={"case_id": case.public_id})
        name = SCHOOL_MAILS.get(event.kind)
        # A draft that the school drops was never seen by anyone: nothing to tell.
        if event.kind == EventKind.WITHDRAWN and event.from_status == "draft":
            name = None
        if name:
            context = _context(event, link=school_link)
            for person in school_recipients(case):
                send_templated_mail(name=name, to=[person.email], context=context, language=person.language)
        by_school = event.actor is None or not user_is_staff_member(event.actor)
        if event.kind in STAFF_NOTICES and by_school and event.from_status != "draft":
            context = _context(event, link=staff_link)
            for person in staff_recipients(case):
                send_templated_mail(
                    name="case-staff-notice", to=[person.email], context=context, language=person.language
                )
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
