"""Loans: the list, a check-in, and what a programme's record has lent or booked."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from ..models import InternetReferral, Item, Loan, LoanStatus, Visit, VisitKind, holder_filter
from .visibility import OPEN_LOAN_STATES, loans_visible_to

# --- loans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanFilters:
    q: str = ""
    status: str = ""
    school: str = ""
    kit_type: str = ""


def loan_list(*, user, filters: LoanFilters) -> QuerySet[Loan]:
    loans = loans_visible_to(user).select_related(
        "kit__kit_type", "school", "school_class", "trimester__school_year"
    )
    if filters.status:
        loans = loans.filter(status=filters.status)
    if filters.school:
        loans = loans.filter(school_id=filters.school)
    if filters.kit_type:
        loans = loans.filter(kit__kit_type_id=filters.kit_type)
    query = filters.q.strip()
    if query:
        loans = loans.filter(
            Q(kit__code__iexact=query)
            | Q(reference__iexact=query)
            | Q(school__name__icontains=query)
            | Q(kit__items__serial_number__iexact=query)
        ).distinct()
    return loans.order_by("-start", "-pk")


def loan_for_checkin(queryset: QuerySet[Loan]) -> QuerySet[Loan]:
    return queryset.select_related("kit__kit_type", "school")


def loan_items(loan: Loan) -> list[Item]:
    return list(Item.objects.filter(kit_id=loan.kit_id).order_by("category", "serial_number"))


def holder_open_loan(holder) -> Loan | None:
    """The reserved or lent loan of a programme's record (a connection case), if any."""
    return (
        Loan.objects.filter(**holder_filter(holder), status__in=OPEN_LOAN_STATES)
        .select_related("kit__kit_type")
        .order_by("-start")
        .first()
    )


@dataclass
class KitPanel:
    loans: list[Loan]
    visits: list[Visit]
    referrals: list[InternetReferral]

    @property
    def open_loan(self) -> Loan | None:
        return next((loan for loan in self.loans if loan.is_open), None)

    @property
    def returned_loan(self) -> Loan | None:
        """The latest loan that ended with the kit back, to name it once the record is over."""
        return next((loan for loan in self.loans if loan.status == LoanStatus.RETURNED), None)


def holder_kit_panel(holder) -> KitPanel:
    """Loans (with the kit's items and serial numbers), visits and referrals of a record: two
    queries, a third when the record had an internet evaluation (a referral is only ever made
    from one: ``services.referral_create``; the admin only shows referrals)."""
    held = holder_filter(holder)
    loans = list(
        Loan.objects.filter(**held)
        .select_related("kit__kit_type")
        .prefetch_related(Prefetch("kit__items", queryset=Item.objects.order_by("category", "serial_number")))
        .order_by("-start", "-pk")
    )
    visits = list(Visit.objects.filter(**held).select_related("technician").order_by("starts_at", "pk"))
    evaluated = any(visit.kind == VisitKind.INTERNET_EVALUATION for visit in visits)
    referrals = (
        list(InternetReferral.objects.filter(**held).order_by("-referred_on", "-pk")) if evaluated else []
    )
    return KitPanel(loans=loans, visits=visits, referrals=referrals)
