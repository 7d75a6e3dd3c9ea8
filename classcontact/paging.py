"""A paginator that stops counting: a list of 250,000 tickets costs what a list of 5,000 does.

Counting every row a filter matches reads every one of them, so the count of a large list
grows with the table while its page does not. ``CappedPaginator`` counts at most
``cap + 1`` rows (``SELECT COUNT(*) FROM (… ORDER BY … LIMIT 101)``, in the list's order; the
admin's counts are unordered). Past the cap the list says "more than 100", and the pages go
on as long as there are rows: a page reads one row more than it shows to know whether a
next one exists. The staff lists use it
(``paginate``); the admin change lists of the large tables use ``AdminPaginator``, whose
cap is higher since the admin links its pages by number.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# A staff list counts up to 100 rows (four pages): a filter matching more is worth narrowing,
# and a count this small costs the same whatever the size of the table.
COUNT_CAP = 100
# The admin links its pages by number: two pages of a hundred rows, then "more than 200". A
# search the planner answers by reading the table until enough rows match reads about
# cap / (share of rows matching) rows: counting a thousand tickets about "micro" (one in ten)
# read 10,000 of them (10 ms at ×5), and 500 cases named "dupont" (one in twenty) as many.
ADMIN_COUNT_CAP = 200


class CappedPage(Page):
    """A page of a list whose length is unknown past the cap: ``has_next`` comes from the
    extra row read with the page."""

    more: bool = False

    def has_next(self) -> bool:
        if self.paginator.count_is_capped:
            return self.more
        return super().has_next()


class CappedPaginator(Paginator):
    cap = COUNT_CAP
    # Count in the list's own order, so the database walks the index that serves the page:
    # unordered, it guessed the matching rows spread evenly over the table and read it from
    # the start, all of it when they are the newest (the open tickets).
    ordered_count = True

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap + 1`` when there are more than ``cap``."""
        rows = self.object_list
        if hasattr(rows, "count_up_to"):
            return rows.count_up_to(self.cap + 1)
        if isinstance(rows, QuerySet):
            if not self.ordered_count:
                rows = rows.order_by()
            return rows.values("pk")[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.cap

    def validate_number(self, number):
        if not self.count_is_capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(_("That page number is not an integer")) from error
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.count_is_capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        page = self._get_page(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


class AdminPaginator(CappedPaginator):
    cap = ADMIN_COUNT_CAP
    # Its rows in order would be sorted out of every match of a search (20 ms for the cases
    # named "dupont" at ×5); unordered, the first ones found are counted.
    ordered_count = False


def paginate(request, queryset, size: int | None = None, *, cap: int | None = None):
    """The page of ``queryset`` asked for by ``?page=`` (the last one when it is past the end)."""
    paginator = CappedPaginator(queryset, size or settings.PAGE_SIZE, cap=cap)
    return paginator.get_page(request.GET.get("page"))
