"""PDF rendering: a pure function, and a URL fetcher that serves only the portal's static files."""

from http.server import BaseHTTPRequestHandler, HTTPServer
import io
from pathlib import Path
import threading

from django.conf import settings
import pypdf
import pytest

from conventions.pdf import (
    DOCUMENT_BASE_URL,
    PortalFetcher,
    RefusedURL,
    attachment_url,
    html_to_pdf,
    render_pdf,
)
from tests.builders.conventions import pdf_pages, pdf_text


def test_the_fetcher_serves_the_portals_print_stylesheet():
    response = PortalFetcher().fetch(DOCUMENT_BASE_URL + "static/css/print.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_the_fetcher_serves_a_static_file_by_its_file_address():
    path = Path(settings.BASE_DIR) / "static" / "css" / "print.css"

    response = PortalFetcher().fetch(path.resolve().as_uri())

    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/style.css",
        "https://example.org/static/css/print.css",
        "https://documents.classcontact.invalid.example.org/static/css/print.css",
        "https://user:pw@documents.classcontact.invalid/static/css/print.css",
        "http://documents.classcontact.invalid/static/css/print.css",
        "file:///etc/passwd",
        "file://localhost/etc/hostname",
        "file://evil.example.org/static/css/print.css",
        "ftp://example.org/x.css",
        "data:text/css,body{color:red}",
        DOCUMENT_BASE_URL + "static/../classcontact/settings.py",
        DOCUMENT_BASE_URL + "static/..%2F..%2Fclasscontact%2Fsettings.py",
        DOCUMENT_BASE_URL + "static/%2Fetc%2Fpasswd",
        DOCUMENT_BASE_URL + "media/anything.png",
        DOCUMENT_BASE_URL + "attachments/not-given.png",
        DOCUMENT_BASE_URL + "static/css/missing.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        PortalFetcher().fetch(url)


def test_the_fetcher_refuses_a_file_address_that_climbs_out_of_static():
    static = (Path(settings.BASE_DIR) / "static").resolve()
    climbing = f"file://{static}/css/../../classcontact/settings.py"

    with pytest.raises(RefusedURL):
        PortalFetcher().fetch(climbing)


def test_the_fetcher_serves_only_the_attachments_it_was_given():
    fetcher = PortalFetcher({"signature-1.png": b"\x89PNG..."})

    assert fetcher.fetch(attachment_url("signature-1.png")).read() == b"\x89PNG..."
    with pytest.raises(RefusedURL):
        fetcher.fetch(attachment_url("signature-2.png"))


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        type(self).hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "/static/css/print.css")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_rendering_never_reaches_the_network_nor_follows_a_redirect():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    port = server.server_address[1]
    try:
        html = (
            f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css"></head>'
            f'<body><p>Hello</p><img src="http://127.0.0.1:{port}/track.png">'
            '<img src="file:///etc/hostname"></body></html>'
        )
        pdf = html_to_pdf(html)
    finally:
        server.shutdown()
        server.server_close()

    assert _Recorder.hits == []
    assert pdf.startswith(b"%PDF")
    assert "Hello" in pdf_text(pdf)


def pdf_metadata(data: bytes) -> dict:
    return dict(pypdf.PdfReader(io.BytesIO(data)).metadata or {})


def test_render_pdf_is_a_pure_function_of_template_and_context():
    context = {
        "doc": {
            "organisation": {"name": "ClassContact asbl"},
            "school": {"name": "École pure"},
            "pupil": {"first_name": "Lou", "last_name": "Pure"},
            "template": {"title": "Titre", "clauses": ["Première clause."], "number": 1},
        },
        "kind": "guide_receipt",
        "signatures": [],
    }

    first = render_pdf("pdf/document.html", context, language="fr")
    second = render_pdf("pdf/document.html", context, language="fr")

    # The same pages, words and metadata. (Not the same bytes: WeasyPrint may write a PDF's
    # objects, such as its fonts, in another order from one rendering to the next.)
    assert pdf_pages(first) == pdf_pages(second)
    assert pdf_metadata(first) == pdf_metadata(second)
    text = pdf_text(first)
    assert "École pure" in text and "Lou Pure" in text and "Première clause." in text
