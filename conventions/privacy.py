"""What the conventions erase for an expired case (registered in ``apps.py``).

When the pupil's identity expires, the copies of names kept in the tables go: the
document's frozen content (its PDF files stay: they are the legal record), the names
expected and typed on each signature, and the addresses the links were sent to. When the
documents' legal period ends, their PDF files and drawn signatures are deleted from storage
with the rest of the evidence (IP address, browser).
"""

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
