"""What a document says, and the context its templates are rendered with.

``build_content`` freezes a document's content when it is created: the organisation, the
school, the pupil, the lent items and the wording of the template version. Everything a
document shows afterwards (the PDF, the signing page) is rendered from that frozen copy,
never from the live case, so a later change of the case or of the wording changes nothing.
The classmates' letter is built from a short list of fields that holds nothing medical.
"""

import datetime
import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import ConnectionCase, Guardian
from loans.models import ItemCategory

from .defaults import ORGANISATION
from .models import (
    KINDS_WITH_ITEMS,
    Document,
    DocumentKind,
    FileVariant,
    Signature,
    SignerRole,
    TemplateVersion,
)
from .pdf import attachment_url, render_html
from .selectors import lent_items

PDF_TEMPLATE = "pdf/document.html"
BODY_TEMPLATE = "pdf/_body.html"


def utc_text(moment: datetime.datetime | None) -> str:
    """An aware time as UTC text, as the evidence shows it (``2026-03-12 09:41:07 UTC``)."""
    if moment is None:
        return "—"
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


def _school(case: ConnectionCase) -> dict:
    school = case.school
    return {
        "name": school.name,
        "official_number": school.official_number,
        "street": school.street,
        "postcode": school.postcode,
        "city": school.city,
    }


def build_content(
    *,
    case: ConnectionCase,
    kind: str,
    version: TemplateVersion,
    guardian: Guardian | None = None,
    today: datetime.date | None = None,
) -> dict:
    """The frozen content of a new document of ``kind`` for ``case``."""
    today = today or timezone.localdate()
    content = {
        "organisation": dict(ORGANISATION),
        "school": _school(case),
        "case_number": case.number or "",
        "class_name": case.school_class.name if case.school_class_id else "",
        "issued_on": today.isoformat(),
        "template": {
            "number": version.number,
            "title": version.title,
            "introduction": version.introduction,
            "clauses": version.clause_list(),
            "consent_text": version.consent_text if kind == DocumentKind.CONVENTION else "",
            "closing": version.closing,
        },
    }
    if kind == DocumentKind.CLASSMATES_LETTER:
        # Classmates know the pupil by first name; nothing else about the pupil goes in.
        content["pupil"] = {"first_name": case.pupil_first_name, "last_name": ""}
        return content
    content["pupil"] = {"first_name": case.pupil_first_name, "last_name": case.pupil_last_name}
    if kind in KINDS_WITH_ITEMS:
        # Item names are frozen in the document's language, not in the sender's.
        with translation.override(version.language):
            content["equipment"] = lent_items(case)
    if guardian is not None:
        content["guardian"] = {"first_name": guardian.first_name, "last_name": guardian.last_name}
    return content


def _signature_row(signature: Signature, *, variant: str) -> dict:
    row = {
        "role": signature.role,
        "role_label": signature.get_role_display(),
        "expected_name": signature.signer_name,
        "signed": signature.is_signed and variant == FileVariant.SIGNED,
    }
    if row["signed"]:
        row.update(
            typed_name=signature.typed_name,
            account=signature.signed_by.email if signature.signed_by_id else "",
            sent=utc_text(signature.sent_at),
            opened=utc_text(signature.first_opened_at),
            signed_at=utc_text(signature.signed_at),
            ip=signature.ip_address or "—",
            user_agent=signature.user_agent or "—",
            document_sha256=signature.document_sha256,
            html_sha256=signature.html_sha256,
            image_sha256=signature.image_sha256,
            image_name=f"signature-{signature.pk}.png" if signature.image else "",
            image_url=attachment_url(f"signature-{signature.pk}.png") if signature.image else "",
            commitments=len(signature.commitments or []),
            consent=signature.consent,
        )
    return row


def document_context(
    document: Document, *, variant: str = FileVariant.ORIGINAL
) -> tuple[dict, dict[str, bytes]]:
    """The context of ``pdf/document.html`` for one variant, and the images it embeds.

    The signed variant adds each signer's evidence and the SHA-256 of the file as issued,
    which the evidence page prints.
    """
    signatures = list(document.signatures.select_related("signed_by").order_by("position", "pk"))
    attachments: dict[str, bytes] = {}
    rows = []
    for signature in signatures:
        with translation.override(document.language):  # labels in the document's language
            row = _signature_row(signature, variant=variant)
        if row.get("image_name"):
            with signature.image.open("rb") as handle:
                attachments[row["image_name"]] = handle.read()
        rows.append(row)
    consent = next((s.consent for s in signatures if s.role == SignerRole.DIRECTOR and s.is_signed), None)
    context = {
        "doc": document.content,
        "kind": document.kind,
        "kind_label": DocumentKind(document.kind).label,
        "reference": str(document.public_id),
        "language": document.language,
        "template_number": document.content.get("template", {}).get("number"),
        "signed_variant": variant == FileVariant.SIGNED,
        "signatures": rows,
        "consent": consent if variant == FileVariant.SIGNED else None,
        "signed_at": utc_text(document.signed_at) if variant == FileVariant.SIGNED else "",
        "verify_url": settings.SITE_URL + reverse("verify"),
        "privacy_url": settings.SITE_URL + reverse("sign:privacy", kwargs={"language": document.language}),
    }
    if variant == FileVariant.SIGNED:
        original = document.files.get(variant=FileVariant.ORIGINAL)
        context["original_sha256"] = original.sha256
    return context, attachments


def body_context(document: Document) -> dict:
    """The context of the document's readable body on a web page (no query, no file)."""
    return {
        "doc": document.content,
        "kind": document.kind,
        "kind_label": DocumentKind(document.kind).label,
        "reference": str(document.public_id),
        "language": document.language,
        "template_number": document.content.get("template", {}).get("number"),
        "signed_variant": False,
        "signatures": [],
        "consent": None,
        "web": True,
    }


def render_body(document: Document) -> str:
    """The readable body of a document as a signing page shows it (its hash is evidence)."""
    return render_html(BODY_TEMPLATE, body_context(document), language=document.language)


def _sample_items(language: str) -> list[dict]:
    with translation.override(language):
        return [
            {"kit": "CK-0000", "category": str(category.label), "model": "", "serial": f"SAMPLE-000{n}"}
            for n, category in enumerate([ItemCategory.CHROMEBOOK, ItemCategory.CAMERA_360], start=1)
        ]


def sample_body_context(*, kind: str, language: str, wording: TemplateVersion) -> dict:
    """A preview of wording on made-up data, as the document's body would show it."""
    content = {
        "organisation": dict(ORGANISATION),
        "school": {
            "name": "École exemple",
            "official_number": "0000",
            "street": "Rue de l'Exemple 1",
            "postcode": "1000",
            "city": "Bruxelles",
        },
        "case_number": "CC-0000-0000",
        "class_name": "P5",
        "issued_on": timezone.localdate().isoformat(),
        "pupil": {
            "first_name": "Alex",
            "last_name": "" if kind == DocumentKind.CLASSMATES_LETTER else "Exemple",
        },
        "template": {
            "number": wording.number or "—",
            "title": wording.title,
            "introduction": wording.introduction,
            "clauses": wording.clause_list(),
            "consent_text": wording.consent_text if kind == DocumentKind.CONVENTION else "",
            "closing": wording.closing,
        },
    }
    if kind in KINDS_WITH_ITEMS:
        content["equipment"] = _sample_items(language)
    if kind == DocumentKind.ENGAGEMENT:
        content["guardian"] = {"first_name": "Sam", "last_name": "Exemple"}
    return {
        "doc": content,
        "kind": kind,
        "kind_label": DocumentKind(kind).label,
        "reference": "",
        "language": language,
        "template_number": content["template"]["number"],
        "signed_variant": False,
        "signatures": [],
        "consent": None,
        "web": True,
    }
