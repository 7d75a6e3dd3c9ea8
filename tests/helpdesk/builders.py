"""Builders for helpdesk tests: a calendar, tickets, uploaded files."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk import services
from helpdesk.models import Category
from schools.demo import FWB_YEARS
from schools.models import Calendar, CalendarKind, Holiday, SchoolYear

D = datetime.date

# 1x1 PNG and a minimal PDF: real files, recognised by their content.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


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


def png(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def open_ticket(school, user, *, subject="La caméra ne s'allume pas", category=Category.HARDWARE, **fields):
    return services.ticket_open(
        school=school,
        opened_by=user,
        subject=subject,
        category=category,
        description=fields.pop("description", "Depuis ce matin, rien ne s'affiche."),
        **fields,
    )
