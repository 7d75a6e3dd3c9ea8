"""Kit types, kits and their items, their events and repairs: the inventory.

A kit is a set of specific items with serial numbers that leave and come back together.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.indexes import upper_trigram_index
from classcontact.workflow import StateCatalogue, StateInfo
from schools.models import Region


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

#: The only state changes of kits and items; each one is owned by a service in ``loans.services``.
INVENTORY_TRANSITIONS: dict[str, frozenset[str]] = {
    _I.AVAILABLE: frozenset({_I.RESERVED, _I.LENT, _I.IN_REPAIR, _I.LOST, _I.RETIRED}),
    _I.RESERVED: frozenset({_I.AVAILABLE, _I.LENT, _I.IN_REPAIR, _I.LOST}),
    _I.LENT: frozenset({_I.AVAILABLE, _I.RESERVED, _I.IN_REPAIR, _I.LOST}),
    _I.IN_REPAIR: frozenset({_I.AVAILABLE, _I.LOST, _I.RETIRED}),
    # A lost kit or item that turns up again comes back to the stock.
    _I.LOST: frozenset({_I.AVAILABLE, _I.RETIRED}),
    _I.RETIRED: frozenset(),
}

#: What each state of a kit or item means. A lost one may turn up again: only retired is final.
INVENTORY_STATES = StateCatalogue(
    InventoryState,
    {
        _I.AVAILABLE: StateInfo(badge="text-bg-success"),
        _I.RESERVED: StateInfo(badge="text-bg-info"),
        _I.LENT: StateInfo(badge="text-bg-primary"),
        _I.IN_REPAIR: StateInfo(badge="text-bg-warning"),
        _I.LOST: StateInfo(badge="text-bg-danger"),
        _I.RETIRED: StateInfo(badge="text-bg-secondary", closed=True),
    },
    field="state",
)

#: States in which a kit may be booked for a future period (lost and retired kits may not).
LENDABLE_STATES = frozenset({_I.AVAILABLE, _I.RESERVED, _I.LENT, _I.IN_REPAIR})


# A kit's ``free_from`` when no loan ever kept it busy, and while a loan has no last day.
FREE_ALWAYS = datetime.date.min
FREE_NEVER = datetime.date.max


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


_CATEGORY_LABELS = dict(ItemCategory.choices)


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
    STATES = INVENTORY_STATES

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
    owner = models.CharField(
        _("owner"),
        max_length=120,
        blank=True,
        help_text=_("The industrial partner that lends the kit; empty when the programme owns it."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The first day from which no loan keeps the kit busy (``loans.models.free_from``), kept
    # equal to what the loans say by the loan services, in the transaction of each change:
    # the search of kits free with no end reads it on an index instead of every kit's loans.
    free_from = models.DateField(_("free for good from"), default=FREE_ALWAYS, editable=False)
    # Derived from the loans, whose own history tells the story.
    history = HistoricalRecords(excluded_fields=["free_from"])

    class Meta:
        verbose_name = _("kit")
        verbose_name_plural = _("kits")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["kit_type", "state", "code"], name="kit_type_state_idx"),
            models.Index(fields=["region", "code"], name="kit_region_idx"),
            models.Index(fields=["state", "code"], name="kit_state_idx"),
            # Free kits of a type, home region first: each rank read in the order of the codes.
            models.Index(fields=["kit_type", "region", "state", "code"], name="kit_type_region_state_idx"),
            # Kits of a type free from a day on, with no end (a connection case's open-ended need).
            models.Index(fields=["kit_type", "free_from"], name="kit_type_free_from_idx"),
            # The admin's search by part of a code.
            upper_trigram_index("code", name="kit_code_trgm"),
        ]

    def __str__(self):
        return self.code

    @property
    def owner_display(self) -> str:
        return self.owner or str(_("The programme"))


class Item(models.Model):
    """One piece of equipment with its serial number, in a kit or on the shelf."""

    TRANSITIONS = INVENTORY_TRANSITIONS
    STATES = INVENTORY_STATES

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
            # The admin's searches by part of a serial number or model.
            upper_trigram_index("serial_number", name="item_serial_trgm"),
            upper_trigram_index("model_name", name="item_model_trgm"),
        ]

    def __str__(self):
        # A dict built once, not ``get_category_display()``, which builds one on each call:
        # an item's name is written on every row of the admin's lists (and their checkboxes).
        return f"{_CATEGORY_LABELS.get(self.category, self.category)} {self.serial_number}"


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
