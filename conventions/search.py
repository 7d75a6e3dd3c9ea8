"""The staff documents list's search: the pupil named exactly as typed first.

A search finds the documents of the cases the board's search finds (the end of a case
number, part of a pupil's name, a school: ``cases.selectors.case_search_q``). Listing all
of them newest first reads or sorts every match, and a common surname matches thousands
of documents. So the results come in two parts, each newest first:

1. the documents that write the pupil's surname or first name exactly as a word of the
   search ("Dupont" for ``dupont``);
2. every other match (a longer name containing the word, a number, a school).

For a search of one word, the first part is read in order from ``document_surname_idx``
and ``document_first_name_idx``: a page reads about as many rows as it shows, whatever the
number of matches. A search of several words finds only the cases matching them all, and
the database sorts those in the same order (``ordered``).

A document writes the pupil's name as it was when the document was made (its frozen
content), so each row of the first part is checked against its case as the case is now:
the documents found are exactly those the plain query finds (``matches``), only their
order differs. The list counts at most ``COUNT_CAP + 1`` rows (``CappedPaginator``).
"""

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Upper

from cases.models import ConnectionCase
from cases.selectors import case_search_q

from .models import WRITTEN_NAME_PARTS, Document, written_name

NEWEST_FIRST = ("-created_at", "-pk")
# The first part is read from its indexes in at most this many rounds, each reading twice the
# rows of the one before (a page's rows, then twice, then four times as many).
READ_ROUNDS = 3


class DocumentSearch:
    """The documents a search finds, sliced like a list (``search[0:26]``) by the pager."""

    def __init__(self, documents: QuerySet[Document], words: list[str]):
        # ``documents``: the list's rows with its other filters (kind, state, waiting for).
        self.documents = documents
        # Each word once, whatever its capitals.
        self.words = list({word.casefold(): word for word in reversed(words)}.values())[::-1]
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
        # Several words find the cases that match them all: fewer, and seldom the documents
        # writing one of them (a first name rarely goes with a given surname). The database
        # sorts those matches in the same order.
        named = self.named(stop) if len(self.words) == 1 else None
        if named is None:
            return list(self.ordered()[start:stop])
        if len(named) >= stop:
            return named[start:stop]
        # The first part ends on this page: the others follow it.
        others = self.others()[max(0, start - len(named)) : stop - len(named)]
        return named[start:] + list(others)

    def named(self, count: int) -> list[Document] | None:
        """The first ``count`` documents of the first part (fewer when it has fewer), or
        None when reading ``READ_ROUNDS`` rounds of its candidates did not find them."""
        limit = count
        for _round in range(READ_ROUNDS):
            read = list(self._written_with_a_word(limit))
            named = [document for document in read if document.still_found]
            if len(named) >= count or len(read) < limit:
                return named[:count]
            # Documents whose case's name changed since they were made: read further.
            limit *= 2
        return None

    def others(self) -> QuerySet[Document]:
        """The second part: every match that does not write a word as the pupil's name."""
        return self._with_written_names(self.matches).exclude(self._written_a_word())

    def ordered(self) -> QuerySet[Document]:
        """Every match in the list's order, sorted by the database (which reads them all)."""
        named = ExpressionWrapper(self._written_a_word(), output_field=BooleanField())
        return (
            self._with_written_names(self.matches)
            .alias(named=named)
            .order_by(F("named").desc(), *NEWEST_FIRST)
        )

    def _written_a_word(self) -> Q:
        written = Q()
        for part in WRITTEN_NAME_PARTS:
            for word in self.words:
                written |= Q(**{f"written_{part}": Upper(Value(word))})
        return written

    @staticmethod
    def _with_written_names(documents: QuerySet[Document]) -> QuerySet[Document]:
        # An empty name where the document writes none (compared, it is never a word).
        return documents.alias(
            **{
                f"written_{part}": Coalesce(written_name(part), Value(""), output_field=TextField())
                for part in WRITTEN_NAME_PARTS
            }
        )

    def _written_with_a_word(self, limit: int) -> QuerySet[Document]:
        """The newest ``limit`` documents writing the word as the pupil's surname or first
        name, each name read in order from its index, the two lists put together."""
        (word,) = self.words
        lists = [
            self.documents.alias(written=written_name(part))
            .filter(written=Upper(Value(word)))
            .order_by(*NEWEST_FIRST)
            .values("pk")[:limit]
            for part in WRITTEN_NAME_PARTS
        ]
        return (
            self.documents.filter(pk__in=lists[0].union(*lists[1:], all=True))
            .annotate(still_found=self._still_found)
            .order_by(*NEWEST_FIRST)[:limit]
        )
