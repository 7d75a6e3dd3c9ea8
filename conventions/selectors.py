"""Reads of documents, wording versions, signatures and consents."""

from dataclasses import dataclass
import datetime

from django.db.models import Prefetch, QuerySet

from cases.models import ConnectionCase
from loans.models import InventoryState
from loans.selectors import holder_open_loan
from schools.models import School
from schools.selectors import managed_school_ids, user_is_staff_member

from .models import (
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    FileVariant,
    SchoolConsent,
    Signature,
    SignatureStatus,
    SignerRole,
    TemplateVersion,
)
from .search import NEWEST_FIRST, DocumentSearch

# Items that left the kit for good are not lent any more.
_GONE = (InventoryState.LOST, InventoryState.RETIRED)


def lent_items(case: ConnectionCase) -> list[dict]:
    """Every item of the kit lent to the case, with its serial number (empty without a loan)."""
    loan = holder_open_loan(case)
    if loan is None:
        return []
    items = loan.kit.items.exclude(state__in=_GONE).order_by("category", "serial_number")
    return [
        {
            "kit": loan.kit.code,
            "category": item.get_category_display(),
            "model": item.model_name,
            "serial": item.serial_number,
        }
        for item in items
    ]


def current_version(kind: str, language: str) -> TemplateVersion | None:
    """The newest published wording of a kind in a language."""
    return TemplateVersion.objects.filter(kind=kind, language=language).order_by("-number").first()


def template_overview() -> list[dict]:
    """Each kind and language with its newest version and the number of versions (one query)."""
    versions = list(TemplateVersion.objects.order_by("kind", "language", "-number"))
    rows = {}
    for version in versions:
        row = rows.setdefault((version.kind, version.language), {"current": version, "count": 0})
        row["count"] += 1
    return [
        {
            "kind": kind,
            "kind_label": label,
            "language": language,
            **rows.get((kind, language), {"current": None, "count": 0}),
        }
        for kind, label in DocumentKind.choices
        for language in ("fr", "en")
    ]


def template_versions(kind: str, language: str) -> QuerySet[TemplateVersion]:
    return (
        TemplateVersion.objects.filter(kind=kind, language=language)
        .select_related("created_by")
        .order_by("-number")
    )


def documents_visible_to(user) -> QuerySet[Document]:
    """Staff see every document; directors and delegates those of their schools' cases."""
    if user_is_staff_member(user):
        return Document.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return Document.objects.none()
    return Document.objects.filter(case__school_id__in=school_ids)


def _with_files_and_signatures(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("case", "case__school", "template_version", "guardian").prefetch_related(
        Prefetch("files", queryset=DocumentFile.objects.order_by("variant"), to_attr="file_list"),
        Prefetch(
            "signatures",
            queryset=Signature.objects.select_related("signed_by", "guardian").order_by("position", "pk"),
            to_attr="signature_list",
        ),
    )


def case_documents(case: ConnectionCase, *, include_cancelled: bool = False) -> list[Document]:
    """The documents of a case with their files and signatures, in a fixed number of queries."""
    documents = case.documents.all()
    if not include_cancelled:
        documents = documents.exclude(status=DocumentStatus.CANCELLED)
    return list(_with_files_and_signatures(documents).order_by("kind", "slot", "-created_at"))


def document_for_page(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return _with_files_and_signatures(queryset)


def file_of(document: Document, variant: str) -> DocumentFile | None:
    files = getattr(document, "file_list", None)
    if files is None:
        return document.files.filter(variant=variant).first()
    return next((f for f in files if f.variant == variant), None)


@dataclass(frozen=True)
class DocumentFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    waiting_for: str = ""


def staff_document_list(*, filters: DocumentFilters) -> QuerySet[Document] | DocumentSearch:
    """Every document for the staff list, filtered, newest first; one query for the page
    whatever the rows. A search lists the pupil named exactly as typed first (``search``)."""
    documents = Document.objects.select_related("case", "case__school").only(
        "public_id",
        "kind",
        "slot",
        "status",
        "language",
        "created_at",
        "signed_at",
        "case__public_id",
        "case__number",
        "case__pupil_first_name",
        "case__pupil_last_name",
        "case__school__name",
    )
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.waiting_for:
        documents = documents.filter(
            status=DocumentStatus.AWAITING_SIGNATURES,
            signatures__role=filters.waiting_for,
            signatures__status=SignatureStatus.PENDING,
        )
    words = filters.q.split()[:5]
    if words:
        return DocumentSearch(documents, words)
    return documents.order_by(*NEWEST_FIRST)


def pending_signature_for(document: Document, role: str) -> Signature | None:
    signatures = getattr(document, "signature_list", None)
    if signatures is None:
        signatures = list(document.signatures.all())
    return next((s for s in signatures if s.role == role and s.status == SignatureStatus.PENDING), None)


def director_signature(document: Document) -> Signature | None:
    signatures = getattr(document, "signature_list", None)
    if signatures is None:
        signatures = list(document.signatures.all())
    return next((s for s in signatures if s.role == SignerRole.DIRECTOR), None)


def school_consent(school: School) -> SchoolConsent | None:
    """The school's consent in force (the newest record), if it ever gave one."""
    return school.communication_consents.order_by("-recorded_at", "-pk").first()


@dataclass(frozen=True)
class Verification:
    """What a file or hash turned out to be. Public pages show only ``signed``, kind and date."""

    sha256: str
    file: DocumentFile | None

    @property
    def known(self) -> bool:
        return self.file is not None

    @property
    def signed(self) -> bool:
        return bool(
            self.file
            and self.file.variant == FileVariant.SIGNED
            and self.file.document.status == DocumentStatus.SIGNED
        )

    @property
    def kind_label(self) -> str:
        return self.file.document.get_kind_display() if self.file else ""

    @property
    def signed_on(self) -> datetime.date | None:
        if not self.signed or self.file.document.signed_at is None:
            return None
        return self.file.document.signed_at.astimezone(datetime.UTC).date()


def verify_sha256(sha256: str) -> Verification:
    """Which issued file, if any, has this SHA-256."""
    found = (
        DocumentFile.objects.filter(sha256=sha256.lower())
        .select_related("document", "document__case", "document__case__school")
        .order_by("-variant")
        .first()
    )
    return Verification(sha256=sha256.lower(), file=found)
