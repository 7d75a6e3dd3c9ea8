"""The programme's reminder rules, run by the portal's reminder engine (schools.reminders).

- An application waiting for the inspector's opinion for 10 school days (of the calendar of
  its campaign) → the district's inspector.
- A commission session in 3 days → its members and its chair.

The engine counts the school days, sends each reminder once per occasion and person (in
their language, through the mail queue) and lets staff see and silence them.
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import User
from schools.reminders import Occasion, Recipient, Rule, register, subject_of, subject_pk

from .models import Application, ApplicationStatus, CommissionSession, SessionStatus

OPINION_WAIT_SCHOOL_DAYS = 10
SESSION_NOTICE_DAYS = 3


def _recipient(person: User) -> Recipient:
    return Recipient(person.email, person.language)


def opinion_occasions(today: datetime.date, subject: str | None = None):
    """Sent applications still waiting for an opinion, each for its district's inspector."""
    waiting = (
        Application.objects.filter(status=ApplicationStatus.SUBMITTED, submitted_at__isnull=False)
        .select_related("school__inspection_district__inspector", "campaign__school_year__calendar")
        .order_by("submitted_at", "pk")
    )
    if subject is not None:
        waiting = waiting.filter(pk=subject_pk(subject, Application))
    for application in waiting:
        district = application.school.inspection_district
        inspector = district.inspector if district else None
        if inspector is None or not inspector.is_active:
            continue
        yield Occasion(
            key=f"application:{application.pk}",
            since=timezone.localtime(application.submitted_at).date(),
            school=application.school,
            calendar=application.campaign.school_year.calendar,
            recipients=[_recipient(inspector)],
            context={
                "number": application.number_display,
                "school_name": application.school.name,
                "submitted_on": timezone.localtime(application.submitted_at).date(),
                "application_id": str(application.public_id),
            },
            subject=subject_of(application),
        )


def session_occasions(today: datetime.date, subject: str | None = None):
    """Open sessions held in the next ``SESSION_NOTICE_DAYS`` days, for their members and chair.

    The wait starts ``SESSION_NOTICE_DAYS`` days before the session and the reminder is due at
    once (step 0): on that day, or on the next school day when it falls on a holiday.
    """
    sessions = (
        CommissionSession.objects.filter(
            status=SessionStatus.OPEN,
            held_on__gt=today,
            held_on__lte=today + datetime.timedelta(days=SESSION_NOTICE_DAYS),
        )
        .select_related("chair", "campaign__school_year__calendar")
        .prefetch_related(Prefetch("members", queryset=User.objects.filter(is_active=True).order_by("email")))
        .order_by("pk")
    )
    if subject is not None:
        sessions = sessions.filter(pk=subject_pk(subject, CommissionSession))
    for session in sessions:
        people = {person.pk: person for person in session.members.all()}
        if session.chair and session.chair.is_active:
            people.setdefault(session.chair.pk, session.chair)
        if not people:
            continue
        yield Occasion(
            key=f"session:{session.pk}",
            since=session.held_on - datetime.timedelta(days=SESSION_NOTICE_DAYS),
            school=None,
            calendar=session.campaign.school_year.calendar,
            recipients=[_recipient(person) for person in sorted(people.values(), key=lambda p: p.email)],
            context={
                "held_on": session.held_on,
                "place": session.place,
                "campaign": session.campaign.name,
                "session_id": session.pk,
            },
            subject=subject_of(session),
        )


register(
    Rule(
        name="classrooms.opinion_waiting",
        occasions=opinion_occasions,
        steps=(OPINION_WAIT_SCHOOL_DAYS,),
        mail="classroom-opinion-reminder",
        label=_("Application waiting for the inspector's opinion"),
    )
)
register(
    Rule(
        name="classrooms.session_soon",
        occasions=session_occasions,
        steps=(0,),
        mail="classroom-session-reminder",
        label=_("Commission session in three days"),
    )
)
