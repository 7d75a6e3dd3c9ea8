"""Loans: one kit lent for a period, and the item-by-item check at its return.

A loan is for a programme's record (a connection case, open-ended until the need ends) or
for a class and a trimester; no kit is ever in two loans over overlapping dates, which the
database guarantees on PostgreSQL with an exclusion constraint.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Case, CharField, Count, F, Func, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.indexes import upper_trigram_index
from classcontact.workflow import StateCatalogue, StateInfo

from .holders import HeldBy
from .inventory import FREE_ALWAYS, FREE_NEVER, Condition, Item, Kit


class LoanPurpose(models.TextChoices):
    """What a loan is for. A classroom application will add its own purpose."""

    CONNECTION_CASE = "connection_case", _("Connection case")
    CLASS_TRIMESTER = "class_trimester", _("A class for a trimester")


class LoanStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    LENT = "lent", _("Lent")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


LOAN_TRANSITIONS: dict[str, frozenset[str]] = {
    LoanStatus.RESERVED: frozenset({LoanStatus.LENT, LoanStatus.CANCELLED}),
    LoanStatus.LENT: frozenset({LoanStatus.RETURNED}),
    LoanStatus.RETURNED: frozenset(),
    LoanStatus.CANCELLED: frozenset(),
}

LOAN_STATES = StateCatalogue(
    LoanStatus,
    {
        LoanStatus.RESERVED: StateInfo(badge="text-bg-info"),
        LoanStatus.LENT: StateInfo(badge="text-bg-primary"),
        LoanStatus.RETURNED: StateInfo(badge="text-bg-secondary", closed=True),
        LoanStatus.CANCELLED: StateInfo(badge="text-bg-light border", closed=True),
    },
)


class DateRange(Func):
    """PostgreSQL's ``daterange(lower, upper, bounds)``; a NULL upper bound is unbounded."""

    function = "daterange"
    output_field = DateRangeField()


def busy_days():
    """The days a loan keeps its kit busy: from its first to its last day, both included,
    except that a returned kit is free again on the day it came back (``[start, end)``).

    The one definition shared by the exclusion constraint, the service's check before it and
    the free-kit search, so that all three agree on when a kit is free."""
    bounds = Case(
        When(status=LoanStatus.RETURNED, then=Value("[)")), default=Value("[]"), output_field=CharField()
    )
    return DateRange("start", "end", bounds)


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL only.

    SQLite (``make run``) has no exclusion constraints: there the table is created without
    it and the service's locked check is the only guard.
    """

    @staticmethod
    def _is_postgres(connection) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if not self._is_postgres(schema_editor.connection):
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if not self._is_postgres(schema_editor.connection):
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if not self._is_postgres(schema_editor.connection):
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if not self._is_postgres(connections[using]):
            return
        super().validate(model, instance, exclude=exclude, using=using)


LOAN_OVERLAP_CONSTRAINT = "loan_kit_no_overlap"


class Loan(HeldBy):
    """One kit lent for a period: to a programme's record (open-ended) or to a class for a trimester.

    ``end`` stays empty while the record (a connection case) needs the kit; both days are included.
    """

    TRANSITIONS = LOAN_TRANSITIONS
    STATES = LOAN_STATES

    kit = models.ForeignKey(Kit, on_delete=models.PROTECT, related_name="loans", verbose_name=_("kit"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=LoanPurpose.choices)
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kit_loans",
        verbose_name=_("class"),
    )
    trimester = models.ForeignKey(
        "schools.Trimester",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kit_loans",
        verbose_name=_("trimester"),
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="kit_loans", verbose_name=_("school")
    )
    start = models.DateField(_("first day"))
    end = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Empty while the kit is still needed.")
    )
    status = models.CharField(
        _("state"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.RESERVED
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reserved by"),
    )
    created_at = models.DateTimeField(_("reserved"), auto_now_add=True)
    lent_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta(HeldBy.Meta):
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-start", "-pk"]
        indexes = [
            models.Index(fields=["kit", "start", "end"], name="loan_kit_period_idx"),
            models.Index(fields=["-start", "-id"], name="loan_start_idx"),
            models.Index(fields=["school", "status", "-start"], name="loan_school_idx"),
            models.Index(fields=["status", "-start"], name="loan_status_idx"),
            # The admin's search by part of a reference.
            upper_trigram_index("reference", name="loan_reference_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        purpose=LoanPurpose.CONNECTION_CASE,
                        holder_id__isnull=False,
                        school_class__isnull=True,
                        trimester__isnull=True,
                    )
                    | Q(
                        purpose=LoanPurpose.CLASS_TRIMESTER,
                        school_class__isnull=False,
                        trimester__isnull=False,
                    )
                ),
                name="loan_exactly_one_purpose",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="loan_end_not_before_start"
            ),
            models.UniqueConstraint(
                fields=["holder_type", "holder_id"],
                condition=Q(status__in=[LoanStatus.RESERVED, LoanStatus.LENT]),
                name="loan_one_open_per_holder",
            ),
            PostgresExclusionConstraint(
                name=LOAN_OVERLAP_CONSTRAINT,
                expressions=[
                    ("kit", RangeOperators.EQUAL),
                    (busy_days(), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status=LoanStatus.CANCELLED),
                violation_error_message=_("This kit is already lent or reserved over these dates."),
            ),
        ]

    def __str__(self):
        end = f"{self.end:%d/%m/%Y}" if self.end else "…"
        return f"{self.kit.code} {self.start:%d/%m/%Y}–{end}"

    @property
    def is_open(self) -> bool:
        return self.status in (LoanStatus.RESERVED, LoanStatus.LENT)


def busy_facts() -> dict:
    """Aggregates of a kit's loans (cancelled ones left out) from which ``free_from`` follows:
    how many have no last day, the last day of those not returned, and the return day of
    those returned after their first day (returned on its first day, a loan kept the kit
    busy on no day: ``busy_days`` is then empty)."""
    return {
        "open_ended": Count("pk", filter=Q(end__isnull=True)),
        "last_kept": Max("end", filter=~Q(status=LoanStatus.RETURNED)),
        "last_returned": Max("end", filter=Q(status=LoanStatus.RETURNED, end__gt=F("start"))),
    }


def free_from(
    *, open_ended: int, last_kept: datetime.date | None, last_returned: datetime.date | None
) -> datetime.date:
    """The first day from which none of a kit's loans keeps it busy, from its ``busy_facts``:
    the end of the last of their ``busy_days`` (the day after a last day kept, a return day),
    ``FREE_NEVER`` when one has no last day, ``FREE_ALWAYS`` when none kept it busy."""
    if open_ended:
        return FREE_NEVER
    days = [FREE_ALWAYS]
    if last_kept is not None:
        days.append(last_kept + datetime.timedelta(days=1) if last_kept < FREE_NEVER else FREE_NEVER)
    if last_returned is not None:
        days.append(last_returned)
    return max(days)


class ItemCheck(models.Model):
    """The check of one item when a kit comes back: present, works, damage, note."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="checks", verbose_name=_("loan"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="checks", verbose_name=_("item"))
    present = models.BooleanField(_("present"))
    works = models.BooleanField(_("works"))
    damage = models.CharField(_("damage"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item check")
        verbose_name_plural = _("item checks")
        ordering = ["loan", "item__category", "item__serial_number"]
        constraints = [models.UniqueConstraint(fields=["loan", "item"], name="itemcheck_unique")]

    def __str__(self):
        return f"{self.item} – {self.condition_label}"

    @property
    def condition(self) -> str:
        if not self.present:
            return Condition.MISSING
        if not self.works:
            return Condition.NOT_WORKING
        if self.damage:
            return Condition.DAMAGED
        return Condition.GOOD

    @property
    def condition_label(self) -> str:
        return Condition(self.condition).label
