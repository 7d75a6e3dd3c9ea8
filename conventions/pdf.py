"""PDF rendering lives in ``classcontact.pdf``, shared by both programmes' documents."""

from classcontact.pdf import (  # noqa: F401 - this app's documents and tests import it from here
    ATTACHMENT_PREFIX,
    DOCUMENT_BASE_URL,
    DOCUMENT_ORIGIN,
    PortalFetcher,
    RefusedURL,
    attachment_url,
    html_to_pdf,
    render_html,
    render_pdf,
)
