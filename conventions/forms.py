"""Forms of the documents pages: validation only, every write goes through a service."""

import base64
import binascii
import io
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from classcontact.storage import FileContentValidator
from schools.models import Language

from .models import DocumentKind, DocumentStatus, SignerRole, TemplateVersion, split_clauses

ERROR_SIGNATURE_IMAGE = _(
    "The drawn signature could not be read: clear it and draw it again, or leave it empty."
)
ERROR_HASH = _("A SHA-256 is 64 characters, digits 0-9 and letters a-f.")
ERROR_FILE_OR_HASH = _("Choose a PDF file or paste its SHA-256.")
ERROR_CONFIRM = _("Tick the box to confirm.")

SIGNATURE_DATA_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_CHARS = 400_000
SIGNATURE_MAX_SIDE = 2000
VERIFY_MAX_BYTES = 20 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class SignatureImageField(forms.CharField):
    """A drawn signature posted as a PNG data URL; cleaned to re-encoded PNG bytes (or None).

    The image is decoded and written again by Pillow, so nothing but pixels is kept.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", SIGNATURE_MAX_CHARS)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if not value.startswith(SIGNATURE_DATA_PREFIX):
            raise forms.ValidationError(ERROR_SIGNATURE_IMAGE, code="signature")
        try:
            raw = base64.b64decode(value[len(SIGNATURE_DATA_PREFIX) :], validate=True)
            with Image.open(io.BytesIO(raw)) as image:
                if image.format != "PNG":
                    raise forms.ValidationError(ERROR_SIGNATURE_IMAGE, code="signature")
                if max(image.size) > SIGNATURE_MAX_SIDE or min(image.size) < 1:
                    raise forms.ValidationError(ERROR_SIGNATURE_IMAGE, code="signature")
                image.load()
                clean = image.convert("RGBA")
        except (binascii.Error, ValueError, UnidentifiedImageError, OSError) as error:
            raise forms.ValidationError(ERROR_SIGNATURE_IMAGE, code="signature") from error
        if clean.getbbox() is None or clean.getchannel("A").getbbox() is None:
            return None  # an empty canvas: no drawn signature
        out = io.BytesIO()
        clean.save(out, format="PNG", optimize=True)
        return out.getvalue()


class ShownHashField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)


class GuardianSignForm(forms.Form):
    """A parent's signature: each commitment ticked, the name typed, optionally drawn."""

    typed_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Typing your name is your signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    signature_image = SignatureImageField(label=_("Drawn signature (optional)"))
    document_sha256 = ShownHashField()

    def __init__(self, *args, commitments: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.commitment_names = []
        for index, text in enumerate(commitments):
            name = f"commitment_{index}"
            self.fields[name] = forms.BooleanField(
                label=text, required=True, error_messages={"required": _("Tick this commitment to sign.")}
            )
            self.commitment_names.append(name)
        # The commitments come first, as on paper.
        order = [*self.commitment_names, "typed_name", "signature_image", "document_sha256"]
        self.order_fields(order)

    def commitment_fields(self):
        return [self[name] for name in self.commitment_names]

    @property
    def ticked(self) -> list[int]:
        return [i for i, name in enumerate(self.commitment_names) if self.cleaned_data.get(name)]


class PortalSignForm(forms.Form):
    """The director's signature (with the school's communication consent) or the countersignature."""

    consent = forms.TypedChoiceField(
        label=_("May ClassContact mention the school's name in its communication?"),
        choices=[("yes", _("Yes, the school agrees")), ("no", _("No, the school does not agree"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=True,
    )
    accepted = forms.BooleanField(
        label=_("I have read this document and I sign it on behalf of my organisation."),
        required=True,
        error_messages={"required": ERROR_CONFIRM},
    )
    typed_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Typing your name is your signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    signature_image = SignatureImageField(label=_("Drawn signature (optional)"))
    document_sha256 = ShownHashField()

    def __init__(self, *args, role: str, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if not (role == SignerRole.DIRECTOR and kind == DocumentKind.CONVENTION):
            del self.fields["consent"]


class EndRequestForm(forms.Form):
    last_day = forms.DateField(
        label=_("Last day the kit is used"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Anything we should know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the kit is no longer needed, so that ClassContact can collect it."),
        required=True,
        error_messages={"required": ERROR_CONFIRM},
    )


class TemplateVersionForm(forms.ModelForm):
    """New wording for a kind of document, as plain text (never template code)."""

    class Meta:
        model = TemplateVersion
        fields = ["title", "introduction", "clauses", "consent_text", "closing", "change_note"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "clauses": forms.Textarea(attrs={"rows": 12}),
            "consent_text": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != DocumentKind.CONVENTION:
            del self.fields["consent_text"]
        if kind == DocumentKind.ENGAGEMENT:
            self.fields["clauses"].label = _("Commitments")
            self.fields["clauses"].help_text = _(
                "Plain text, one commitment per paragraph: leave a blank line between them. "
                "Parents tick each one."
            )
        if kind == DocumentKind.CLASSMATES_LETTER:
            self.fields["clauses"].label = _("Paragraphs")
            self.fields["clauses"].help_text = _(
                "Plain text, one paragraph each, blank line between them. Say nothing about the "
                "pupil's health."
            )

    def clean_clauses(self):
        clauses = self.cleaned_data["clauses"]
        if not split_clauses(clauses):
            raise forms.ValidationError(_("Write at least one clause."))
        return clauses


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *DocumentKind.choices]
    )
    status = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *DocumentStatus.choices]
    )
    waiting_for = forms.ChoiceField(
        label=_("Waiting for"), required=False, choices=[("", _("Anyone")), *SignerRole.choices]
    )


class PrepareDocumentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (DocumentKind.CLASSMATES_LETTER, DocumentKind.CLASSMATES_LETTER.label),
            (DocumentKind.GUIDE_RECEIPT, DocumentKind.GUIDE_RECEIPT.label),
        ],
        label=_("Document"),
    )
    language = forms.ChoiceField(
        choices=Language.choices, label=_("Language"), initial=settings.LANGUAGE_CODE
    )


class VerificationForm(forms.Form):
    """A PDF file or a SHA-256 to look up among the files the portal issued."""

    file = forms.FileField(
        label=_("PDF file"),
        required=False,
        validators=[FileContentValidator(("application/pdf",), max_bytes=VERIFY_MAX_BYTES)],
    )
    sha256 = forms.CharField(label=_("or its SHA-256"), required=False, max_length=80)

    def clean_sha256(self):
        value = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if value and not _HEX64.match(value):
            raise forms.ValidationError(ERROR_HASH)
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("sha256"):
            raise forms.ValidationError(ERROR_FILE_OR_HASH)
        return cleaned

    def digest(self) -> str:
        """The SHA-256 to look up: the uploaded file's, else the pasted one."""
        import hashlib

        upload = self.cleaned_data.get("file")
        if upload:
            digest = hashlib.sha256()
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
            return digest.hexdigest()
        return self.cleaned_data["sha256"]
