"""The deployment's reminder rules, run by the portal's reminder engine (schools.reminders).

- A training session tomorrow (or after the weekend or holidays) → its registered teachers.
- The delivery and installation of a class's kit in a week → the school's directors and the
  class's teachers.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loans.models import Visit, VisitKind, VisitStatus
from schools.calendars import SchoolDays
from schools.reminders import Occasion, Recipient, Rule, register, subject_of, subject_pk

from .models import Application, RegistrationStatus, TrainingSession
from .notifications import school_recipients

DELIVERY_NOTICE_DAYS = 7


def _day_bounds(today: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From the start of tomorrow to the end of the day ``days`` days from today (local time)."""
    start = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    )
    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=days + 1), datetime.time())
    )
    return start, end


#: How far a "training tomorrow" looks: past a weekend or a bridge to the session after it.
TRAINING_LOOKAHEAD_DAYS = 5


def _before_next_school_day(session, today: datetime.date, calendars: dict) -> bool:
    """Whether no school day of the campaign's calendar lies between today and the session:
    today is the last chance to remind (a Monday training is reminded on the Friday)."""
    calendar = session.campaign.school_year.calendar
    days = calendars.setdefault(calendar.pk, SchoolDays(calendar))
    following = days.next_school_day(today)
    return following is None or timezone.localtime(session.starts_at).date() <= following


def training_occasions(today: datetime.date, subject: str | None = None):
    """Sessions held before the next school day (tomorrow, or after a weekend or holidays),
    for their registered teachers."""
    start, end = _day_bounds(today, TRAINING_LOOKAHEAD_DAYS)
    calendars: dict = {}
    sessions = (
        TrainingSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("campaign__school_year__calendar")
        .order_by("pk")
    )
    if subject is not None:
        sessions = sessions.filter(pk=subject_pk(subject, TrainingSession))
    for session in sessions:
        if not _before_next_school_day(session, today, calendars):
            continue
        teachers = [
            registration.teacher
            for registration in session.registrations.filter(
                status=RegistrationStatus.REGISTERED, teacher__is_active=True
            )
            .select_related("teacher")
            .order_by("teacher__email")
        ]
        if not teachers:
            continue
        starts_at = timezone.localtime(session.starts_at)
        yield Occasion(
            key=f"training:{session.pk}",
            since=today,
            school=None,
            calendar=session.campaign.school_year.calendar,
            recipients=[Recipient(teacher.email, teacher.language) for teacher in teachers],
            context={"title": session.title, "starts_at": starts_at, "place": session.place},
            subject=subject_of(session),
        )


def delivery_occasions(today: datetime.date, subject: str | None = None):
    """Planned deliveries of a class's kit in the next week, for the school."""
    start, end = _day_bounds(today, DELIVERY_NOTICE_DAYS)
    visits = (
        Visit.objects.filter(
            kind=VisitKind.INSTALLATION,
            status=VisitStatus.PLANNED,
            holder_type=ContentType.objects.get_for_model(Application),
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("school")
        .order_by("pk")
    )
    if subject is not None:
        visits = visits.filter(pk=subject_pk(subject, Visit))
    applications = Application.objects.select_related("campaign__school_year__calendar").in_bulk(
        [visit.holder_id for visit in visits]
    )
    for visit in visits:
        application = applications.get(visit.holder_id)
        if application is None:
            continue
        people = school_recipients(application, with_teachers=True)
        if not people:
            continue
        starts_at = timezone.localtime(visit.starts_at)
        yield Occasion(
            key=f"delivery:{visit.pk}",
            since=starts_at.date() - datetime.timedelta(days=DELIVERY_NOTICE_DAYS),
            school=visit.school,
            calendar=application.campaign.school_year.calendar,
            recipients=[Recipient(person.email, person.language) for person in people],
            context={
                "school_name": visit.school.name,
                "class_name": application.class_display,
                "starts_at": starts_at,
                "application_id": str(application.public_id),
            },
            subject=subject_of(visit),
        )


register(
    Rule(
        name="classrooms.training_tomorrow",
        occasions=training_occasions,
        steps=(0,),
        mail="classroom-training-reminder",
        label=_("Training session tomorrow"),
    )
)
register(
    Rule(
        name="classrooms.delivery_soon",
        occasions=delivery_occasions,
        steps=(0,),
        mail="classroom-delivery-reminder",
        label=_("Delivery of a mobile classroom in a week"),
    )
)
