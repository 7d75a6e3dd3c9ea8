"""The yearly departmental report: one selector computes every figure of a school year.

The page, the PDF and the spreadsheets all read ``yearly_report``; nothing else counts.
A class "reached" is one whose kit came to it (delivered, in progress, presented, returned
or evaluated), counted in the trimester of its decision.
"""

from dataclasses import dataclass, field
import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from loans.models import Loan, LoanStatus

from .models import Application, ApplicationStatus, Campaign, ClassFollowUp, TrainingSession

A = ApplicationStatus
REACHED_STATES = (A.DELIVERED, A.IN_PROGRESS, A.PRESENTED, A.RETURNED, A.EVALUATED)
TRIMESTERS = (1, 2, 3)
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Reach:
    """Classes, schools, districts and pupils reached, kits and days lent, trainings held."""

    classes: int = 0
    schools: int = 0
    districts: int = 0
    pupils: int = 0
    evaluated: int = 0
    kits: int = 0
    days_lent: int = 0
    trainings: int = 0
    trained: int = 0


@dataclass(frozen=True)
class EquipmentPlan:
    city: str
    school: str
    started_on: datetime.date | None
    description: str
    amount: Decimal | None


@dataclass
class YearlyReport:
    school_year: str
    by_trimester: dict[int, Reach] = field(default_factory=dict)
    year: Reach = field(default_factory=Reach)
    pupils_assessed: int = 0
    pupils_validated: int = 0
    b2i_rate: float | None = None
    schools_b2i_rate_before: float | None = None
    schools_with_rate_before: int = 0
    municipalities_contacted: int = 0
    municipalities_with_plan: int = 0
    plans: list[EquipmentPlan] = field(default_factory=list)
    #: How many plans there are (``plans`` may list the first ones only).
    plans_count: int = 0
    plans_amount: Decimal = Decimal(0)

    @property
    def trimesters(self) -> list[tuple[int, Reach]]:
        return [(number, self.by_trimester[number]) for number in TRIMESTERS]


def report_years() -> list[str]:
    """The school years that have a campaign, the latest first."""
    labels = Campaign.objects.values_list("school_year__label", flat=True).distinct()
    return sorted(set(labels), reverse=True)


def classes_reached(school_year: str) -> QuerySet[Application]:
    return Application.objects.filter(campaign__school_year__label=school_year, status__in=REACHED_STATES)


def yearly_report(
    school_year: str, *, today: datetime.date | None = None, plans_shown: int | None = None
) -> YearlyReport:
    """Every figure of the yearly report of ``school_year`` (a label such as "2026-2027"),
    in a fixed number of queries whatever the number of classes; the equipment plans listed
    are the first ``plans_shown`` (all of them by default)."""
    reached = classes_reached(school_year)
    report = YearlyReport(school_year=school_year, by_trimester={n: Reach() for n in TRIMESTERS})
    _reach(report, reached)
    _loans(report, reached, today or timezone.localdate())
    _trainings(report, school_year)
    _outcomes(report, reached, plans_shown)
    return report


def _reach_figures(where: Q) -> dict:
    return {
        "classes": Count("pk", filter=where),
        "schools": Count("school", distinct=True, filter=where),
        "districts": Count("school__inspection_district", distinct=True, filter=where),
        "pupils": Sum("pupil_count", default=0, filter=where),
        "evaluated": Count("pk", filter=where & Q(status=A.EVALUATED)),
    }


def _per_trimester(figures, trimester: str, *, year: dict) -> dict:
    """The aggregates of one query: ``figures`` of each trimester (``<name>_<number>``, the
    rows whose ``trimester`` number it is) and of the whole ``year``: one pass over the rows,
    each figure a FILTER of it."""
    aggregates = dict(year)
    for number in TRIMESTERS:
        figures_of = figures(Q(**{trimester: number}))
        aggregates.update({f"{name}_{number}": aggregate for name, aggregate in figures_of.items()})
    return aggregates


def _set(report: YearlyReport, values: dict, names, convert=lambda value: value or 0) -> None:
    for name in names:
        setattr(report.year, name, convert(values[name]))
        for number in TRIMESTERS:
            setattr(report.by_trimester[number], name, convert(values[f"{name}_{number}"]))


def _reach(report: YearlyReport, reached: QuerySet[Application]) -> None:
    """Classes, schools, districts and pupils, counted in the trimester of their decision."""
    trimester = "accepted_trimester__number"
    values = reached.aggregate(**_per_trimester(_reach_figures, trimester, year=_reach_figures(Q())))
    _set(report, values, _reach_figures(Q()))


def _lent_days(today: datetime.date):
    """A loan's days: from its start to its end (today while it is open), none before it starts."""
    span = ExpressionWrapper(
        Coalesce(F("end"), Value(today)) - F("start") + Value(ONE_DAY), output_field=DurationField()
    )
    return Greatest(span, Value(datetime.timedelta(0)), output_field=DurationField())


def _loan_figures(where: Q) -> dict:
    return {"kits": Count("kit", distinct=True, filter=where), "days_lent": Sum("days", filter=where)}


def _loans(report: YearlyReport, reached: QuerySet[Application], today: datetime.date) -> None:
    """Kits used and days lent, from the loans held by the classes (cancelled ones left out),
    summed by the database in one query. A class's loan is in its trimester: placing and
    moving the class book its kit for the class's trimester."""
    loans = (
        Loan.objects.filter(
            holder_type=ContentType.objects.get_for_model(Application), holder_id__in=reached.values("pk")
        )
        .exclude(status=LoanStatus.CANCELLED)
        .annotate(days=_lent_days(today))
    )
    year = _loan_figures(Q())
    year["kits"] = Count("kit", distinct=True, filter=Q(trimester__number__in=TRIMESTERS))
    values = loans.aggregate(**_per_trimester(_loan_figures, "trimester__number", year=year))
    _set(report, values, ["kits"])
    _set(report, values, ["days_lent"], convert=_days)


def _days(total: datetime.timedelta | None) -> int:
    return total.days if total else 0


def training_figures(school_year: str) -> dict[int, tuple[int, int]]:
    """{trimester number: (sessions held, teachers who attended)} of the year's campaigns.

    A session is held once its trainer recorded the attendance (one query)."""
    rows = (
        TrainingSession.objects.filter(campaign__school_year__label=school_year)
        .filter(registrations__attended__isnull=False)
        .values("trimester__number")
        .annotate(
            held=Count("pk", distinct=True),
            attended=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        )
        .order_by()
    )
    return {row["trimester__number"]: (row["held"], row["attended"]) for row in rows}


def _trainings(report: YearlyReport, school_year: str) -> None:
    for number, (held, attended) in training_figures(school_year).items():
        if number in report.by_trimester:
            report.by_trimester[number].trainings = held
            report.by_trimester[number].trained = attended
        report.year.trainings += held
        report.year.trained += attended


_MEASURED = Q(pupils_assessed__isnull=False, pupils_validated__isnull=False)
_CITY = "application__school__city"
_PLAN_STARTED = Q(equipment_plan=True)
#: The evaluation's figures, summed by the database over the classes' follow-ups. The
#: municipalities are the schools' cities: contacted (an outcome recorded) and with a plan.
_OUTCOMES = {
    "assessed": Sum("pupils_assessed", filter=_MEASURED, default=0),
    "validated": Sum("pupils_validated", filter=_MEASURED, default=0),
    "contacted": Count(_CITY, filter=Q(equipment_plan__isnull=False), distinct=True),
    "with_plan": Count(_CITY, filter=_PLAN_STARTED, distinct=True),
    "amount": Sum("equipment_plan_amount", filter=_PLAN_STARTED, default=Decimal(0)),
    "plans": Count("pk", filter=_PLAN_STARTED),
}


def _outcomes(report: YearlyReport, reached: QuerySet[Application], plans_shown: int | None) -> None:
    followups = ClassFollowUp.objects.filter(application__in=reached)
    figures = followups.aggregate(**_OUTCOMES)
    report.pupils_assessed, report.pupils_validated = figures["assessed"], figures["validated"]
    if report.pupils_assessed:
        report.b2i_rate = round(100 * report.pupils_validated / report.pupils_assessed, 1)
    report.municipalities_contacted = figures["contacted"]
    report.municipalities_with_plan = figures["with_plan"]
    report.plans_amount, report.plans_count = figures["amount"], figures["plans"]
    rows = (
        followups.filter(_PLAN_STARTED)
        .values_list(
            _CITY,
            "application__school__name",
            "equipment_plan_on",
            "equipment_plan_description",
            "equipment_plan_amount",
        )
        .order_by(_CITY, "application__school__name", "pk")
    )
    report.plans = [EquipmentPlan(*row) for row in rows[:plans_shown]]
    before = reached.filter(b2i_rate__isnull=False).aggregate(
        rate=Avg("b2i_rate"), schools=Count("school", distinct=True)
    )
    report.schools_with_rate_before = before["schools"]
    if before["rate"] is not None:
        report.schools_b2i_rate_before = round(float(before["rate"]), 1)
