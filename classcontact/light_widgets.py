"""Django's form widgets drawn in Python: the same HTML as their templates, without them.

Each template Django renders for a widget (an input includes ``input.html``, which includes
``attrs.html``) costs more than the string it makes; a page with a few small forms spends
most of its time there. ``LightRenderer`` draws the plain ones (inputs, text areas, select
lists) itself and hands any other to the form's renderer, so a widget's template the portal
overrides (``select_option.html``, for its empty choice) is followed here by hand.
"""

import html

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color", "checkbox", "file",
    )
}  # fmt: skip
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
# Django's empty choice, worded by the portal (templates/django/forms/widgets/select_option.html).
DJANGO_EMPTY_LABEL = "---------"


def escaped(value) -> str:
    """``conditional_escape`` without its lazy-text wrapper: called for every attribute."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def quick_html(template: str, *args) -> SafeString:
    """``format_html`` with each argument escaped by ``escaped`` (the same text, a fraction
    of the calls): forms and lists call it for every label, option and attribute."""
    return mark_safe(template.format(*[escaped(arg) for arg in args]))  # noqa: S308 - escaped


def attrs_html(attrs: dict) -> SafeString:
    """``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return mark_safe(  # noqa: S308 - each name and value is escaped
        "".join(
            f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def _input(widget: dict) -> SafeString:
    value = "" if widget["value"] is None else quick_html(' value="{}"', widget["value"])
    return quick_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, attrs_html(widget["attrs"])
    )


def _textarea(widget: dict) -> SafeString:
    return quick_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        attrs_html(widget["attrs"]),
        widget["value"] or "",
    )


def _option(option: dict) -> str:
    label = option["label"]
    if label == DJANGO_EMPTY_LABEL:
        label = pgettext("empty choice of a list", "Choose…")
    return (
        f'<option value="{escaped(option["value"])}"{attrs_html(option["attrs"])}>{escaped(label)}</option>'
    )


def _select(widget: dict) -> SafeString:
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        options = mark_safe("\n  ".join(_option(option) for option in group_choices))  # noqa: S308 - escaped
        parts.append(
            quick_html('<optgroup label="{}">{}</optgroup>', group_name, options) if group_name else options
        )
    body = mark_safe("".join(f"\n  {part}" for part in parts))  # noqa: S308 - escaped above
    return quick_html('<select name="{}"{}>{}\n</select>', widget["name"], attrs_html(widget["attrs"]), body)


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, group, _index in widget["optgroups"]
        for option in group
    )


class LightRenderer:
    """A form renderer drawing inputs, text areas and select lists in Python."""

    def __init__(self, renderer):
        self.renderer = renderer

    def render(self, template_name, context, request=None):
        widget = context["widget"]
        if template_name in INPUT_TEMPLATES:
            return _input(widget)
        if template_name == TEXTAREA_TEMPLATE:
            return _textarea(widget)
        if template_name == SELECT_TEMPLATE and _plain_options(widget):
            return _select(widget)
        return self.renderer.render(template_name, context, request)
