"""The rows of an admin change list drawn at the cost of their data.

Django draws each cell of each row anew: it looks the column's field up in the model, asks
the admin for the empty value's text, flattens a choice field's choices into a dict, builds
the cell's classes, and for the row's link resolves the change address and, when the list
is searched or filtered, resolves that address once more to add the list's filters to it.
A page of 100 rows of 8 columns does all of this 800 times. Here what depends only on the
column is worked out once per page (``_Column``), the link once per page
(``QuickRowsChangeList``), and each row is one string: the very HTML Django draws (see
tests/classcontact/test_admin_lists.py, which compares both).

Lists that Django draws differently (editable lists, pop-up pickers, callables in
``list_display``) keep Django's drawing.
"""

import datetime
import html

from django.contrib.admin.templatetags.admin_list import ResultList, results
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise, cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Stands for a row's id in the change address resolved once per page (only digits follow it).
_PK_SLOT = "0pk0"
_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)
# Fields that ``display_for_field`` draws otherwise than as their text.
_NOT_PLAIN_TEXT = (
    models.BooleanField,
    models.DateField,
    models.TimeField,
    models.DecimalField,
    models.IntegerField,
    models.FloatField,
    models.FileField,
    models.URLField,
    models.JSONField,
)


def escape_cell(content) -> str:
    """Django's ``conditional_escape`` (what ``format_html`` does to each value), without
    its lazy-text wrapper on each call."""
    if isinstance(content, Promise):
        content = str(content)
    if hasattr(content, "__html__"):
        return content.__html__()
    return html.escape(str(content))


class _Column:
    """One column of ``list_display``: what Django's ``items_for_result`` works out for each
    of its cells, worked out once."""

    def __init__(self, cl, name: str, *, link_tag: str | None, empty):
        self.name = name
        self.model_admin = cl.model_admin
        self.link_tag = link_tag  # "th" or "td" for the column with the row's link
        self.empty = empty
        try:
            field = _get_non_gfk_field(cl.model._meta, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            field = None  # the admin's or the model's method, or a related lookup
        # Django draws an automatic field (the id) as a method's value.
        self.field = None if field is not None and field.auto_created else field
        # An admin's method (``lookup_field`` finds it after failing to find a field, each cell).
        has_method = field is None and name != "__str__" and hasattr(cl.model_admin, name)
        self.admin_method = getattr(cl.model_admin, name) if has_method else None
        self.is_relation = self.field is not None and isinstance(self.field.remote_field, models.ManyToOneRel)
        self.choices = self._choices()
        # A text field without choices: ``display_for_field`` ends in ``str(value)``.
        self.plain_text = (
            self.choices is None
            and isinstance(self.field, (models.CharField, models.TextField))
            and not isinstance(self.field, _NOT_PLAIN_TEXT)
        )
        css = "action-checkbox" if name == "action_checkbox" and self.field is None else f"field-{name}"
        nowrap = self.field is not None and isinstance(self.field, _NOWRAP_FIELDS)
        self.row_class_plain = format_html(' class="{}"', css)
        # A method's cell is "nowrap" when its value is a date or a time.
        self.row_class_nowrap = format_html(' class="{} nowrap"', css)
        self.row_class = self.row_class_nowrap if nowrap else self.row_class_plain

    def _choices(self) -> dict | None:
        """A choice field's labels (already translated: one page is drawn in one language)."""
        flatchoices = getattr(self.field, "flatchoices", None) if self.field is not None else None
        if not flatchoices:
            return None
        try:
            return {value: str(label) for value, label in flatchoices}
        except TypeError:  # unhashable choices: Django's own way, cell by cell
            return None

    def cell(self, result) -> tuple[str, object]:
        """The cell's ``class`` attribute and its content, as Django's ``items_for_result``."""
        if self.field is None:
            return self._method_cell(result)
        try:
            value = getattr(result, self.name)
        except ObjectDoesNotExist:  # a missing related row
            return self.row_class_plain, self.empty
        if self.is_relation:
            return self.row_class, self.empty if value is None else value
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if self.choices is not None:
            return self.row_class, self.choices.get(value, self.empty)
        if self.plain_text and type(value) is str:
            return self.row_class, value or self.empty
        return self.row_class, display_for_field(
            value, self.field, self.empty, avoid_link=bool(self.link_tag)
        )

    def _method_cell(self, result) -> tuple[str, object]:
        try:
            if self.admin_method is not None:
                attr, value = self.admin_method, self.admin_method(result)
            else:
                _field, attr, value = lookup_field(self.name, result, self.model_admin)
        except ObjectDoesNotExist:
            return self.row_class_plain, self.empty
        empty = getattr(attr, "empty_value_display", self.empty)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        row_class = (
            self.row_class_nowrap
            if isinstance(value, (datetime.date, datetime.time))
            else self.row_class_plain
        )
        return row_class, display_for_value(value, empty, boolean)


def _link_tags(cl) -> list[str | None]:
    """For each column, the tag of the cell holding the row's link ("th" for the first), or
    ``None`` (Django's ``link_in_col``)."""
    links, first = [], True
    for name in cl.list_display:
        if cl.list_display_links is None:
            has_link = False
        elif first and not cl.list_display_links:
            has_link = True
        else:
            has_link = name in cl.list_display_links
        links.append(("th" if first else "td") if has_link else None)
        first = first and not has_link
    return links


class QuickRowsChangeList(ChangeList):
    """Each row's link from one address resolved once per page, and the rows drawn as one
    string each (``quick_rows``).

    A searched or filtered list keeps its search and filters in each row's link
    (``?_changelist_filters=…``, to come back to the same list). Django's row drawing adds
    them to each link with ``add_preserved_filters``, which resolves the link's address
    again for each row; here they are added once, to the page's change address, and the rows
    are drawn with nothing left to add (``preserved_filters`` is read by the rows only).

    An admin's ``list_only`` names the columns its rows read (``list_display``'s, and those
    of the model's ``__str__``, which the row's checkbox shows): a wide table's other
    columns (notes, addresses, descriptions) are then not read for each row of the page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows_preserved_filters = self.preserved_filters
        self.preserved_filters = ""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        columns = getattr(self.model_admin, "list_only", None)
        return queryset.only(*columns) if columns else queryset

    def _with_filters(self, url: str) -> str:
        return add_preserved_filters(
            {"preserved_filters": self.rows_preserved_filters, "opts": self.opts}, url
        )

    @cached_property
    def _change_url(self) -> str:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        url = reverse(name, args=(_PK_SLOT,), current_app=self.model_admin.admin_site.name)
        return self._with_filters(url)

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        if not isinstance(pk, int):
            return self._with_filters(super().url_for_result(result))
        return self._change_url.replace(_PK_SLOT, str(pk), 1)

    def quick_rows(self) -> list[ResultList]:
        """The page's rows, each one string of cells (the template joins a row's cells)."""
        # ``formset`` is set by the change list view (list_editable).
        if (
            getattr(self, "formset", None)
            or self.is_popup
            or not all(isinstance(n, str) for n in self.list_display)
        ):
            return list(results(self))
        empty = mark_safe(str(self.model_admin.get_empty_value_display()))  # noqa: S308 - as Django
        columns = [
            _Column(self, name, link_tag=tag, empty=empty)
            for name, tag in zip(self.list_display, _link_tags(self), strict=True)
        ]
        return [ResultList(None, [self._row(result, columns)]) for result in self.result_list]

    def _row(self, result, columns: list[_Column]) -> str:
        cells = []
        for column in columns:
            row_class, content = column.cell(result)
            if column.link_tag is None:
                cells.append(f"<td{row_class}>{escape_cell(content)}</td>")
                continue
            try:
                url = self.url_for_result(result)
            except NoReverseMatch:
                link = escape_cell(content)
            else:
                link = f'<a href="{escape_cell(url)}">{escape_cell(content)}</a>'
            cells.append(f"<{column.link_tag}{row_class}>{link}</{column.link_tag}>")
        return mark_safe("".join(cells))  # noqa: S308 - escaped above
