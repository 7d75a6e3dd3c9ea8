"""Who hears about an application event, and with which e-mail.

Called by the ``classrooms.send_application_event_mail`` task once the event's transaction
has committed. Each event is mailed at most once: its ``notified_at`` says it was done.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from classcontact.emails import send_templated_mail
from schools.models import MembershipRole, ProgrammeRole, User

from .models import APPLICATION_STATES, Application, ApplicationEvent, EventKind

#: Events the school hears about (its directors, and the teachers once decided).
SCHOOL_MAILS = {
    EventKind.INVITED: "classroom-invitation",
    EventKind.OPINION_GIVEN: "classroom-school-update",
    EventKind.ACCEPTED: "classroom-school-update",
    EventKind.REFUSED: "classroom-school-update",
    EventKind.WAITING_LIST: "classroom-school-update",
    EventKind.MOVED: "classroom-school-update",
}
DECISIONS = frozenset({EventKind.ACCEPTED, EventKind.REFUSED, EventKind.WAITING_LIST})


def school_recipients(application: Application, *, with_teachers: bool) -> list[User]:
    roles = [MembershipRole.DIRECTOR, MembershipRole.DELEGATE]
    people = User.objects.filter(
        is_active=True, memberships__school_id=application.school_id, memberships__role__in=roles
    )
    found = {person.pk: person for person in people}
    if with_teachers:
        found.update({person.pk: person for person in application.teachers.filter(is_active=True)})
    return sorted(found.values(), key=lambda person: person.email)


def inspector_of(application: Application) -> list[User]:
    district = application.school.inspection_district
    inspector = district.inspector if district else None
    return [inspector] if inspector and inspector.is_active else []


def advisers() -> list[User]:
    group = Group.objects.filter(name=ProgrammeRole.ADVISER).first()
    return list(group.user_set.filter(is_active=True).order_by("email")) if group else []


def programme_recipients(event: ApplicationEvent) -> list[User]:
    """The programme's people told of what the school or the inspector did."""
    application = event.application
    if event.kind == EventKind.SUBMITTED:
        return inspector_of(application)
    if event.kind == EventKind.OPINION_GIVEN:
        return advisers()
    if event.kind == EventKind.WITHDRAWN and event.from_status != "draft":
        people = inspector_of(application)
        return people + advisers() if event.from_status != "submitted" else people
    return []


def _context(event: ApplicationEvent, *, link: str) -> dict:
    application = event.application
    return {
        "number": application.number_display,
        "school_name": application.school.name,
        "class_name": application.class_display,
        "kind": event.kind,
        "what": event.get_kind_display(),
        "state": APPLICATION_STATES.school_label(application.status),
        "next_step": APPLICATION_STATES[application.status].school_next,
        "message": event.message,
        "opinion_comment": application.opinion_comment if application.opinion_shared else "",
        "trimester": application.accepted_trimester,
        "kit_type": application.accepted_kit_type,
        "invited_by": str(application.invited_by or ""),
        "actor": str(event.actor or ""),
        "link": link,
    }


def _send(name: str, people: list[User], context: dict) -> None:
    for person in people:
        send_templated_mail(name=name, to=[person.email], context=context, language=person.language)


def send_event_mail(*, event_id: int) -> None:
    with transaction.atomic():
        event = (
            ApplicationEvent.objects.select_for_update(of=("self",))
            .select_related(
                "application__school__inspection_district__inspector",
                "application__accepted_trimester__school_year",
                "application__accepted_kit_type",
                "application__invited_by",
                "actor",
            )
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.notified_at is not None:
            return
        public_id = event.application.public_id
        school_link = settings.SITE_URL + reverse("classrooms:detail", kwargs={"application_id": public_id})
        review_link = settings.SITE_URL + reverse("classrooms:review", kwargs={"application_id": public_id})
        name = SCHOOL_MAILS.get(event.kind)
        if name:
            people = school_recipients(event.application, with_teachers=event.kind in DECISIONS)
            _send(name, people, _context(event, link=school_link))
        _send("classroom-notice", programme_recipients(event), _context(event, link=review_link))
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
