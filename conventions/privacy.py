"""What the conventions erase for an expired case (registered in ``apps.py``).

When the pupil's identity expires, the copies of names kept in the tables go: the
document's frozen content (its PDF files stay: they are the legal record), the names
expected and typed on each signature, and the addresses the links were sent to. When the
documents' legal period ends, their PDF files and drawn signatures are deleted from storage
with the rest of the evidence (IP address, browser).
"""

from django.utils.translation import gettext_lazy as _

from classcontact.retention import ERASED, Known, delete_files, overwrite, scrub

from .models import Document, DocumentFile, Signature, SigningLink


def conventions_identity_purge(case, known: Known) -> dict[str, int]:
    documents = Document.objects.filter(case=case)
    content = scrub(documents, ["content"], known, history=False)
    signatures = Signature.objects.filter(document__case=case)
    names = {"signer_name": ERASED, "typed_name": ERASED}
    signed = overwrite(signatures, names)
    sent = overwrite(SigningLink.objects.filter(guardian__case=case), {"sent_to": ""})
    return {"documents": content, "signatures": signed, "signing links": sent}


def conventions_documents_purge(case, known: Known) -> dict[str, int]:  # noqa: ARG001
    files = DocumentFile.objects.filter(document__case=case)
    removed = delete_files(f.file for f in files)
    files.delete()
    signatures = Signature.objects.filter(document__case=case)
    removed += delete_files(s.image for s in signatures)
    evidence = overwrite(signatures, {"image": "", "ip_address": None, "user_agent": "", "commitments": []})
    return {"document files": removed, "signature evidence": evidence}


def documents_export_section(case):
    """A pupil's export: the case's documents (PDFs), signatures and their evidence, links."""
    from cases.pupil_export import ExportSection

    documents = Document.objects.filter(case=case).order_by("pk")
    data = {
        "documents": list(
            documents.values(
                "public_id", "kind", "slot", "language", "status", "created_at", "signed_at", "content"
            )
        ),
        "signatures": list(
            Signature.objects.filter(document__case=case)
            .order_by("document", "position")
            .values(
                "document__public_id",
                "role",
                "position",
                "signer_name",
                "status",
                "sent_at",
                "first_opened_at",
                "signed_at",
                "typed_name",
                "document_sha256",
                "html_sha256",
                "ip_address",
                "user_agent",
                "image_sha256",
                "commitments",
                "consent",
            )
        ),
        "links": list(
            SigningLink.objects.filter(guardian__case=case)
            .order_by("pk")
            .values("purpose", "sent_to", "created_at", "expires_at", "first_opened_at", "used_at")
        ),
        "files": list(
            DocumentFile.objects.filter(document__case=case).values(
                "document__public_id", "variant", "sha256"
            )
        ),
    }
    files = [
        (f"{f.document.kind}-{f.document.slot}-{f.variant}.pdf", f.file)
        for f in DocumentFile.objects.filter(document__case=case).select_related("document")
    ]
    files += [
        (f"signature-{s.pk}.png", s.image)
        for s in Signature.objects.filter(document__case=case).exclude(image="")
    ]
    return ExportSection(name="documents", title=str(_("Documents and signatures")), data=data, files=files)
