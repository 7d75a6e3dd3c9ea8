from celery import shared_task
from django.db import OperationalError


# Safe to run twice (one file per variant, under a lock), so a task whose worker died is put
# back in the queue (reject_on_worker_lost) and a lost database connection is retried.
@shared_task(
    name="conventions.render_document",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def render_document(*, document_id: int, variant: str) -> str | None:
    """Render one variant of a document to PDF and store it; a second run changes nothing.

    Returns the SHA-256 of the stored file, or None when the document is gone or not due.
    """
    from .services import document_render

    stored = document_render(document_id=document_id, variant=variant)
    return stored.sha256 if stored is not None else None


@shared_task(name="conventions.send_sign_link")
def send_sign_link(*, signature_id: int, by_id: int | None = None) -> None:
    """Create a parent's signing link and e-mail it (the outbox retries a refused mail)."""
    from .services.links import sign_link_deliver

    sign_link_deliver(signature_id=signature_id, by_id=by_id)


@shared_task(name="conventions.send_end_link")
def send_end_link(*, guardian_id: int, by_id: int | None = None) -> None:
    """Create a parent's "no longer needed" link and e-mail it."""
    from .services.links import end_link_deliver

    end_link_deliver(guardian_id=guardian_id, by_id=by_id)


@shared_task(name="conventions.send_signed_copy")
def send_signed_copy(*, signature_id: int) -> None:
    """E-mail a parent their signed copy, with a new "no longer needed" link."""
    from .services.links import signed_copy_deliver

    signed_copy_deliver(signature_id=signature_id)
