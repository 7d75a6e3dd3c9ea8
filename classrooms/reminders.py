"""The programme's two reminder rules, as data for the portal's reminder engine.

Each rule names itself, says what it is for and, given a day, returns the reminders due on
that day: each with a key unique to its occasion (the engine sends a key at most once),
the people to tell and the e-mail to send them (``emails/<mail>-*``). Nothing here sends
or records anything: the engine does, with its retries and its record of what was sent.

- An application waiting for the inspector's opinion for 10 school days (of the calendar
  of the campaign) → the district's inspector.
- A commission session in 3 days → its members and its chair.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
import datetime

from django.db.models import Prefetch

from schools.calendars import SchoolDays
from schools.models import User

from .models import Application, ApplicationStatus, CommissionSession, SessionStatus

OPINION_WAIT_SCHOOL_DAYS = 10
SESSION_NOTICE_DAYS = 3


@dataclass(frozen=True)
class Reminder:
    key: str
    recipients: list[User]
    mail: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderRule:
    name: str
    description: str
    due: Callable[[datetime.date], list[Reminder]]


def school_days_between(days: SchoolDays, first: datetime.date, last: datetime.date) -> int:
    """School days after ``first`` up to ``last`` included."""
    count, day = 0, first + datetime.timedelta(days=1)
    while day <= last:
        count += days.is_school_day(day)
        day += datetime.timedelta(days=1)
    return count


def applications_waiting_for_opinion(today: datetime.date) -> list[Application]:
    """Sent applications without an opinion for ``OPINION_WAIT_SCHOOL_DAYS`` school days or more."""
    waiting = (
        Application.objects.filter(status=ApplicationStatus.SUBMITTED, submitted_at__isnull=False)
        .select_related("school__inspection_district__inspector", "campaign__school_year__calendar")
        .order_by("submitted_at", "pk")
    )
    calendars: dict[int, SchoolDays] = {}
    due = []
    for application in waiting:
        calendar = application.campaign.school_year.calendar
        days = calendars.setdefault(calendar.pk, SchoolDays(calendar))
        sent_on = application.submitted_at.date()
        if school_days_between(days, sent_on, today) >= OPINION_WAIT_SCHOOL_DAYS:
            due.append(application)
    return due


def opinion_reminders(today: datetime.date) -> list[Reminder]:
    reminders = []
    for application in applications_waiting_for_opinion(today):
        district = application.school.inspection_district
        inspector = district.inspector if district else None
        if inspector is None or not inspector.is_active:
            continue
        reminders.append(
            Reminder(
                key=f"classrooms.opinion_waiting:{application.pk}",
                recipients=[inspector],
                mail="classroom-opinion-reminder",
                context={
                    "number": application.number_display,
                    "school_name": application.school.name,
                    "submitted_on": application.submitted_at.date(),
                    "application_id": str(application.public_id),
                },
            )
        )
    return reminders


def sessions_coming(today: datetime.date) -> list[CommissionSession]:
    """Open sessions held in ``SESSION_NOTICE_DAYS`` days, with their members and chair."""
    day = today + datetime.timedelta(days=SESSION_NOTICE_DAYS)
    return list(
        CommissionSession.objects.filter(status=SessionStatus.OPEN, held_on=day)
        .select_related("chair", "campaign")
        .prefetch_related(Prefetch("members", queryset=User.objects.filter(is_active=True).order_by("email")))
        .order_by("pk")
    )


def session_reminders(today: datetime.date) -> list[Reminder]:
    reminders = []
    for session in sessions_coming(today):
        people = {person.pk: person for person in session.members.all()}
        if session.chair and session.chair.is_active:
            people.setdefault(session.chair.pk, session.chair)
        if not people:
            continue
        reminders.append(
            Reminder(
                key=f"classrooms.session_soon:{session.pk}",
                recipients=sorted(people.values(), key=lambda person: person.email),
                mail="classroom-session-reminder",
                context={
                    "held_on": session.held_on,
                    "place": session.place,
                    "campaign": session.campaign.name,
                    "session_id": session.pk,
                },
            )
        )
    return reminders


#: The rules to register on the reminder engine.
RULES = [
    ReminderRule(
        name="classrooms.opinion_waiting",
        description="An application waits for the inspector's opinion for 10 school days.",
        due=opinion_reminders,
    ),
    ReminderRule(
        name="classrooms.session_soon",
        description="A commission session is held in 3 days.",
        due=session_reminders,
    ),
]
