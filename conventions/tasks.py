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
