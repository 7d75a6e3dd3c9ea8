from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from classcontact.light_widgets import escaped

register = template.Library()

TARGET_CLASSES = {
    "on_time": "text-bg-success",
    "due_soon": "text-bg-warning",
    "late": "text-bg-danger",
    "met": "text-bg-light border",
    "missed": "text-bg-light border border-danger text-danger",
    "none": "text-bg-light border",
}


@register.filter
def target_class(state: str) -> str:
    """Bootstrap badge classes for a target state (on time, due soon, late...)."""
    return TARGET_CLASSES.get(state, "text-bg-light border")


def _entry_classes(entry) -> tuple[str, str, str]:
    """The card's classes, its header's, and its test id."""
    if entry.internal:
        return (
            " border-warning border-2 bg-warning-subtle",
            " bg-warning-subtle",
            ' data-testid="internal-note"',
        )
    testid = "" if entry.opening else ' data-testid="public-message"'
    if entry.from_staff:
        return " border-primary", " bg-primary-subtle", testid
    return "", "", testid


def _entry_who(entry, words: dict) -> str:
    author = f"<strong>{escaped(entry.author)}</strong>"
    if entry.internal:
        return f'<span class="badge text-bg-warning">{words["internal"]}</span> {author} · {words["not_visible"]}'
    if entry.opening:
        return f"{author} · {words['opened']}"
    if entry.from_staff:
        return f'<span class="badge text-bg-primary">{words["helpdesk"]}</span> {author}'
    return author


def _entry_files(entry, words: dict) -> str:
    if not entry.files:
        return ""
    files = "".join(
        f'<li class="list-inline-item"><a href="{escaped(file.url)}">{escaped(file.name)}</a>'
        f' <span class="text-muted">({escaped(file.size)})</span></li>'
        for file in entry.files
    )
    return (
        f'<ul class="list-inline small mb-0" aria-label="{words["attachments"]}">\n'
        f'        <li class="list-inline-item text-muted">{words["attachments_colon"]}</li>\n'
        f"        {files}\n      </ul>"
    )


def _entry(entry, words: dict) -> str:
    card, header, testid = _entry_classes(entry)
    return (
        f'\n  <li class="card mb-3{card}"{testid}>\n'
        f'    <div class="card-header small d-flex flex-wrap justify-content-between gap-2{header}">\n'
        f"      <span>{_entry_who(entry, words)}</span>\n"
        f'      <time datetime="{escaped(entry.sent_iso)}">{escaped(entry.sent)}</time>\n'
        f"    </div>\n"
        f'    <div class="card-body">\n'
        f'      <div class="ticket-body">{entry.body}</div>\n'
        f"      {_entry_files(entry, words)}\n"
        f"    </div>\n  </li>"
    )


@register.simple_tag
def conversation_entries(entries) -> SafeString:
    """The entries of a conversation prepared by ``helpdesk.selectors.conversation``, drawn
    here rather than by a template: a ticket's twenty messages cost the template engine
    several times what these lines do. Every text from a person is escaped; the bodies come
    escaped, in paragraphs."""
    words = {
        name: escaped(text)
        for name, text in (
            ("internal", _("Internal note")),
            ("not_visible", _("not visible to the school")),
            ("helpdesk", _("Helpdesk")),
            ("opened", _("opened the ticket")),
            ("attachments", _("Attachments")),
            ("attachments_colon", _("Attachments:")),
        )
    }
    return mark_safe("".join(_entry(entry, words) for entry in entries))  # noqa: S308 - escaped above
