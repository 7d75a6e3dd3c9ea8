"""Templated e-mails: each mail is three templates, subject, text body and HTML body."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def send_templated_mail(
    *,
    name: str,
    to: Sequence[str],
    context: dict,
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Render ``emails/<name>-subject.txt|-body.txt|-body.html`` in ``language`` and send."""
    language = language or settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(_render_plain(f"emails/{name}-subject.txt", context).split())
        text = _render_plain(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to))
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def _render_plain(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping (an apostrophe stays an apostrophe)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))
