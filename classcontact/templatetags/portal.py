import datetime

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms import BaseForm
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

register = template.Library()


# Addresses of static files by name: the storage's manifest does not change while the process
# runs (a changed setting, in tests, forgets them).
_STATIC_URLS: dict[str, str] = {}


@receiver(setting_changed)
def _forget_static_urls(*, setting, **_signal) -> None:
    if setting.startswith("STATIC") or setting == "STORAGES":
        _STATIC_URLS.clear()


@register.simple_tag
def asset(path: str) -> str:
    """``{% static path %}`` looked up once per process: every page links the same four files."""
    url = _STATIC_URLS.get(path)
    if url is None:
        url = _STATIC_URLS[path] = static(path)
    return url


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.inclusion_tag("partials/error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    """The field errors of every refused form on the page, each linking to its field (one summary per page)."""
    errors, refused = [], _refused_forms(context)
    for form in refused:
        for name, field_errors in form.errors.items():
            if name == NON_FIELD_ERRORS or name not in form.fields:
                continue
            field_id = form[name].auto_id
            if form[name].subwidgets and len(form[name].subwidgets) > 1:
                field_id = form[name].subwidgets[0].id_for_label  # a group of boxes: its first box
            errors.extend(
                {"text": error, "field_id": field_id, "label": form[name].label} for error in field_errors
            )
    # A refusal of the whole form is shown once, where the form shows it; the summary points there.
    whole_form = any(form.non_field_errors() for form in refused)
    return {"refused": bool(refused), "errors": errors, "whole_form": whole_form}


def _refused_forms(context) -> list[BaseForm]:
    forms, seen = [], set()
    for layer in context.dicts:
        for value in layer.values():
            if (
                issubclass(type(value), BaseForm)
                and id(value) not in seen
                and value.is_bound
                and value.errors
            ):
                seen.add(id(value))
                forms.append(value)
    return forms


@register.filter
def state_badge(obj) -> str:
    """Bootstrap badge classes of an object's state, from its model's catalogue of states::

    <span class="badge {{ loan|state_badge }}">{{ loan.get_status_display }}</span>
    """
    catalogue = obj.STATES
    return catalogue.badge(getattr(obj, catalogue.field))


@register.filter
def can_move_to(obj, target: str) -> bool:
    """Whether the object's transition table lets it move to ``target`` from where it stands::

    {% if loan|can_move_to:"returned" %}…check-in link…{% endif %}
    """
    return target in obj.TRANSITIONS.get(getattr(obj, obj.STATES.field), ())


@register.filter
def long_date(value) -> str:
    """A date in words in the active language ("29 novembre 2026"); accepts an ISO date string
    (as frozen in a document's content) or a date."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "j F Y")


@register.inclusion_tag("partials/export_links.html", takes_context=True)
def export_links(context, url_name: str) -> dict:
    """Links to the list's export as CSV and XLSX, with the page's filters (not its page number)."""
    from django.conf import settings
    from django.urls import reverse

    params = context["request"].GET.copy()
    params.pop("page", None)
    query = f"?{params.urlencode()}" if params else ""
    return {
        "links": [(fmt, reverse(url_name, kwargs={"fmt": fmt}) + query) for fmt in ("csv", "xlsx")],
        "limit": settings.EXPORT_STREAM_MAX_ROWS,
    }


def _current_view(context) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


@register.simple_tag(takes_context=True)
def nav_link(context, view_name: str, label: str, testid: str, also: str = "", menu: bool = False) -> str:
    """One entry of the navigation bar (``menu``: inside a group's drop-down).

    The entry is active on its page (``aria-current="page"``) and on the pages named in
    ``also``, space-separated, that belong to it (``aria-current="true"``). Written here
    rather than by a template: every page draws a dozen of them."""
    current = _current_view(context)
    here = current == view_name
    related = not here and current in also.split()
    css = "dropdown-item" if menu else "nav-link"
    current_attr = ' aria-current="page"' if here else ' aria-current="true"' if related else ""
    return format_html(
        '<li{}><a class="{}{}" href="{}"{} data-testid="{}">{}</a></li>',
        "" if menu else mark_safe(' class="nav-item"'),  # noqa: S308 - a constant
        css,
        " active" if here or related else "",
        reverse(view_name),
        mark_safe(current_attr),  # noqa: S308 - constants
        testid,
        label,
    )


# The staff's navigation as drawn, by everything it depends on (``staff_navigation``).
_STAFF_NAVIGATION: dict[tuple, str] = {}
_STAFF_NAVIGATION_TEMPLATE = "partials/nav_staff.html"


@register.simple_tag(takes_context=True)
def staff_navigation(context, classroom_entries: dict) -> str:
    """The staff's entries of the navigation bar, drawn once per language, current page and
    set of rights (coordinator, programme dashboard, mobile classroom entries), then reused:
    every staff page draws the same two dozen entries. The template may depend on nothing else."""
    from django.template.loader import get_template
    from django.utils.translation import get_language

    key = (
        get_language(),
        _current_view(context),
        bool(context.get("is_coordinator")),
        bool(context.get("sees_programme_dashboard")),
        tuple(sorted(classroom_entries.items())),
    )
    drawn = _STAFF_NAVIGATION.get(key)
    if drawn is None:
        drawn = get_template(_STAFF_NAVIGATION_TEMPLATE).render(context.flatten(), context.get("request"))
        if len(_STAFF_NAVIGATION) < 2000:  # pages × languages × rights: bounded, but kept so
            _STAFF_NAVIGATION[key] = drawn
    return mark_safe(drawn)  # noqa: S308 - drawn by a template


@register.simple_tag(takes_context=True)
def nav_group_active(context, *view_names: str) -> bool:
    """Whether the current page is one of a group's entries (the group's toggle shows it)."""
    return _current_view(context) in view_names


@register.simple_tag
def colon() -> str:
    """The colon between a label and its value, as the language writes it (French puts a
    no-break space before it)."""
    return pgettext("punctuation between a label and its value", ":")
