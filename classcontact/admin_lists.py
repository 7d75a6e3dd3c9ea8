"""The admin's change lists of large tables: search on indexes, year filters without a scan,
rows drawn without a template per checkbox nor a URL resolution per link.

Django's admin search ORs every search field of a word, those of related tables through
joins (``school__name``), and adds ``DISTINCT`` when a relation may repeat rows: the
database then reads every row of the list. Here each word is first looked up in the related
tables on their own indexes (a school's name, a kit's code, an item's serial number), and
the list is filtered by the ids found, so that the planner combines the list's own indexes
(trigram indexes on its text columns, its foreign keys) and reads only matching rows.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext

from .admin_rows import QuickRowsChangeList, escape_cell

# Up to this many related rows, a list of ids; beyond it, a subquery.
RELATED_ID_LIMIT = 200


@dataclass(frozen=True)
class RelatedSearch:
    """Rows whose ``field`` is one of the ``value`` (a column of ``model``) of the rows of
    ``model`` that match one of ``lookups``, e.g. ``RelatedSearch("school", School, "pk",
    ("name__icontains",))``."""

    field: str
    model: type
    value: str
    lookups: tuple[str, ...]

    def q(self, word: str) -> Q | None:
        matching = self.model.objects.filter(reduce(or_, (Q(**{lookup: word}) for lookup in self.lookups)))
        values = matching.order_by().values_list(self.value, flat=True)
        ids = list(values[: RELATED_ID_LIMIT + 1])
        if len(ids) > RELATED_ID_LIMIT:
            return Q(**{f"{self.field}__in": values})
        return Q(**{f"{self.field}__in": ids}) if ids else None


class IndexedSearchMixin:
    """``search_own``: lookups on the model's own (indexed) columns; ``search_related``:
    ``RelatedSearch`` lookups. ``search_fields`` stays, for the search box and its help."""

    search_own: tuple[str, ...] = ()
    search_related: tuple[RelatedSearch, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        if not (self.search_own or self.search_related):
            return super().get_search_results(request, queryset, search_term)
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            if not bit:
                continue
            found = [Q(**{lookup: bit}) for lookup in self.search_own]
            found += [q for related in self.search_related if (q := related.q(bit)) is not None]
            queryset = queryset.filter(reduce(or_, found)) if found else queryset.none()
        return queryset, False


class YearFilter(admin.SimpleListFilter):
    """The rows of one year of a date field, offered for the last years without a query.

    Django's ``date_hierarchy`` reads every row to list the years that have some
    (``SELECT DISTINCT DATE_TRUNC(…)``); this filter lists the recent years from today.
    Subclasses set ``field`` (a date or datetime field), ``title`` and ``parameter_name``.
    """

    field = ""
    years_back = 8
    years_ahead = 1

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        years = range(this_year + self.years_ahead, this_year - self.years_back - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return queryset.filter(**{f"{self.field}__year": int(value)})


def year_filter(field: str, title) -> type[YearFilter]:
    """A ``YearFilter`` on ``field`` (e.g. ``list_filter = [year_filter("start", _("year"))]``)."""
    return type(
        f"{field.title().replace('_', '')}YearFilter",
        (YearFilter,),
        {"field": field, "title": title, "parameter_name": f"{field}_year"},
    )


# Django's own words for a row's checkbox, translated in Django's catalogue.
_SELECT_ROW = "Select this object for an action - {}"


class QuickRowsMixin:
    """A change list of many rows per page drawn at the cost of its data: the row's checkbox
    is written here (the same HTML as Django's widget, which renders a template for each
    row), the rows and their links come from ``QuickRowsChangeList`` (classcontact.admin_rows),
    drawn by the ``quick_result_list`` tag of ``admin/quick_change_list.html`` (a model's own
    change list template extends it)."""

    change_list_template = "admin/quick_change_list.html"

    def get_changelist(self, request, **kwargs):
        return QuickRowsChangeList

    def action_checkbox(self, obj):
        # What Django's ``format_html`` calls write, without their lazy-text wrappers.
        label = gettext(_SELECT_ROW).format(escape_cell(str(obj)))
        return mark_safe(  # noqa: S308 - escaped
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{escape_cell(obj.pk)}"'
            f' class="action-select" aria-label="{label}">'
        )
