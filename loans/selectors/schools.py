"""A school's side: its kits, loans, visits and referrals on one page."""

from dataclasses import dataclass
import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schools.models import School

from ..models import InternetReferral, Kit, Loan, Visit, VisitStatus
from .visibility import OPEN_LOAN_STATES

# --- a school's side ---------------------------------------------------------------------------


@dataclass
class SchoolOverview:
    kits: list[Kit]
    loans: list[Loan]
    visits: list[Visit]
    referrals: list[InternetReferral]


def school_overview(school: School, *, today: datetime.date | None = None) -> SchoolOverview:
    """The kits at a school or booked for it, its loans, visits to come and referrals (4 queries)."""
    today = today or timezone.localdate()
    open_loans = Loan.objects.filter(school=school, status__in=OPEN_LOAN_STATES)
    kits = list(
        Kit.objects.filter(Q(school=school) | Exists(open_loans.filter(kit=OuterRef("pk"))))
        .select_related("kit_type")
        .order_by("code")[:200]
    )
    loans = list(
        Loan.objects.filter(school=school)
        .select_related("kit__kit_type", "school_class", "trimester__school_year")
        .order_by("-start", "-pk")[:100]
    )
    visits = list(
        Visit.objects.filter(school=school, starts_at__gte=timezone.now() - datetime.timedelta(days=30))
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("technician")
        .order_by("starts_at", "pk")[:100]
    )
    referrals = list(InternetReferral.objects.filter(school=school).order_by("-referred_on", "-pk")[:50])
    return SchoolOverview(kits=kits, loans=loans, visits=visits, referrals=referrals)
