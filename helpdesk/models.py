"""Helpdesk: tickets from schools, their messages and attachments, targets and help articles."""

from decimal import Decimal
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.choices import ChoiceLabels
from classcontact.storage import FileContentValidator, get_private_storage
from classcontact.workflow import StateCatalogue, StateInfo

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = ("image/jpeg", "image/png", "application/pdf")


class Category(models.TextChoices):
    CONNECTION = "connection", _("Connection during a lesson")
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software or account")
    KIT_MOVE = "kit_move", _("Kit move or room change")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for the school")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# The only state changes allowed; ``helpdesk.services.ticket_set_status`` owns them all.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.OPEN, Status.WAITING, Status.RESOLVED, Status.CLOSED),
    Status.OPEN: (Status.WAITING, Status.RESOLVED, Status.CLOSED),
    Status.WAITING: (Status.OPEN, Status.RESOLVED, Status.CLOSED),
    Status.RESOLVED: (Status.OPEN, Status.CLOSED),
    Status.CLOSED: (),
}

#: What each status means. Resolved is not final: the school's reply opens the ticket again.
TICKET_STATES = StateCatalogue(
    Status,
    {
        Status.NEW: StateInfo(badge="text-bg-primary", staff_action=True, sets=frozenset({"active"})),
        Status.OPEN: StateInfo(badge="text-bg-info", staff_action=True, sets=frozenset({"active"})),
        Status.WAITING: StateInfo(badge="text-bg-warning", sets=frozenset({"active"})),
        Status.RESOLVED: StateInfo(badge="text-bg-success"),
        Status.CLOSED: StateInfo(badge="text-bg-secondary", closed=True),
    },
)
# Tickets somebody still has to work on: their targets are running.
ACTIVE_STATUSES = TICKET_STATES.states_in("active")
# Priority given to a ticket a school opens, by category; staff may change it.
DEFAULT_PRIORITY = {Category.CONNECTION: Priority.HIGH}


TICKET_REFERENCE_SCOPE = "ticket"


def next_due_expression() -> models.Case:
    """The target a ticket is running against: first answer until there is one, then resolution.

    The staff queue sorts the active tickets by it; an index on the same expression, limited
    to the active tickets, gives them in that order.
    """
    return models.Case(
        models.When(first_responded_at__isnull=True, then=models.F("first_response_due")),
        default=models.F("resolution_due"),
    )


def format_reference(year: int, number: int) -> str:
    return f"HD-{year}-{number:05d}"


class Ticket(ChoiceLabels, models.Model):
    """A request for help from a school.

    It may concern one of the school's connection cases or a kit lent to one of them:
    both links are optional, and ``helpdesk.services`` refuses a case or kit of another
    school. Deleting the case or kit (data purge) only removes the link.
    """

    TRANSITIONS = TRANSITIONS
    STATES = TICKET_STATES

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("school")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="helpdesk_tickets_opened",
        verbose_name=_("opened by"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helpdesk_tickets_assigned",
        verbose_name=_("assigned to"),
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    first_response_due = models.DateTimeField(_("first answer due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.ConnectionCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helpdesk_tickets",
        verbose_name=_("connection case"),
    )
    kit = models.ForeignKey(
        "loans.Kit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helpdesk_tickets",
        verbose_name=_("kit"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
        verbose_name=_("merged into"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "resolution_due"], name="ticket_status_due"),
            models.Index(fields=["status", "first_response_due"], name="ticket_status_first_due"),
            models.Index(fields=["school", "-created_at"], name="ticket_school_created"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            models.Index(fields=["category", "status"], name="ticket_category_status"),
            models.Index(fields=["status", "resolved_at"], name="ticket_status_resolved"),
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            # The staff queue: active tickets by their running target.
            models.Index(
                next_due_expression(),
                models.F("id"),
                name="ticket_active_due_idx",
                condition=models.Q(status__in=ACTIVE_STATUSES),
            ),
            # …and by category, its most used filter.
            models.Index(
                models.F("category"),
                next_due_expression(),
                models.F("id"),
                name="ticket_active_category_due_idx",
                condition=models.Q(status__in=ACTIVE_STATUSES),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="ticket_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.subject}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def accepts_school_replies(self) -> bool:
        return self.status != Status.CLOSED


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    INTERNAL = "internal", _("Internal note")


class TicketMessage(models.Model):
    """A reply on a ticket: public (the school sees it) or an internal note (staff only)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    from_staff = models.BooleanField(_("written by staff"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "visibility", "created_at"], name="message_ticket")]

    def __str__(self):
        return f"{self.ticket.reference} · {self.get_visibility_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL


def attachment_path(instance, filename: str) -> str:
    # The stored name never reuses the uploaded one: it could be anything.
    return f"helpdesk/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class TicketAttachment(models.Model):
    """A file sent with a ticket or a public reply (images or PDF, checked by content)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        TicketMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(
        _("file"),
        storage=get_private_storage,
        upload_to=attachment_path,
        max_length=200,
        validators=[FileContentValidator(ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)],
    )
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.filename


class Target(models.Model):
    """How many helpdesk hours a first answer and a resolution may take."""

    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    first_response_hours = models.DecimalField(
        _("first answer within (helpdesk hours)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    resolution_hours = models.DecimalField(
        _("resolution within (helpdesk hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["category", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="target_unique"),
            models.CheckConstraint(
                condition=models.Q(resolution_hours__gte=models.F("first_response_hours")),
                name="target_resolution_after_first_response",
                violation_error_message=_("The resolution target cannot be shorter than the first answer."),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.get_priority_display()}"


# Seeded for every (category, priority) that has no row yet; staff change them in the admin.
DEFAULT_TARGET_HOURS: dict[str, tuple[Decimal, Decimal]] = {
    Priority.URGENT: (Decimal("0.5"), Decimal("4")),
    Priority.HIGH: (Decimal("1"), Decimal("8")),
    Priority.NORMAL: (Decimal("4"), Decimal("24")),
    Priority.LOW: (Decimal("8"), Decimal("40")),
}


def default_targets() -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    return {
        (category, priority): hours
        for category in Category.values
        for priority, hours in DEFAULT_TARGET_HOURS.items()
    }


class CannedReply(models.Model):
    """A ready-made answer an agent can start from."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title"]

    def __str__(self):
        return self.title


class HelpArticle(models.Model):
    """A page of the user guide or a frequent problem, written by staff for schools."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Plain text; blank lines separate paragraphs."))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")
        ordering = ["title"]
        indexes = [models.Index(Lower("title"), name="helparticle_title_lower")]

    def __str__(self):
        return self.title


from .figures_models import DailyTicketFigures, Outcome, TicketFigures  # noqa: E402, F401 - models of this app
