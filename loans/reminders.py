"""Reminder rules of kits and visits (see schools/reminders.py for the engine).

- A visit on the next school day: the technician and the school's directors.
- A loan past its end date and not returned: the coordinators, the next school day, and
  again 5 school days later.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.calendars import SchoolDays, calendar_for_school
from schools.models import StaffRole
from schools.reminders import Occasion, Recipient, Rule, register, subject_of

from .models import Loan, LoanStatus, Visit, VisitKind, VisitStatus
from .notifications import school_managers


def _holder_subject(record) -> str:
    if record.holder_type_id is None:
        return subject_of(record)
    holder_type = record.holder_type
    return f"{holder_type.app_label}.{holder_type.model}:{record.holder_id}"


def _matches(record, subject: str | None) -> bool:
    return subject is None or _holder_subject(record) == subject


def _visits_tomorrow(today, subject: str | None = None):
    soon = today + datetime.timedelta(days=7)
    visits = Visit.objects.filter(
        status=VisitStatus.PLANNED, starts_at__date__gt=today, starts_at__date__lte=soon
    ).select_related("school", "technician", "holder_type")
    for visit in visits.order_by("starts_at"):
        day = timezone.localdate(visit.starts_at)
        if (
            not _matches(visit, subject)
            or SchoolDays(calendar_for_school(visit.school)).next_school_day(today) != day
        ):
            continue
        people = [visit.technician, *school_managers(visit.school_id)]
        yield Occasion(
            key=f"visit:{visit.pk}:{visit.starts_at.isoformat()}",
            since=today,
            school=visit.school,
            recipients=[Recipient(p.email, p.language) for p in people if p is not None and p.is_active],
            context={
                "kind": VisitKind(visit.kind).label,  # lazy: in each recipient's language
                "starts_at": visit.starts_at,
                "school_name": visit.school.name,
                "case_number": visit.reference,
                "link": settings.SITE_URL + reverse("loans:visit_detail", args=[visit.pk]),
            },
            subject=_holder_subject(visit),
        )


def _coordinators() -> list[Recipient]:
    group = Group.objects.filter(name=StaffRole.COORDINATOR).first()
    if group is None:
        return []
    users = group.user_set.filter(is_active=True, is_staff=True).order_by("email")
    return [Recipient(user.email, user.language) for user in users]


def _loans_overdue(today, subject: str | None = None):
    loans = Loan.objects.filter(status=LoanStatus.LENT, end__lt=today).select_related(
        "kit", "school", "holder_type"
    )
    coordinators = None
    for loan in loans.order_by("end", "pk"):
        if not _matches(loan, subject):
            continue
        coordinators = coordinators if coordinators is not None else _coordinators()
        yield Occasion(
            key=f"loan-overdue:{loan.pk}:{loan.end.isoformat()}",
            since=loan.end,
            school=loan.school,
            recipients=coordinators,
            context={
                "kit": str(loan.kit),
                "school_name": loan.school.name,
                "reference": loan.reference,
                "end": loan.end,
                "link": settings.SITE_URL + reverse("admin:loans_loan_change", args=[loan.pk]),
            },
            subject=_holder_subject(loan),
        )


register(
    Rule(
        name="loans.visit_tomorrow",
        label=_("Visit on the next school day"),
        occasions=_visits_tomorrow,
        steps=(0,),
        mail="reminder-visit",
    )
)
register(
    Rule(
        name="loans.loan_overdue",
        label=_("Loan past its end date"),
        occasions=_loans_overdue,
        steps=(1, 5),
        mail="reminder-loan-overdue",
    )
)
