"""Documents of a connection case: versioned wording, issued PDFs, signatures and their evidence.

A document freezes what it says (``content``) when it is created and records the template
version it was made from, so publishing new wording never changes a document already sent.
Its PDFs are rendered by a Celery task and kept privately with their SHA-256; a document has
at most one file per variant (as issued, signed copy), which the database guarantees.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.fields.json import KT
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.storage import get_private_storage
from classcontact.workflow import StateCatalogue, StateInfo
from schools.models import Language


def written_name(part: str) -> Upper:
    """The pupil's ``first_name`` or ``last_name`` as the document writes it (its frozen
    content), in capitals: the key of the documents search's exact-name indexes."""
    return Upper(KT(f"content__pupil__{part}"))


#: The pupil's names a search word is compared with, whole, for the search's first results.
WRITTEN_NAME_PARTS = ("last_name", "first_name")


class DocumentKind(models.TextChoices):
    CONVENTION = "convention", _("School convention")
    ENGAGEMENT = "engagement", _("Parents' engagement")
    CLASSMATES_LETTER = "classmates_letter", _("Letter for classmates and their parents")
    GUIDE_RECEIPT = "guide_receipt", _("User-guide receipt")


#: Kinds that are signed online; the others are issued as they are.
SIGNED_KINDS = frozenset({DocumentKind.CONVENTION, DocumentKind.ENGAGEMENT})
#: Kinds that list the lent items with their serial numbers.
KINDS_WITH_ITEMS = frozenset({DocumentKind.CONVENTION, DocumentKind.GUIDE_RECEIPT})


def split_clauses(text: str) -> list[str]:
    """Clauses are plain-text paragraphs separated by a blank line; lines inside one are joined."""
    paragraphs = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        paragraph = " ".join(line.strip() for line in block.split("\n") if line.strip())
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


class TemplateVersion(models.Model):
    """One published wording of a kind of document in one language. Never edited afterwards:
    a change is a new version with the next number."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    clauses = models.TextField(
        _("clauses"), help_text=_("Plain text, one clause per paragraph: leave a blank line between clauses.")
    )
    consent_text = models.TextField(
        _("communication consent clause"),
        blank=True,
        help_text=_("Convention only: what the school agrees to or refuses about being named."),
    )
    closing = models.TextField(_("closing words"), blank=True)
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document template version")
        verbose_name_plural = _("document template versions")
        ordering = ["kind", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "number"], name="templateversion_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language}) v{self.number}"

    def clause_list(self) -> list[str]:
        return split_clauses(self.clauses)


class DocumentStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Waiting for signatures")
    READY = "ready", _("Ready")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


DS = DocumentStatus

#: The only state changes of a document; ``conventions.services`` owns each of them.
DOCUMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    DS.PREPARING: frozenset({DS.AWAITING_SIGNATURES, DS.READY, DS.CANCELLED}),
    DS.AWAITING_SIGNATURES: frozenset({DS.SIGNED, DS.CANCELLED}),
    DS.READY: frozenset({DS.CANCELLED}),
    DS.SIGNED: frozenset(),
    DS.CANCELLED: frozenset(),
}

DOCUMENT_STATES = StateCatalogue(
    DocumentStatus,
    {
        DS.PREPARING: StateInfo(badge="text-bg-light border"),
        DS.AWAITING_SIGNATURES: StateInfo(badge="text-bg-info"),
        DS.READY: StateInfo(badge="text-bg-primary"),
        DS.SIGNED: StateInfo(badge="text-bg-success", closed=True),
        DS.CANCELLED: StateInfo(badge="text-bg-secondary", closed=True),
    },
)


class Document(models.Model):
    """One document of a case (a convention, a parent's engagement, a letter, a receipt)."""

    TRANSITIONS = DOCUMENT_TRANSITIONS
    STATES = DOCUMENT_STATES

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.ConnectionCase", on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    # 0 for the school's documents, the guardian's position (1 or 2) for an engagement.
    slot = models.PositiveSmallIntegerField(_("slot"), default=0)
    guardian = models.ForeignKey(
        "cases.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("parent or guardian"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("template version"),
    )
    # What the document says, frozen when it is created (school, pupil, items, wording).
    content = models.JSONField(_("content"), default=dict)
    status = models.CharField(_("state"), max_length=20, choices=DocumentStatus.choices, default=DS.PREPARING)
    status_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["case", "kind", "slot", "-created_at"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="document_created_idx"),
            models.Index(fields=["case", "kind"], name="document_case_kind_idx"),
            models.Index(fields=["status", "-created_at"], name="document_status_idx"),
            models.Index(fields=["kind", "-created_at"], name="document_kind_idx"),
            # The search's exact-name results, newest first, read in order from the index.
            models.Index(
                written_name("last_name"), F("created_at").desc(), F("id").desc(), name="document_surname_idx"
            ),
            models.Index(
                written_name("first_name"),
                F("created_at").desc(),
                F("id").desc(),
                name="document_first_name_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "slot"],
                condition=~models.Q(status="cancelled"),
                name="document_one_live_per_slot",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.content.get('case_number', '')}".strip(" –")

    @property
    def is_signed_kind(self) -> bool:
        return self.kind in SIGNED_KINDS

    @property
    def title(self) -> str:
        return self.content.get("template", {}).get("title", "") or self.get_kind_display()

    @property
    def clauses(self) -> list[str]:
        return list(self.content.get("template", {}).get("clauses", []))


class FileVariant(models.TextChoices):
    ORIGINAL = "original", _("As issued")
    SIGNED = "signed", _("Signed copy with evidence")


def _document_file_path(instance, filename: str) -> str:
    return f"documents/{instance.document.public_id}/{filename}"


class DocumentFile(models.Model):
    """A rendered PDF of a document, stored privately, with its SHA-256."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    variant = models.CharField(_("variant"), max_length=10, choices=FileVariant.choices)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to=_document_file_path, max_length=200
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("rendered"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["document", "variant"], name="documentfile_one_per_variant"),
        ]

    def __str__(self):
        return f"{self.document} · {self.get_variant_display()} · {self.sha256[:12]}"


class SignerRole(models.TextChoices):
    DIRECTOR = "director", _("School director")
    COORDINATOR = "coordinator", _("ClassContact coordinator")
    GUARDIAN = "guardian", _("Parent or guardian")


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


def _signature_image_path(instance, filename: str) -> str:
    return f"signatures/{instance.document.public_id}/{uuid.uuid4().hex}.png"


class Signature(models.Model):
    """One expected signature of a document and, once given, its evidence."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("signs as"), max_length=12, choices=SignerRole.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    guardian = models.ForeignKey(
        "cases.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("parent or guardian"),
    )
    signer_name = models.CharField(_("expected signer"), max_length=200, blank=True)
    status = models.CharField(
        _("state"), max_length=10, choices=SignatureStatus.choices, default=SignatureStatus.PENDING
    )
    # Evidence (UTC in the database, as every aware datetime).
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by (account)"),
    )
    typed_name = models.CharField(_("name typed"), max_length=200, blank=True)
    document_sha256 = models.CharField(_("SHA-256 of the document shown"), max_length=64, blank=True)
    html_sha256 = models.CharField(_("SHA-256 of the page shown"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.TextField(_("browser (user agent)"), blank=True)
    image = models.FileField(
        _("drawn signature"),
        storage=get_private_storage,
        upload_to=_signature_image_path,
        blank=True,
        max_length=200,
    )
    image_sha256 = models.CharField(_("SHA-256 of the drawn signature"), max_length=64, blank=True)
    commitments = models.JSONField(_("commitments ticked"), default=list, blank=True)
    consent = models.BooleanField(_("school agrees to be named"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["document", "position", "pk"]
        indexes = [
            models.Index(fields=["role", "status"], name="signature_role_status_idx"),
            # The coordinators' home line: countersignatures asked for and not given yet.
            models.Index(
                fields=["sent_at"],
                name="signature_to_countersign_idx",
                condition=models.Q(
                    role=SignerRole.COORDINATOR, status=SignatureStatus.PENDING, sent_at__isnull=False
                ),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "role", "position"], name="signature_unique_signer"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} · {self.signer_name or '—'} · {self.get_status_display()}"

    @property
    def is_signed(self) -> bool:
        return self.status == SignatureStatus.SIGNED


class LinkPurpose(models.TextChoices):
    SIGN = "sign", _("Sign the engagement")
    END = "end", _("Say the kit is no longer needed")


class SigningLink(models.Model):
    """A parent's personal link. Only the SHA-256 of its token is stored; it has one purpose,
    expires, dies once used, and a new link for the same purpose kills the previous one."""

    purpose = models.CharField(_("purpose"), max_length=4, choices=LinkPurpose.choices)
    guardian = models.ForeignKey(
        "cases.Guardian",
        on_delete=models.CASCADE,
        related_name="signing_links",
        verbose_name=_("parent or guardian"),
    )
    signature = models.ForeignKey(
        Signature,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("signature"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(_("sent to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced by a new link"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["guardian", "purpose"], name="signinglink_guardian_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(purpose="sign") | models.Q(signature__isnull=False),
                name="signinglink_sign_has_signature",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.sent_to}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class SchoolConsent(models.Model):
    """The school's consent or refusal to be named in ClassContact's communication.

    The newest record is the one in force; each keeps the date it was given.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="communication_consents",
        verbose_name=_("school"),
    )
    consents = models.BooleanField(_("agrees to be named"))
    decided_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("given in"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("communication consent of a school")
        verbose_name_plural = _("communication consents of schools")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["school", "-recorded_at"], name="schoolconsent_school_idx")]

    def __str__(self):
        answer = _("agrees") if self.consents else _("refuses")
        return f"{self.school} · {answer} · {self.decided_on:%d/%m/%Y}"
