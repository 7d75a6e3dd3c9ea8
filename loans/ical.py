"""Visits as an iCalendar file, for the private feeds of technicians and schools."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Visit, VisitStatus


def visits_to_ical(visits: list[Visit], *, name: str, for_technician: bool) -> bytes:
    """One VEVENT per visit; a cancelled visit stays in the feed as CANCELLED so that apps drop it.

    A school's feed says what, when, where and who; only a technician's feed carries the notes.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//ClassContact//Visits//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(name))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "classcontact"
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}@{host}")
        event.add("dtstamp", visit.updated_at or timezone.now())
        event.add("last-modified", visit.updated_at or timezone.now())
        event.add("sequence", visit.sequence)
        # In UTC: every calendar app reads it without a VTIMEZONE block.
        event.add("dtstart", visit.starts_at.astimezone(datetime.UTC))
        event.add("dtend", visit.ends_at.astimezone(datetime.UTC))
        event.add("summary", f"{visit.get_kind_display()} – {visit.school.name}")
        event.add("location", visit.address)
        lines = []
        if visit.reference:
            lines.append(visit.reference)
        lines.append(str(visit.technician))
        if for_technician and visit.notes:
            lines.append(visit.notes)
        if for_technician:
            lines.append(settings.SITE_URL + reverse("loans:visit_detail", args=[visit.pk]))
        event.add("description", "\n".join(lines))
        if visit.status == VisitStatus.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
