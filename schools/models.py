"""The directory everyone shares: people, schools, classes, memberships and calendars."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.indexes import upper_trigram_index


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class Language(models.TextChoices):
    FR = "fr", _("French")
    EN = "en", _("English")


class User(AbstractUser):
    """A person with an account: staff, directors, delegates, teachers, inspectors."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        # The few active staff among every school's people (assignees, staff pickers).
        indexes = [
            models.Index(
                fields=["last_name", "first_name"],
                name="user_active_staff_idx",
                condition=models.Q(is_active=True, is_staff=True),
            )
        ]

    def __str__(self):
        return self.display_name(self.first_name, self.last_name, self.email)

    @staticmethod
    def display_name(first_name: str, last_name: str, email: str) -> str:
        """How the portal names a person (their full name, else their e-mail), from values
        read without the object."""
        return f"{first_name} {last_name}".strip() or email


class StaffRole(models.TextChoices):
    """Staff roles are Django groups of these names, each with its permissions."""

    COORDINATOR = "coordinator", _("Staff coordinator")
    TECHNICIAN = "technician", _("Technician")
    HELPDESK_AGENT = "helpdesk_agent", _("Helpdesk agent")
    READ_ONLY = "read_only", _("Read-only staff")


class ProgrammeRole(models.TextChoices):
    """Roles of the mobile classroom programme: Django groups of these names, like staff roles.

    They give no right in the admin and no access to the connection programme's staff pages;
    the programme's pages read them. An inspector's and a resource teacher's districts are
    on ``District``.
    """

    INSPECTOR = "mc_inspector", _("District inspector")
    ADVISER = "mc_adviser", _("Departmental adviser for digital education (CPD-TUIC)")
    RESOURCE_TEACHER = "mc_resource_teacher", _("Resource teacher for digital education (ER-TUIC)")
    COMMISSION_MEMBER = "mc_commission_member", _("Commission member")
    COMMISSION_CHAIR = "mc_commission_chair", _("Commission chair")
    DECISION_MAKER = "mc_decision_maker", _("Decision maker (DASEN)")


class CalendarKind(models.TextChoices):
    FWB = "fwb", _("Fédération Wallonie-Bruxelles")
    FR_ZONE = "fr_zone", _("French academy zone")
    OTHER = "other", _("Other")


class Calendar(models.Model):
    """A school calendar: its school years, trimesters and holidays."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarKind.choices)
    is_default = models.BooleanField(
        _("calendar in force by default"),
        default=False,
        help_text=_("Used for schools that have no calendar of their own, and for the helpdesk."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school calendar")
        verbose_name_plural = _("school calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="calendar_single_default",
            )
        ]

    def __str__(self):
        return self.name


class SchoolYear(models.Model):
    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="school_years", verbose_name=_("calendar")
    )
    label = models.CharField(_("label"), max_length=20, help_text=_("For example 2026-2027."))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["calendar", "start"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "label"], name="schoolyear_unique_label"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="schoolyear_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.calendar.code})"


class Trimester(models.Model):
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="trimesters", verbose_name=_("school year")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trimester")
        verbose_name_plural = _("trimesters")
        ordering = ["school_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="trimester_unique_number"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="trimester_end_after_start"
            ),
        ]

    def __str__(self):
        return _("Trimester %(number)s, %(year)s") % {"number": self.number, "year": self.school_year.label}


class Holiday(models.Model):
    """Days without school, first and last day included (a holiday period or a single day)."""

    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("calendar")
    )
    name = models.CharField(_("name"), max_length=120)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["calendar", "start"]
        indexes = [models.Index(fields=["calendar", "start", "end"])]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "start", "name"], name="holiday_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="holiday_end_not_before_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"


class Network(models.TextChoices):
    WBE = "wbe", _("Wallonie-Bruxelles Enseignement")
    OFFICIAL = "official", _("Official subsidised (municipalities, provinces)")
    FREE_CONFESSIONAL = "free_confessional", _("Free subsidised, confessional")
    FREE_NON_CONFESSIONAL = "free_non_confessional", _("Free subsidised, non-confessional")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    BRUSSELS = "brussels", _("Brussels-Capital")
    WALLOON_BRABANT = "walloon_brabant", _("Walloon Brabant")
    HAINAUT = "hainaut", _("Hainaut")
    LIEGE = "liege", _("Liège")
    LUXEMBOURG = "luxembourg", _("Luxembourg")
    NAMUR = "namur", _("Namur")
    PAS_DE_CALAIS = "pas_de_calais", _("Pas-de-Calais")
    OTHER = "other", _("Other")


class District(models.Model):
    """An inspection district (circonscription) of a French department, with its inspector.

    Each school of the mobile classroom programme belongs to one district; the district's
    inspector sees that school's applications, and its resource teachers follow them.
    """

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    department = models.CharField(_("department"), max_length=80, help_text=_("For example Pas-de-Calais."))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspected_districts",
        verbose_name=_("inspector"),
    )
    resource_teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="resource_districts",
        verbose_name=_("resource teachers (ER-TUIC)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["department", "name"]

    def __str__(self):
        return f"{self.name} ({self.department})"


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    official_number = models.CharField(
        _("official number"), max_length=20, unique=True, help_text=_("FASE number or UAI code.")
    )
    network = models.CharField(_("network"), max_length=30, choices=Network.choices)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    inspection_district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("inspection district"),
        help_text=_("French schools: the circonscription whose inspector gives opinions."),
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, default=Region.OTHER)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    in_fwb = models.BooleanField(
        _("school of the Fédération Wallonie-Bruxelles"),
        default=False,
        help_text=_("Pupils of these schools may be connected by the connection programme."),
    )
    eligible_mobile_classroom = models.BooleanField(
        _("eligible for the mobile classroom programme"), default=False
    )
    calendar = models.ForeignKey(
        Calendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("calendar"),
        help_text=_("Empty: the default calendar."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["region", "name"]),
            models.Index(Lower("name"), name="school_name_lower"),
            # Lists sorted by school (the case board) and the searches by name, city, number.
            models.Index(fields=["name", "id"], name="school_name_id_idx"),
            models.Index(Upper("official_number"), name="school_number_upper"),
            upper_trigram_index("name", name="school_name_trgm"),
            upper_trigram_index("city", name="school_city_trgm"),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})" if self.city else self.name

    @property
    def eligible_connection(self) -> bool:
        return self.in_fwb


class SchoolClass(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="classes", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("For example 3B or P5."))
    level = models.CharField(_("level"), max_length=60, blank=True)
    school_year = models.CharField(_("school year"), max_length=20, blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="classes_taught", verbose_name=_("teachers")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name", "school_year"], name="class_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} – {self.school.name}"


class MembershipRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DELEGATE = "delegate", _("Delegate of the director")
    TEACHER = "teacher", _("Teacher")


class Membership(models.Model):
    """A person's role in one school; a person may belong to several schools."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school")
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["school", "role", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.school.name}"

    @property
    def manages_school(self) -> bool:
        return self.role in (MembershipRole.DIRECTOR, MembershipRole.DELEGATE)


def _invitation_expiry():
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An e-mailed link that lets a director or teacher set a password and join a school.

    Only the SHA-256 of the token is stored: a leaked database reveals no usable link.
    """

    email = models.EmailField(_("e-mail address"))
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("school")
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.school.name}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


from .otp_models import SecondFactorReset  # noqa: E402, F401  (its own module, one model)
from .reminder_models import ReminderSent, ReminderSilence  # noqa: E402, F401  (its own module)
