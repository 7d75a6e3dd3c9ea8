"""Builders for helpdesk tests: a calendar, tickets, uploaded files."""

import datetime

from helpdesk import services
from helpdesk.models import Category
from schools.demo import FWB_YEARS
from schools.models import Calendar, CalendarKind, Holiday, SchoolYear

D = datetime.date


def build_calendar() -> Calendar:
    """Make the default calendar: school years from 2024 to 2031, FWB holidays of 2025-2027."""
    Calendar.objects.filter(is_default=True).update(is_default=False)
    calendar = Calendar.objects.create(
        name="FWB (tests)", code="fwb-tests", kind=CalendarKind.FWB, is_default=True
    )
    years = {label: (start, end) for label, ((start, end), _t, _h) in FWB_YEARS.items()}
    for first in range(2024, 2031):
        label = f"{first}-{first + 1}"
        start, end = years.get(label, (D(first, 8, 26), D(first + 1, 7, 4)))
        SchoolYear.objects.create(calendar=calendar, label=label, start=start, end=end)
    for _label, (_span, _trimesters, holidays) in FWB_YEARS.items():
        for name, start, end in holidays:
            Holiday.objects.create(calendar=calendar, name=name, start=start, end=end)
    return calendar


def open_ticket(school, user, *, subject="La caméra ne s'allume pas", category=Category.HARDWARE, **fields):
    return services.ticket_open(
        school=school,
        opened_by=user,
        subject=subject,
        category=category,
        description=fields.pop("description", "Depuis ce matin, rien ne s'affiche."),
        **fields,
    )
