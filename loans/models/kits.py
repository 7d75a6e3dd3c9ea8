"""Kits and their items, loans, visits, internet referrals and calendar feeds.

A kit is a set of specific items with serial numbers that leave and come back together.
A loan ties one kit to a connection case (open-ended until the need ends) or to a class
for a trimester; no kit is ever in two loans over overlapping dates, which the database
guarantees on PostgreSQL with an exclusion constraint.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import Region

__all__ = [
    "INVENTORY_TRANSITIONS",
    "LENDABLE_STATES",
    "LOAN_TRANSITIONS",
    "REFERRAL_TRANSITIONS",
    "VISIT_CHECKLISTS",
    "VISIT_TRANSITIONS",
    "CalendarFeed",
    "LOAN_OVERLAP_CONSTRAINT",
    "Condition",
    "DateRange",
    "InternetReferral",
    "InventoryState",
    "Item",
    "ItemCategory",
    "ItemCheck",
    "Kit",
    "KitEvent",
    "KitEventKind",
    "KitType",
    "KitTypeComponent",
    "Loan",
    "LoanPurpose",
    "LoanStatus",
    "PostgresExclusionConstraint",
    "Programme",
    "ReferralStatus",
    "Repair",
    "RepairOutcome",
    "Visit",
    "VisitKind",
    "VisitOutcome",
    "VisitStatus",
    "checklist_for",
]


class Programme(models.TextChoices):
    CONNECTION = "connection", _("Connection programme")
    MOBILE_CLASSROOM = "mobile_classroom", _("Mobile classroom programme")


class InventoryState(models.TextChoices):
    """Where a kit or an item stands; kits and items share the same states and table."""

    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    LENT = "lent", _("Lent")
    IN_REPAIR = "in_repair", _("In repair")
    LOST = "lost", _("Lost")
    RETIRED = "retired", _("Retired")


_I = InventoryState

#: The only state changes of kits and items; each one is owned by a service in ``loans.kit_services``.
INVENTORY_TRANSITIONS: dict[str, frozenset[str]] = {
    _I.AVAILABLE: frozenset({_I.RESERVED, _I.LENT, _I.IN_REPAIR, _I.LOST, _I.RETIRED}),
    _I.RESERVED: frozenset({_I.AVAILABLE, _I.LENT, _I.IN_REPAIR, _I.LOST}),
    _I.LENT: frozenset({_I.AVAILABLE, _I.RESERVED, _I.IN_REPAIR, _I.LOST}),
    _I.IN_REPAIR: frozenset({_I.AVAILABLE, _I.LOST, _I.RETIRED}),
    # A lost kit or item that turns up again comes back to the stock.
    _I.LOST: frozenset({_I.AVAILABLE, _I.RETIRED}),
    _I.RETIRED: frozenset(),
}

#: States in which a kit may be booked for a future period (lost and retired kits may not).
LENDABLE_STATES = frozenset({_I.AVAILABLE, _I.RESERVED, _I.LENT, _I.IN_REPAIR})


class ItemCategory(models.TextChoices):
    CHROMEBOOK = "chromebook", _("Chromebook")
    LAPTOP = "laptop", _("Laptop")
    TABLET = "tablet", _("Tablet")
    CAMERA_360 = "camera_360", _("360° camera")
    SPEAKERPHONE = "speakerphone", _("Speakerphone")
    KEYBOARD = "keyboard", _("Keyboard")
    CABLES = "cables", _("Cables")
    SOFTWARE_LICENCE = "software_licence", _("Software licence")
    CHARGING_CASE = "charging_case", _("Charging case")
    ACCESS_POINT = "access_point", _("Wi-Fi access point")
    OTHER = "other", _("Other")


class KitType(models.Model):
    """What a kit of this kind contains (its composition lines)."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kit type")
        verbose_name_plural = _("kit types")
        ordering = ["name"]

    def __str__(self):
        return self.name


class KitTypeComponent(models.Model):
    """One composition line of a kit type: N items of a category."""

    kit_type = models.ForeignKey(
        KitType, on_delete=models.CASCADE, related_name="components", verbose_name=_("kit type")
    )
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("composition line")
        verbose_name_plural = _("composition lines")
        ordering = ["kit_type", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kit_type", "category"], name="kittypecomponent_unique_category"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="kittypecomponent_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.get_category_display()}"


class Kit(models.Model):
    """A set of specific items that leave and come back together."""

    TRANSITIONS = INVENTORY_TRANSITIONS

    code = models.CharField(_("kit code"), max_length=30, unique=True, help_text=_("For example CK-0042."))
    kit_type = models.ForeignKey(
        KitType, on_delete=models.PROTECT, related_name="kits", verbose_name=_("kit type")
    )
    state = models.CharField(_("state"), max_length=12, choices=InventoryState.choices, default=_I.AVAILABLE)
    state_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)
    region = models.CharField(
        _("home region"),
        max_length=20,
        choices=Region.choices,
        default=Region.BRUSSELS,
        help_text=_("Region of the depot the kit leaves from and comes back to."),
    )
    depot = models.CharField(_("depot"), max_length=120, blank=True)
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kits_on_site",
        verbose_name=_("at school"),
        help_text=_("The school where the kit is now; empty while it is at the depot."),
    )
    room = models.CharField(
        _("room"), max_length=120, blank=True, help_text=_("The room inside the school where the kit is now.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kit")
        verbose_name_plural = _("kits")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["kit_type", "state", "code"], name="kit_type_state_idx"),
            models.Index(fields=["region", "code"], name="kit_region_idx"),
            models.Index(fields=["state", "code"], name="kit_state_idx"),
        ]

    def __str__(self):
        return self.code


class Item(models.Model):
    """One piece of equipment with its serial number, in a kit or on the shelf."""

    TRANSITIONS = INVENTORY_TRANSITIONS

    kit = models.ForeignKey(
        Kit, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("kit")
    )
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    model_name = models.CharField(_("make and model"), max_length=120, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=80)
    state = models.CharField(_("state"), max_length=12, choices=InventoryState.choices, default=_I.AVAILABLE)
    state_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)
    purchased_on = models.DateField(_("purchased on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["kit_id", "category", "serial_number"]
        constraints = [
            models.UniqueConstraint(Upper("serial_number"), name="item_serial_unique_ci"),
        ]
        indexes = [
            models.Index(fields=["kit", "category"], name="item_kit_idx"),
            models.Index(fields=["state", "category"], name="item_state_idx"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.serial_number}"


class KitEventKind(models.TextChoices):
    CREATED = "created", _("Added to the inventory")
    STATE_CHANGED = "state_changed", _("State changed")
    ITEM_ADDED = "item_added", _("Item put in the kit")
    ITEM_REMOVED = "item_removed", _("Item taken out of the kit")
    MOVED = "moved", _("Moved")
    ROOM_CHANGED = "room_changed", _("Room changed")
    RESERVED = "reserved", _("Reserved for a loan")
    LENT = "lent", _("Lent")
    RETURNED = "returned", _("Returned and checked")
    LOAN_CANCELLED = "loan_cancelled", _("Loan cancelled")
    CHECKED = "checked", _("Checked")
    REPAIR_OPENED = "repair_opened", _("Sent to repair")
    REPAIR_CLOSED = "repair_closed", _("Back from repair")
    LOST = "lost", _("Declared lost")
    RETIRED = "retired", _("Retired")


class Condition(models.TextChoices):
    GOOD = "good", _("Good")
    DAMAGED = "damaged", _("Damaged")
    NOT_WORKING = "not_working", _("Does not work")
    MISSING = "missing", _("Missing")


class KitEvent(models.Model):
    """One movement, check or change of a kit or an item: who, when, what, in what condition.

    Append-only, written in the same transaction as the change it records; the timeline of
    a kit and the history of an item are read from here.
    """

    kit = models.ForeignKey(
        Kit, on_delete=models.CASCADE, null=True, blank=True, related_name="events", verbose_name=_("kit")
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, null=True, blank=True, related_name="events", verbose_name=_("item")
    )
    loan = models.ForeignKey(
        "Loan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("loan"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=KitEventKind.choices)
    from_state = models.CharField(_("from state"), max_length=12, choices=InventoryState.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=12, choices=InventoryState.choices, blank=True)
    condition = models.CharField(_("condition"), max_length=12, choices=Condition.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("kit or item event")
        verbose_name_plural = _("kit and item events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["kit", "-at"], name="kitevent_kit_idx"),
            models.Index(fields=["item", "-at"], name="kitevent_item_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kit__isnull=False) | Q(item__isnull=False), name="kitevent_kit_or_item"
            )
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class RepairOutcome(models.TextChoices):
    REPAIRED = "repaired", _("Repaired")
    NOTHING_WRONG = "nothing_wrong", _("Nothing wrong found")
    BEYOND_REPAIR = "beyond_repair", _("Beyond repair (retired)")


class Repair(models.Model):
    """A repair of an item or of a whole kit: the problem, the workshop, the cost, the outcome."""

    kit = models.ForeignKey(
        Kit, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs", verbose_name=_("kit")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs", verbose_name=_("item")
    )
    problem = models.TextField(_("problem"))
    workshop = models.CharField(_("workshop"), max_length=120, blank=True)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True)
    opened_at = models.DateTimeField(_("sent to repair"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    closed_at = models.DateTimeField(_("back from repair"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=RepairOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repair")
        verbose_name_plural = _("repairs")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["closed_at", "-opened_at"], name="repair_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kit__isnull=False) | Q(item__isnull=False), name="repair_kit_or_item"
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="repair_cost_not_negative"
            ),
        ]

    def __str__(self):
        target = self.item or self.kit
        return f"{target} – {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


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


class DateRange(Func):
    """PostgreSQL's ``daterange(lower, upper, bounds)``; a NULL upper bound is unbounded."""

    function = "daterange"
    output_field = DateRangeField()


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


class Loan(models.Model):
    """One kit lent for a period: to a connection case (open-ended) or to a class for a trimester.

    ``end`` stays empty while a connection case needs the kit; both days are included.
    """

    TRANSITIONS = LOAN_TRANSITIONS

    kit = models.ForeignKey(Kit, on_delete=models.PROTECT, related_name="loans", verbose_name=_("kit"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=LoanPurpose.choices)
    case = models.ForeignKey(
        "loans.ConnectionCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("connection case"),
    )
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

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-start", "-pk"]
        indexes = [
            models.Index(fields=["kit", "start", "end"], name="loan_kit_period_idx"),
            models.Index(fields=["-start", "-id"], name="loan_start_idx"),
            models.Index(fields=["school", "status", "-start"], name="loan_school_idx"),
            models.Index(fields=["status", "-start"], name="loan_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        purpose=LoanPurpose.CONNECTION_CASE,
                        case__isnull=False,
                        school_class__isnull=True,
                        trimester__isnull=True,
                    )
                    | Q(
                        purpose=LoanPurpose.CLASS_TRIMESTER,
                        case__isnull=True,
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
                fields=["case"],
                condition=Q(status__in=[LoanStatus.RESERVED, LoanStatus.LENT]),
                name="loan_one_open_per_case",
            ),
            PostgresExclusionConstraint(
                name=LOAN_OVERLAP_CONSTRAINT,
                expressions=[
                    ("kit", RangeOperators.EQUAL),
                    (DateRange("start", "end", Value("[]")), RangeOperators.OVERLAPS),
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

    def covers(self, day) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


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


class VisitKind(models.TextChoices):
    INSTALLATION = "installation", _("Installation in the classroom")
    HOME_SETUP = "home_setup", _("Set-up at home")
    INTERNET_EVALUATION = "internet_evaluation", _("Internet evaluation")
    TEAM_PRESENTATION = "team_presentation", _("Presentation to the teaching team")
    TRAINING = "training", _("Training")
    RETRIEVAL = "retrieval", _("Retrieval of the kit")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.PLANNED: frozenset({VisitStatus.DONE, VisitStatus.CANCELLED}),
    VisitStatus.DONE: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
}


class VisitOutcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    PARTLY = "partly", _("Partly done: another visit is needed")
    NOT_DONE = "not_done", _("Could not be done")


#: What a technician ticks off during each kind of visit (key, label).
VISIT_CHECKLISTS: dict[str, list[tuple[str, str]]] = {
    VisitKind.INSTALLATION: [
        ("kit_complete", _("Every item of the kit is there (serial numbers checked)")),
        ("classroom_installed", _("Camera, speakerphone and computer installed in the classroom")),
        ("network_tested", _("School network tested")),
        ("call_tested", _("Test call between the classroom and home")),
    ],
    VisitKind.HOME_SETUP: [
        ("home_installed", _("Home computer set up")),
        ("home_network_tested", _("Home internet tested")),
        ("call_tested", _("Test call with the classroom")),
        ("contact_given", _("Helpdesk contact given to the family")),
    ],
    VisitKind.INTERNET_EVALUATION: [
        ("speed_measured", _("Upload and download speed measured")),
        ("wifi_coverage", _("Wi-Fi coverage of the classroom checked")),
        ("firewall_checked", _("Firewall and video-conference ports checked")),
    ],
    VisitKind.TEAM_PRESENTATION: [
        ("kit_shown", _("Kit shown to the teaching team")),
        ("rules_explained", _("Rules of use explained (no recording of lessons)")),
        ("questions_answered", _("Questions answered")),
    ],
    VisitKind.TRAINING: [
        ("teachers_trained", _("Teachers trained")),
        ("guide_given", _("User guide handed over")),
    ],
    VisitKind.RETRIEVAL: [
        ("kit_collected", _("Kit collected from the classroom")),
        ("home_collected", _("Home equipment collected")),
        ("accounts_closed", _("Accounts and licences closed")),
    ],
}


def checklist_for(kind: str) -> list[tuple[str, str]]:
    return VISIT_CHECKLISTS.get(kind, [])


class Visit(models.Model):
    """A technician's visit: an installation, a set-up at home, an evaluation, a retrieval…"""

    TRANSITIONS = VISIT_TRANSITIONS

    kind = models.CharField(_("kind of visit"), max_length=24, choices=VisitKind.choices)
    status = models.CharField(
        _("state"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="kit_visits", verbose_name=_("school")
    )
    case = models.ForeignKey(
        "loans.ConnectionCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("connection case"),
    )
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="visits", verbose_name=_("loan")
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="kit_visits",
        verbose_name=_("technician"),
    )
    address = models.TextField(_("address"))
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=VisitOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    training_given = models.BooleanField(_("training given"), default=False)
    user_guide_handed_over = models.BooleanField(_("user guide handed over"), default=False)
    done_at = models.DateTimeField(_("marked done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # Bumped whenever the date or the state changes, so calendar apps update their copy.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The sequence last e-mailed to the technician and the school: a mail goes out once per change.
    mailed_sequence = models.IntegerField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["technician", "starts_at"], name="visit_technician_idx"),
            models.Index(fields=["school", "starts_at"], name="visit_school_idx"),
            models.Index(fields=["status", "starts_at"], name="visit_status_idx"),
            models.Index(fields=["case", "starts_at"], name="visit_case_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def checklist_items(self) -> list[tuple[str, str, bool]]:
        """(key, label, ticked) for this kind of visit, in the order of the checklist."""
        ticked = self.checklist or {}
        return [(key, label, bool(ticked.get(key))) for key, label in checklist_for(self.kind)]

    @property
    def is_planned(self) -> bool:
        return self.status == VisitStatus.PLANNED


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred to the provider")
    IN_PROGRESS = "in_progress", _("In progress at the provider")
    FIXED = "fixed", _("Connection fixed")
    NOT_POSSIBLE = "not_possible", _("Not possible")
    CANCELLED = "cancelled", _("Cancelled")


REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.REFERRED: frozenset(
        {
            ReferralStatus.IN_PROGRESS,
            ReferralStatus.FIXED,
            ReferralStatus.NOT_POSSIBLE,
            ReferralStatus.CANCELLED,
        }
    ),
    ReferralStatus.IN_PROGRESS: frozenset(
        {ReferralStatus.FIXED, ReferralStatus.NOT_POSSIBLE, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.FIXED: frozenset(),
    ReferralStatus.NOT_POSSIBLE: frozenset(),
    ReferralStatus.CANCELLED: frozenset(),
}


class InternetReferral(models.Model):
    """A school or home whose internet is too weak, referred to the partner internet provider."""

    TRANSITIONS = REFERRAL_TRANSITIONS

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="internet_referrals",
        verbose_name=_("school"),
    )
    case = models.ForeignKey(
        "loans.ConnectionCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internet_referrals",
        verbose_name=_("connection case"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("evaluation visit"),
    )
    referred_on = models.DateField(_("referred on"))
    provider_reference = models.CharField(_("provider's reference"), max_length=80, blank=True)
    status = models.CharField(
        _("state"), max_length=14, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internet referral")
        verbose_name_plural = _("internet referrals")
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["status", "-referred_on"], name="referral_status_idx")]

    def __str__(self):
        return f"{self.provider_reference or _('referral')} – {self.get_status_display()}"


class CalendarFeed(models.Model):
    """A private iCalendar address of visits, for a technician or for a school.

    Only the SHA-256 of the token is stored: the address is shown once, when it is made;
    revoking it makes the address answer 404 like any unknown one.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visit_feeds",
        verbose_name=_("technician"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visit_feeds",
        verbose_name=_("school"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last read"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, school__isnull=True) | Q(user__isnull=True, school__isnull=False)
                ),
                name="calendarfeed_one_owner",
            )
        ]

    def __str__(self):
        return str(self.user or self.school)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
