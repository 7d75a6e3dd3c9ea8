"""Campaigns and a class's application, with its files and its timeline."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.indexes import upper_trigram_index
from classcontact.storage import FileContentValidator, get_private_storage

from ..states import APPLICATION_STATES, OPEN_STATES, TRANSITIONS, ApplicationStatus

APPLICATION_NUMBER_SCOPE = "classroom"  # its counter in classcontact.YearlyCounter
ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
UNNAMED_CLASS = _("(class not named yet)")


def format_application_number(year: int, value: int) -> str:
    return f"CM-{year}-{value:04d}"


class Campaign(models.Model):
    """One school year of the programme: when schools apply, the trimesters and kits offered."""

    name = models.CharField(_("name"), max_length=120)
    school_year = models.ForeignKey(
        "schools.SchoolYear",
        on_delete=models.PROTECT,
        related_name="classroom_campaigns",
        verbose_name=_("school year"),
        help_text=_("Of the calendar in force for the schools (imported from iCalendar)."),
    )
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    trimesters = models.ManyToManyField(
        "schools.Trimester", related_name="classroom_campaigns", verbose_name=_("trimesters offered")
    )
    kits = models.ManyToManyField(
        "loans.Kit", blank=True, related_name="classroom_campaigns", verbose_name=_("kits available")
    )
    community_url = models.URLField(
        _("community space of the teachers"),
        blank=True,
        help_text=_("The address of the online space shared by the programme's teachers."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mobile classroom campaign")
        verbose_name_plural = _("mobile classroom campaigns")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class ClassLevel(models.TextChoices):
    PS = "ps", _("Petite section (PS)")
    MS = "ms", _("Moyenne section (MS)")
    GS = "gs", _("Grande section (GS)")
    CP = "cp", _("CP")
    CE1 = "ce1", _("CE1")
    CE2 = "ce2", _("CE2")
    CM1 = "cm1", _("CM1")
    CM2 = "cm2", _("CM2")
    MIXED = "mixed", _("Mixed-level class")


class Origin(models.TextChoices):
    SPONTANEOUS = "spontaneous", _("The school applied by itself")
    INVITED = "invited", _("The school was invited to apply")


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    RESERVED = "reserved", _("Favourable with reservations")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


class Application(models.Model):
    """A class's application for a mobile classroom, from the school's draft to the decision."""

    TRANSITIONS = TRANSITIONS
    STATES = APPLICATION_STATES

    # Addresses use this random identifier; the number is for people, never for access.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(
        _("application number"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="applications", verbose_name=_("campaign")
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="classroom_applications",
        verbose_name=_("school"),
    )
    status = models.CharField(
        _("state"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)

    # The class.
    class_name = models.CharField(_("class"), max_length=60, blank=True, help_text=_("For example CM1 B."))
    level = models.CharField(_("level"), max_length=8, choices=ClassLevel.choices, blank=True)
    pupil_count = models.PositiveSmallIntegerField(_("number of pupils"), null=True, blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="classroom_applications_taught",
        verbose_name=_("teachers with a portal account"),
    )
    teacher_names = models.TextField(_("teachers"), blank=True, help_text=_("Names of the class's teachers."))

    # The pedagogical project.
    objectives = models.TextField(_("objectives"), blank=True)
    activities = models.TextField(_("planned activities and productions"), blank=True)
    b2i_link = models.TextField(_("link with the digital-skills certification (B2i)"), blank=True)
    municipality_information = models.TextField(_("how the municipality was informed"), blank=True)
    equipment = models.TextField(_("the school's current equipment"), blank=True)
    municipality_contact = models.CharField(_("municipality contact"), max_length=200, blank=True)
    municipality_email = models.EmailField(_("municipality contact's e-mail"), blank=True)
    municipality_phone = models.CharField(_("municipality contact's phone"), max_length=40, blank=True)
    preferred_trimesters = models.ManyToManyField(
        "schools.Trimester", blank=True, related_name="+", verbose_name=_("preferred trimesters")
    )

    # Applied by itself, or invited (by whom and why).
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.SPONTANEOUS)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    invitation_reason = models.TextField(_("reason for the invitation"), blank=True)
    b2i_rate = models.DecimalField(
        _("B2i validation rate of the school (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    # The district inspector's opinion; the school sees its text only when it is shared.
    opinion = models.CharField(_("opinion"), max_length=12, choices=Opinion.choices, blank=True)
    opinion_comment = models.TextField(_("comment on the opinion"), blank=True)
    opinion_shared = models.BooleanField(_("the school may read the comment"), default=False)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opinion given by"),
    )
    opinion_at = models.DateTimeField(_("opinion given"), null=True, blank=True)

    # The decision (the school sees the trimester, or the reason of a refusal).
    accepted_trimester = models.ForeignKey(
        "schools.Trimester",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trimester"),
    )
    accepted_kit_type = models.ForeignKey(
        "loans.KitType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kit type"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["status_changed_at"])

    class Meta:
        verbose_name = _("mobile classroom application")
        verbose_name_plural = _("mobile classroom applications")
        ordering = ["-status_changed_at", "-pk"]
        indexes = [
            models.Index(fields=["-status_changed_at", "-id"], name="mcapp_changed_idx"),
            models.Index(
                fields=["campaign", "status", "-status_changed_at"], name="mcapp_campaign_status_idx"
            ),
            models.Index(fields=["school", "status"], name="mcapp_school_status_idx"),
            models.Index(fields=["status", "submitted_at"], name="mcapp_status_submitted_idx"),
            # The list's search: a number typed whole (any case), part of a class's name.
            models.Index(Upper("number"), name="mcapp_number_upper"),
            upper_trigram_index("class_name", name="mcapp_class_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin=Origin.SPONTANEOUS) | Q(invited_at__isnull=False),
                name="mcapp_invited_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.number_display} – {self.class_display}"

    @property
    def number_display(self) -> str:
        return self.number or str(_("Draft"))

    @property
    def class_display(self) -> str:
        level = self.get_level_display() if self.level else ""
        return " · ".join(part for part in (self.class_name, level) if part) or str(UNNAMED_CLASS)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


def attachment_path(instance, filename: str) -> str:
    """A random name in a folder of the application: the name given never reaches the disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"classrooms/{instance.application.public_id}/{uuid.uuid4().hex}.{extension}"


class ApplicationAttachment(models.Model):
    """A file the school joins to its application (PDF or image, checked by content)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
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

    class Meta:
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.filename


class EventKind(models.TextChoices):
    CREATED = "created", _("Application started")
    INVITED = "invited", _("School invited to apply")
    SUBMITTED = "submitted", _("Application sent")
    OPINION_GIVEN = "opinion_given", _("Opinion of the inspector given")
    ON_AGENDA = "on_agenda", _("Put on the agenda of a commission session")
    OFF_AGENDA = "off_agenda", _("Taken off the agenda of a commission session")
    PROPOSED = "proposed", _("Proposal of the commission sent for decision")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Not accepted")
    WAITING_LIST = "waiting_list", _("Put on the waiting list")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    ATTACHMENT_ADDED = "attachment_added", _("File added")
    ATTACHMENT_REMOVED = "attachment_removed", _("File removed")
    PLACED = "placed", _("Placed on the deployment plan")
    MOVED = "moved", _("Moved on the deployment plan")
    TRAINING_REGISTERED = "training_registered", _("Teacher registered for training")
    TRAINING_CANCELLED = "training_cancelled", _("Training registration cancelled")
    DELIVERED = "delivered", _("Kit delivered and installed")
    LOAN_STARTED = "loan_started", _("Loan started")
    KIT_RETURNED = "kit_returned", _("Kit picked up and checked in")
    # After the delivery (classrooms.services.followup and .evaluation).
    TEACHER_ASSIGNED = "teacher_assigned", _("Resource teacher assigned")
    PRESENTED = "presented", _("Presentation day recorded")
    EVALUATION_PART = "evaluation_part", _("Part of the evaluation entered")
    EVALUATED = "evaluated", _("Evaluation complete")


class ApplicationEvent(models.Model):
    """One line of an application's timeline, written in the transaction of its change.

    Append-only: never edited, so it has no history table. ``is_public``: the school sees it.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(
        _("from state"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to state"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    message = models.TextField(_("message"), blank=True)
    is_public = models.BooleanField(_("seen by the school"), default=True)
    notified_at = models.DateTimeField(_("e-mails sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="mcevent_application_at_idx")]

    def __str__(self):
        return f"{self.application_id} {self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
