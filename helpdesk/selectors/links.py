"""What a ticket may be linked to: a school's current cases and the kits lent to them."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from cases.models import CLOSED_STATES, ConnectionCase
from loans.models import Kit, Loan, LoanPurpose, LoanStatus
from schools.models import Membership, MembershipRole, SchoolClass

# ---------------------------------------------------------------- links to cases and kits

OPEN_LOAN_STATES = (LoanStatus.RESERVED, LoanStatus.LENT)


def _current_cases_q(school_ids, person=None) -> Q:
    # Submitted (they have a number) and not closed; of the person's classes (see below).
    current = Q(school_id__in=school_ids, number__isnull=False) & ~Q(status__in=CLOSED_STATES)
    return current if person is None else current & _cases_of_person_q(person, school_ids)


def _cases_of_person_q(person, school_ids) -> Q:
    """Directors and delegates: every case of their schools; teachers: the cases of the classes
    they teach (a teacher of none of them sees none). ``person=None`` (staff): no limit."""
    managed = Membership.objects.filter(
        user=person, school_id__in=school_ids, role__in=[MembershipRole.DIRECTOR, MembershipRole.DELEGATE]
    ).values("school_id")
    taught = SchoolClass.teachers.through.objects.filter(
        schoolclass_id=OuterRef("school_class_id"), user=person
    )
    return Q(school_id__in=managed) | Q(Exists(taught))


def linkable_cases(school_ids, *, including: int | None = None, person=None) -> QuerySet[ConnectionCase]:
    """The cases a ticket of these schools may concern: submitted and not closed, newest
    first, with their class for the label; and the case ``including`` (a ticket's current
    one), whatever its state. Only the columns a label needs: no health-related data."""
    current = _current_cases_q(school_ids, person)
    if including is not None:
        current |= Q(pk=including)
    return (
        ConnectionCase.objects.filter(current)
        .select_related("school_class")
        .only(
            "pk",
            "public_id",
            "number",
            "school_id",
            "pupil_first_name",
            "pupil_last_name",
            "school_class__name",
        )
        .order_by("-number")
    )


def open_case_loans(school_ids, *, person=None) -> QuerySet[Loan]:
    """Loans (reserved or lent) of a kit to a current case of these schools."""
    return Loan.objects.filter(
        purpose=LoanPurpose.CONNECTION_CASE,
        status__in=OPEN_LOAN_STATES,
        holder_type=ContentType.objects.get_for_model(ConnectionCase),
        holder_id__in=ConnectionCase.objects.filter(_current_cases_q(school_ids, person)).values("pk"),
    )


def linkable_kits(school_ids, *, including: int | None = None, person=None) -> QuerySet[Kit]:
    """The kits now lent or reserved to a current case of these schools; and the kit
    ``including`` (a ticket's current one) even if it came back since."""
    current = Q(Exists(open_case_loans(school_ids, person=person).filter(kit=OuterRef("pk"))))
    if including is not None:
        current |= Q(pk=including)
    return Kit.objects.filter(current).only("pk", "code").order_by("code")


def kit_case_ids(kit: Kit, school_id: int, *, person=None) -> list[int]:
    """The current cases of ``school_id`` the kit is lent or reserved to, latest loan first
    (usually one; two when the next loan is booked before the kit comes back)."""
    loans = open_case_loans([school_id], person=person).filter(kit=kit).order_by("-start", "-pk")
    return list(loans.values_list("holder_id", flat=True))


def pupil_short_name(case: ConnectionCase) -> str:
    """The pupil's first name and the initial of their last name (``Emma P.``): enough for
    a school to recognise the case, nothing more."""
    initial = f"{case.pupil_last_name[:1]}." if case.pupil_last_name else ""
    return " ".join(part for part in (case.pupil_first_name, initial) if part)


def case_label(case: ConnectionCase) -> str:
    """How a ticket names a case to schools and staff: number, class, pupil's first name and
    initial. Never the reason or any health-related data."""
    parts = [case.number or str(_("Draft"))]
    if case.school_class_id and case.school_class:
        parts.append(case.school_class.name)
    short = pupil_short_name(case)
    if short:
        parts.append(short)
    return " · ".join(parts)


@dataclass(frozen=True)
class LinkChoice:
    """One option of a ticket's case or kit list, with the school it belongs to."""

    pk: int
    label: str
    school_id: int | None


def link_choices(
    school_ids, *, current_case: ConnectionCase | None = None, current_kit: Kit | None = None, person=None
) -> tuple[list[LinkChoice], list[LinkChoice]]:
    """The case and kit options for a ticket of these schools, in one query.

    Cases: ``linkable_cases``. Kits: the one lent or reserved to each of those cases (a
    case has at most one open loan), named by code and case number. A ticket's current
    case and kit are kept among the options even when no longer current.
    """
    loans = open_case_loans(school_ids).filter(holder_id=OuterRef("pk")).order_by("-start", "-pk")
    cases = linkable_cases(school_ids, person=person).annotate(
        open_kit_id=Subquery(loans.values("kit_id")[:1]),
        open_kit_code=Subquery(loans.values("kit__code")[:1]),
        open_kit_start=Subquery(loans.values("start")[:1]),
    )
    case_choices, kits = [], {}
    for case in cases:
        case_choices.append(LinkChoice(case.pk, case_label(case), case.school_id))
        if case.open_kit_id is None:
            continue
        seen = kits.get(case.open_kit_id)
        # A kit booked for two cases in turn: named with the latest loan's case.
        if seen is None or seen[0] < case.open_kit_start:
            choice = LinkChoice(case.open_kit_id, f"{case.open_kit_code} · {case.number}", case.school_id)
            kits[case.open_kit_id] = (case.open_kit_start, choice)
    kit_choices = sorted((choice for _start, choice in kits.values()), key=lambda choice: choice.label)
    if current_case is not None and current_case.pk not in {choice.pk for choice in case_choices}:
        case_choices.append(LinkChoice(current_case.pk, case_label(current_case), current_case.school_id))
    if current_kit is not None and current_kit.pk not in kits:
        kit_choices.append(LinkChoice(current_kit.pk, current_kit.code, None))
    return case_choices, kit_choices
