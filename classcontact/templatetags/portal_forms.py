"""Small forms drawn in Python, with the markup crispy's Bootstrap 5 pack gives them.

``{{ form|crispy }}`` renders a dozen nested templates per field; on pages with several small
forms (a ticket's assignment, status, triage…) that is most of the page's time. These filters
write the same wrapper, label, help text (``id_…_helptext``, named by the widget's
``aria-describedby``) and errors (``id_…_error``, beside the field) directly; only the widget
goes through its template. Fields these filters do not draw (radio buttons, check boxes,
files, widgets of several inputs) are handed to crispy, unchanged::

    {% load portal_forms %}
    {{ assign_form|light_form }}        {# instead of {{ assign_form|crispy }} #}
    {{ reply_form.body|light_field }}   {# instead of {{ reply_form.body|as_crispy_field }} #}
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

register = template.Library()

# Bootstrap's class for each kind of widget drawn here.
_SELECT, _CONTROL = "form-select", "form-control"
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's empty choice, worded by the portal (templates/django/forms/widgets/select_option.html).
DJANGO_EMPTY_LABEL = "---------"


def _attrs(attrs: dict) -> SafeString:
    """``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _option(option: dict) -> SafeString:
    label = option["label"]
    if label == DJANGO_EMPTY_LABEL:
        label = pgettext("empty choice of a list", "Choose…")
    return format_html('<option value="{}"{}>{}</option>', option["value"], _attrs(option["attrs"]), label)


def _select(widget: dict) -> SafeString:
    """``django/forms/widgets/select.html`` with the portal's options, drawn in Python."""
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        options = mark_safe("\n  ".join(_option(option) for option in group_choices))  # noqa: S308 - escaped
        parts.append(
            format_html('<optgroup label="{}">{}</optgroup>', group_name, options) if group_name else options
        )
    body = mark_safe("".join(f"\n  {part}" for part in parts))  # noqa: S308 - escaped above
    return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]), body)


class _LightRenderer:
    """Draws select lists in Python; any other widget's template goes to the form's renderer."""

    def __init__(self, renderer):
        self.renderer = renderer

    def render(self, template_name, context, request=None):
        widget = context["widget"]
        if template_name == SELECT_TEMPLATE and all(
            option["template_name"] == OPTION_TEMPLATE
            for _n, group, _i in widget["optgroups"]
            for option in group
        ):
            return _select(widget)
        return self.renderer.render(template_name, context, request)


def _widget(field: BoundField, css_class: str) -> SafeString:
    """``field.as_widget(attrs={"class": css_class})``, select lists drawn without templates."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({"class": css_class}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    renderer = _LightRenderer(field.form.renderer)
    return widget.render(name=field.html_name, value=field.value(), attrs=attrs, renderer=renderer)


def _bootstrap_class(widget: forms.Widget) -> str | None:
    """The Bootstrap class of a widget drawn here, None for those left to crispy."""
    if isinstance(widget, forms.Select):
        return _SELECT
    if isinstance(widget, forms.Textarea):
        return _CONTROL
    if isinstance(widget, Input) and not isinstance(
        widget, forms.FileInput | forms.CheckboxInput | forms.HiddenInput
    ):
        return _CONTROL
    return None


def _widget_class(field: BoundField, bootstrap: str) -> str:
    """Crispy's classes: the widget's own, its class name, Bootstrap's, ``is-invalid`` on error."""
    widget = field.field.widget
    name = widget.__class__.__name__.lower()
    classes = widget.attrs.get("class", "")
    if name not in classes:
        classes = f"{classes} {name}" if classes else name
    classes = f"{classes} {bootstrap}"
    return f"{classes} is-invalid" if field.errors else classes


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")  # noqa: S308 - a constant
    paragraphs = format_html_join(
        "",
        '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, paragraphs)


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")  # noqa: S308 - a constant
    # As crispy does: help texts are the portal's own, written with their markup.
    help_text = mark_safe(field.help_text)  # noqa: S308
    return format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, help_text)


@register.filter
def light_field(field: BoundField) -> SafeString:
    """One field with its label, help text and errors (crispy's markup, without its templates)."""
    if field.is_hidden:
        return field.as_widget()
    bootstrap = _bootstrap_class(field.field.widget)
    if bootstrap is None:
        return as_crispy_field(field)
    required = field.field.required
    label = (
        format_html(
            '<label for="{}" class="form-label{}">{}{}</label>',
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",  # noqa: S308 - a constant
        )
        if field.label
        else ""
    )
    css_classes = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id,
        f" {css_classes}" if css_classes else "",
        label,
        _widget(field, _widget_class(field, bootstrap)),
        _errors(field),
        _help(field),
    )


@register.filter
def light_form(form: forms.BaseForm) -> SafeString:
    """A whole small form: its errors about no field in particular, then each field."""
    non_field = form.non_field_errors()
    alert = (
        format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((error,) for error in non_field)),
        )
        if non_field
        else ""
    )
    return format_html("{}{}", alert, format_html_join("", "{}", ((light_field(field),) for field in form)))
