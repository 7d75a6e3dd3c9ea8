"""Small forms drawn in Python, with the markup crispy's Bootstrap 5 pack gives them.

``{{ form|crispy }}`` renders a dozen nested templates per field; on pages with several small
forms (a ticket's assignment, status, triage…) that is most of the page's time. These filters
write the same wrapper, label, help text (``id_…_helptext``, named by the widget's
``aria-describedby``) and errors (``id_…_error``, beside the field) directly, and the widgets
through ``classcontact.light_widgets``. Inputs, text areas, lists, check boxes, radio buttons
and file inputs are drawn here; what is not (radio buttons in groups, a file input showing its
current file, widgets of several inputs) is handed to crispy, unchanged::

    {% load portal_forms %}
    {{ assign_form|light_form }}        {# instead of {{ assign_form|crispy }} #}
    {{ reply_form.body|light_field }}   {# instead of {{ reply_form.body|as_crispy_field }} #}
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from classcontact.light_widgets import LightRenderer, attrs_html, quick_html

register = template.Library()

# Bootstrap's class for each kind of widget drawn here.
_SELECT, _CONTROL, _CHECK = "form-select", "form-control", "form-check-input"
_ASTERISK = '<span class="asteriskField">*</span>'


def _joined(parts) -> SafeString:
    """Markup already escaped, one piece after the other."""
    return mark_safe("".join(parts))  # noqa: S308 - each part is escaped markup


def _widget(field: BoundField, css_class: str | None) -> SafeString:
    """``field.as_widget(attrs={"class": css_class})``, drawn without templates (no class
    attribute for None, as a hidden field's)."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({"class": css_class} if css_class else {}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    renderer = LightRenderer(field.form.renderer)
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
    return quick_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, paragraphs)


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")  # noqa: S308 - a constant
    # As crispy does: help texts are the portal's own, written with their markup.
    help_text = mark_safe(field.help_text)  # noqa: S308
    return quick_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, help_text)


def _required(field: BoundField) -> tuple[str, SafeString | str]:
    """The label's class suffix and its asterisk, for a required field."""
    if field.field.required:
        return " requiredField", mark_safe(_ASTERISK)  # noqa: S308 - a constant
    return "", ""


def _wrapper(field: BoundField, inner: SafeString, css: str = "mb-3") -> SafeString:
    css_classes = field.css_classes()
    return quick_html(
        '<div id="div_{}" class="{}{}">{}</div>',
        field.auto_id,
        css,
        f" {css_classes}" if css_classes else "",
        inner,
    )


def _label(field: BoundField) -> SafeString | str:
    if not field.label:
        return ""
    required, asterisk = _required(field)
    return quick_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        field.id_for_label,
        required,
        field.label,
        asterisk,
    )


def _checkbox(field: BoundField) -> SafeString:
    """A single check box: the box, then its label (crispy wraps it twice)."""
    required, asterisk = _required(field)
    label = quick_html(
        '<label for="{}" class="form-check-label{}">{}{}</label>',
        field.id_for_label,
        required,
        field.label,
        asterisk,
    )
    box = _widget(field, _widget_class(field, _CHECK))
    inner = quick_html("{}{}{}{}", box, label, _errors(field), _help(field))
    return quick_html('<div class="mb-3">{}</div>', _wrapper(field, inner, css="form-check"))


def _radio_option(field: BoundField, option: dict, last: bool) -> SafeString:
    return quick_html(
        '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" value="{}"{}>'
        '<label for="{}" class="form-check-label">{}</label>{}</div>',
        option["type"],
        " is-invalid" if field.errors else "",
        field.html_name,
        option["value"],
        attrs_html(option["attrs"]),
        option["attrs"].get("id", ""),
        option["label"],
        _errors(field) if last else "",
    )


def _radios(field: BoundField) -> SafeString | None:
    """Radio buttons in a fieldset named by a legend; None when grouped (left to crispy)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": widget.attrs.get("id") or field.auto_id})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    if not field.label or any(name for name, _options, _index in groups):
        return None
    options = [option for _name, group, _index in groups for option in group]
    buttons = _joined(_radio_option(field, option, n == len(options)) for n, option in enumerate(options, 1))
    required, asterisk = _required(field)
    described = field.aria_describedby
    inner = quick_html(
        '<fieldset{}><legend class="form-label{} fs-6">{}{}</legend><div>{}</div>{}</fieldset>',
        quick_html(' aria-describedby="{}"', described) if described else "",
        required,
        field.label,
        asterisk,
        buttons,
        _help(field),
    )
    return _wrapper(field, inner)


def _file(field: BoundField) -> SafeString | None:
    """A file input (crispy's markup for it); None when it shows a current file (left to crispy)."""
    (data,) = (subwidget.data for subwidget in field.subwidgets)
    if data.get("is_initial"):
        return None
    attrs = {name: value for name, value in data["attrs"].items() if name != "class"}
    own_class = data["attrs"].get("class")
    box = quick_html(
        '<div{}><input type="{}" name="{}" class="form-control{}{}"{}{}>{}{}</div>',
        mark_safe(' class="is-invalid"') if field.errors else "",  # noqa: S308 - a constant
        data["type"],
        data["name"],
        f" {own_class}" if own_class else "",
        " is-invalid" if field.errors else "",
        mark_safe(" disabled") if field.field.disabled else "",  # noqa: S308 - a constant
        attrs_html(attrs),
        _errors(field),
        _help(field),
    )
    return _wrapper(field, quick_html("{}{}", _label(field), box))


def _special(field: BoundField) -> SafeString | None:
    """Check boxes, radio buttons and files; None for a widget not drawn here."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox(field)
    if isinstance(widget, forms.RadioSelect) and not isinstance(widget, forms.CheckboxSelectMultiple):
        return _radios(field)
    if isinstance(widget, forms.FileInput) and not field.field.disabled:
        return _file(field)
    return None


@register.filter
def light_field(field: BoundField) -> SafeString:
    """One field with its label, help text and errors (crispy's markup, without its templates)."""
    if field.is_hidden:
        return _widget(field, None)
    bootstrap = _bootstrap_class(field.field.widget)
    if bootstrap is None:
        return _special(field) or as_crispy_field(field)
    inner = quick_html(
        "{}{}{}{}",
        _label(field),
        _widget(field, _widget_class(field, bootstrap)),
        _errors(field),
        _help(field),
    )
    return _wrapper(field, inner)


@register.filter
def light_form(form: forms.BaseForm) -> SafeString:
    """A whole small form: its errors about no field in particular, then each field."""
    non_field = form.non_field_errors()
    alert = (
        quick_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((error,) for error in non_field)),
        )
        if non_field
        else ""
    )
    return quick_html("{}{}", alert, _joined(light_field(field) for field in form))
