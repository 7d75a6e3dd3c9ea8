"""Builders for documents: a case with a reserved kit, documents sent, signatures given."""

import io
import itertools

from PIL import Image, ImageDraw
import pypdf

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase, Guardian
from cases.services import GuardianData
from conventions import services
from conventions.content import build_content
from conventions.models import Document, DocumentKind, DocumentStatus, FileVariant, SignerRole
from conventions.selectors import current_version
from loans.models import Item
from tests.builders.cases import make_case
from tests.builders.loans import make_kit

_numbers = itertools.count(1)


def guardians_data(count: int, languages=("fr", "en")) -> list[GuardianData]:
    people = [
        GuardianData(
            first_name="Sophie", last_name="Peeters", email="sophie@example.org", language=languages[0]
        ),
        GuardianData(
            first_name="Marc", last_name="Peeters", email="marc@example.org", language=languages[-1]
        ),
    ]
    return people[:count]


def make_ready_case(
    school, director, coordinator, *, guardians: int = 1, languages=("fr", "en"), **overrides
):
    """A case with a kit reserved (kit_assigned): the documents can be sent."""
    case = make_case(
        school,
        director,
        coordinator,
        CaseStatus.ELIGIBLE,
        guardian_count=guardians,
        guardians=guardians_data(guardians, languages),
        **overrides,
    )
    kit = make_kit(by=coordinator)
    case_services.case_reserve_kit(case=case, kit=kit, by=coordinator)
    case = ConnectionCase.objects.get(pk=case.pk)
    assert case.status == CaseStatus.KIT_ASSIGNED
    return case


def serials_of(case: ConnectionCase) -> list[str]:
    return list(Item.objects.filter(kit__loans__in=case.loans).values_list("serial_number", flat=True))


def send(case, coordinator, capture) -> list[Document]:
    """Send the case's documents and run what follows the commit (rendering, e-mails)."""
    with capture(execute=True):
        documents = services.documents_send(case=case, by=coordinator)
    return [Document.objects.get(pk=d.pk) for d in documents]


def make_listed_document(case, kind: str = DocumentKind.CONVENTION, *, created_at, slot: int = 0) -> Document:
    """A document as the staff list shows it (its content frozen from the case as the services
    do, no PDF), made at ``created_at``."""
    version = current_version(kind, "fr")
    return Document.objects.create(
        case=case,
        kind=kind,
        slot=slot,
        language="fr",
        template_version=version,
        content=build_content(case=case, kind=kind, version=version),
        status=DocumentStatus.AWAITING_SIGNATURES,
        created_at=created_at,
        status_changed_at=created_at,
    )


def convention_of(case) -> Document:
    return Document.objects.get(case=case, kind=DocumentKind.CONVENTION)


def engagements_of(case) -> list[Document]:
    return list(Document.objects.filter(case=case, kind=DocumentKind.ENGAGEMENT).order_by("slot"))


def file_bytes(document: Document, variant: str = FileVariant.ORIGINAL) -> bytes:
    stored = document.files.get(variant=variant)
    with stored.file.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    """The text of a PDF with whitespace normalised (line breaks of the layout removed)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_pages(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def normalise(text: str) -> str:
    return " ".join(text.split())


def link_token_from_mail(message) -> tuple[str, str]:
    """(ref, token) of the personal link in an e-mail."""
    import re

    match = re.search(r"/sign/([0-9a-f-]{36})/([A-Za-z0-9_-]{43,})/", message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def drawn_signature_data_url() -> str:
    import base64

    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 100), (80, 20), (150, 90), (290, 30)], fill=(10, 40, 90, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def sign_as_director(document, director, *, consent=True, image=None):
    original = document.files.get(variant=FileVariant.ORIGINAL)
    return services.signature_sign_in_portal(
        document=document,
        role=SignerRole.DIRECTOR,
        by=director,
        typed_name=director.get_full_name() or "Director",
        accepted=True,
        consent=consent,
        shown_sha256=original.sha256,
        image=image,
        ip="192.0.2.10",
        user_agent="pytest director",
    )


def countersign(document, coordinator):
    original = document.files.get(variant=FileVariant.ORIGINAL)
    return services.signature_sign_in_portal(
        document=document,
        role=SignerRole.COORDINATOR,
        by=coordinator,
        typed_name="Claire Coordinator",
        accepted=True,
        shown_sha256=original.sha256,
        image=None,
        ip="192.0.2.11",
        user_agent="pytest coordinator",
    )


def sign_as_guardian(document, ref, token, *, name="Sophie Peeters", image=None):
    original = document.files.get(variant=FileVariant.ORIGINAL)
    return services.signature_sign_by_link(
        ref=ref,
        token=token,
        typed_name=name,
        commitments=list(range(len(document.clauses))),
        shown_sha256=original.sha256,
        image=image,
        ip="198.51.100.7",
        user_agent="pytest parent phone",
    )


def guardian_of(case, position: int = 1) -> Guardian:
    return case.guardians.get(position=position)
