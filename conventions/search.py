"""The staff documents list's search: the pupil named exactly as typed first.

A search finds the documents of the cases the board's search finds (the end of a case
number, part of a pupil's name, a school: ``cases.selectors.case_search_q``). Listing all
of them newest first reads or sorts every match, and a common surname matches thousands
of documents. So the results come in two parts, each newest first:

1. the documents that write the pupil's surname or first name exactly as a word of the
   search ("Dupont" for ``dupont``), read in order from ``document_surname_idx`` and
   ``document_first_name_idx``: a page reads about as many rows as it shows, whatever the
   number of matches;
2. every other match (a longer name containing the word, a number, a school).

A document writes the pupil's name as it was when the document was made (its frozen
content), so each row of the first part is checked against its case as the case is now:
the documents found are exactly those the plain query finds (``matches``), only their
order differs. The list counts at most ``COUNT_CAP + 1`` rows (``CappedPaginator``).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Upper

from cases.models import ConnectionCase
from cases.selectors import case_search_q

from .models import WRITTEN_NAME_PARTS, Document, written_name

NEWEST_FIRST = ("-created_at", "-pk")


class DocumentSearch:
    """The documents a search finds, sliced like a list (``search[0:26]``) by the pager."""

    def __init__(self, documents: QuerySet[Document], words: list[str]):
        # ``documents``: the list's rows with its other filters (kind, state, waiting for).
        self.documents = documents
        self.words = list(dict.fromkeys(word.upper() for word in words))
        cases = ConnectionCase.objects.all()
        for word in words:
            cases = cases.filter(case_search_q(word))
        # Every document found, newest first: what the list showed before it had two parts.
        self.matches = documents.filter(case__in=cases).order_by(*NEWEST_FIRST)
        # Computed for each row read (never a join the planner could run over every match).
        self._still_found = Exists(cases.filter(pk=OuterRef("case_id")))

    def count_up_to(self, limit: int) -> int:
        return self.matches.order_by().values("pk")[:limit].count()

    def __getitem__(self, rows: slice) -> list[Document]:
        if not isinstance(rows, slice) or rows.step is not None or rows.stop is None:
            raise TypeError("a search is read by slices with an end")
        start, stop = rows.start or 0, rows.stop
        named = self.named(stop)
        if len(named) >= stop:
            return named[start:stop]
        # The first part ends on this page: the others follow it.
        others = self.others()[max(0, start - len(named)) : stop - len(named)]
        return named[start:] + list(others)

    def named(self, count: int) -> list[Document]:
        """The first ``count`` documents of the first part (fewer when it has fewer)."""
        limit = count
        while True:
            read = list(self._written_with_a_word(limit))
            named = [document for document in read if document.still_found]
            if len(named) >= count or len(read) < limit:
                return named[:count]
            # Names changed on the case since the document was made: read further.
            limit += count

    def others(self) -> QuerySet[Document]:
        """The second part: every match that does not write a word as the pupil's name."""
        written = Q()
        for part in WRITTEN_NAME_PARTS:
            for word in self.words:
                written |= Q(**{f"written_{part}": Upper(Value(word))})
        return self.matches.alias(
            **{
                f"written_{part}": Coalesce(written_name(part), Value(""), output_field=TextField())
                for part in WRITTEN_NAME_PARTS
            }
        ).exclude(written)

    def _written_with_a_word(self, limit: int) -> QuerySet[Document]:
        """The newest ``limit`` documents writing a word as the pupil's name, each read in
        order from its name's index (one list per name and word, put together)."""
        lists = [
            self.documents.alias(written=written_name(part))
            .filter(written=Upper(Value(word)))
            .order_by(*NEWEST_FIRST)
            .values("pk")[:limit]
            for part in WRITTEN_NAME_PARTS
            for word in self.words
        ]
        ids = lists[0].union(*lists[1:], all=True)
        return (
            self.documents.filter(pk__in=ids)
            .annotate(still_found=self._still_found)
            .order_by(*NEWEST_FIRST)[:limit]
        )
