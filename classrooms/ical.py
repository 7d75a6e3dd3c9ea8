"""A training session as an iCalendar invitation, joined to the registration mail."""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from .models import TrainingRegistration


def training_invitation(registration: TrainingRegistration, *, cancelled: bool = False) -> bytes:
    """One VEVENT for the session; a cancelled registration sends the same event CANCELLED."""
    session = registration.session
    calendar = Calendar()
    calendar.add("prodid", "-//ClassContact//Trainings//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "classcontact"
    event = Event()
    event.add("uid", f"training-{session.pk}-{registration.teacher_id}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("sequence", 1 if cancelled else 0)
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", session.title)
    event.add("location", session.place)
    event.add("description", str(session.trainer))
    event.add("organizer", vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}"))
    event.add("attendee", vCalAddress(f"mailto:{registration.teacher.email}"))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
