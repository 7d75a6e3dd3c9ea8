"""Documents at scale for `make bench`: a convention and an engagement for half the bench cases.

The PDF figures (rendering time, letters per second) come from `manage.py bench_pdf`.
"""

from django.db import connection, transaction
from django.utils import timezone

from cases.models import CaseStatus, ConnectionCase
from classcontact.bench import BenchPage
from schools.bench import BENCH_COORDINATOR

from .models import (
    Document,
    DocumentKind,
    DocumentStatus,
    Signature,
    SignatureStatus,
    SignerRole,
    TemplateVersion,
)
from .services import ensure_default_templates

CASES_WITH_DOCUMENTS = 10_000
BATCH = 1_000
SENT_STATES = [
    CaseStatus.DOCUMENTS_SENT,
    CaseStatus.DOCUMENTS_SIGNED,
    CaseStatus.INSTALLATION_PLANNED,
    CaseStatus.ACTIVE,
    CaseStatus.PAUSED,
    CaseStatus.END_REQUESTED,
    CaseStatus.RETRIEVAL_PLANNED,
    CaseStatus.KIT_RETURNED,
    CaseStatus.CLOSED,
]


def _bench_cases():
    return ConnectionCase.objects.filter(
        number__startswith="CC-", school__official_number__startswith="B", status__in=SENT_STATES
    )


def _content(case: ConnectionCase, version: TemplateVersion) -> dict:
    return {
        "school": {"name": f"École {case.school_id}"},
        "case_number": case.number,
        "pupil": {"first_name": case.pupil_first_name, "last_name": case.pupil_last_name},
        "template": {"number": version.number, "title": version.title, "clauses": version.clause_list()},
    }


def _documents(cases: list[ConnectionCase], versions: dict) -> list[Document]:
    """A convention and an engagement per case, signed unless the case still waits for them."""
    documents = []
    for case in cases:
        signed = case.status != CaseStatus.DOCUMENTS_SENT
        for kind, slot in ((DocumentKind.CONVENTION, 0), (DocumentKind.ENGAGEMENT, 1)):
            documents.append(
                Document(
                    case=case,
                    kind=kind,
                    slot=slot,
                    language="fr",
                    template_version=versions[kind],
                    content=_content(case, versions[kind]),
                    status=DocumentStatus.SIGNED if signed else DocumentStatus.AWAITING_SIGNATURES,
                    created_at=case.status_changed_at,
                    status_changed_at=case.status_changed_at,
                    signed_at=case.status_changed_at if signed else None,
                )
            )
    return documents


def _signatures(documents: list[Document]) -> list[Signature]:
    """The signatures each document asks for, signed when the document is."""
    signatures = []
    for document in documents:
        status = SignatureStatus.SIGNED if document.signed_at else SignatureStatus.PENDING
        roles = (
            [SignerRole.DIRECTOR, SignerRole.COORDINATOR]
            if document.kind == DocumentKind.CONVENTION
            else [SignerRole.GUARDIAN]
        )
        for position, role in enumerate(roles, start=1):
            signatures.append(
                Signature(
                    document=document,
                    role=role,
                    position=position,
                    status=status,
                    # As the services do: the countersignature is asked for once the school signed.
                    sent_at=document.created_at
                    if role != SignerRole.COORDINATOR or document.signed_at
                    else None,
                    signed_at=document.signed_at,
                    typed_name="Bench" if document.signed_at else "",
                )
            )
    return signatures


def seed(*, stdout, scale: int = 1) -> None:
    ensure_default_templates()
    versions = {
        kind: TemplateVersion.objects.filter(kind=kind, language="fr").order_by("-number").first()
        for kind in (DocumentKind.CONVENTION, DocumentKind.ENGAGEMENT)
    }
    done = Document.objects.filter(case__in=_bench_cases()).values("case").distinct().count()
    cases = list(
        _bench_cases()
        .filter(documents__isnull=True)
        .order_by("pk")
        .only(
            "pk", "number", "school_id", "status", "status_changed_at", "pupil_first_name", "pupil_last_name"
        )[: max(0, CASES_WITH_DOCUMENTS * scale - done)]
    )
    for start in range(0, len(cases), BATCH):
        with transaction.atomic():
            documents = Document.objects.bulk_create(_documents(cases[start : start + BATCH], versions))
            Signature.objects.bulk_create(_signatures(documents), batch_size=BATCH * 2)
        stdout.write(
            f"  documents for {min(start + BATCH, len(cases)) + done}/{CASES_WITH_DOCUMENTS * scale} cases"
        )
    if cases and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE conventions_document, conventions_signature")
    stdout.write(f"  documents in the database: {Document.objects.count()} ({timezone.now():%H:%M:%S})")


def pages() -> list[BenchPage]:
    limits = {"max_queries": 12, "target_median_ms": 60}
    result = [
        BenchPage("documents list", "/documents/", BENCH_COORDINATOR, **limits),
        BenchPage(
            "documents list, filtered",
            "/documents/?kind=engagement&status=awaiting_signatures",
            BENCH_COORDINATOR,
            **limits,
        ),
        BenchPage("documents list, search", "/documents/?q=dupont", BENCH_COORDINATOR, **limits),
    ]
    document = (
        Document.objects.filter(case__in=_bench_cases(), kind=DocumentKind.CONVENTION)
        .select_related("case")
        .order_by("pk")
        .first()
    )
    if document is not None:
        result += [
            BenchPage(
                "case documents", f"/documents/case/{document.case.public_id}/", BENCH_COORDINATOR, **limits
            ),
            BenchPage("document detail", f"/documents/{document.public_id}/", BENCH_COORDINATOR, **limits),
        ]
    return result
