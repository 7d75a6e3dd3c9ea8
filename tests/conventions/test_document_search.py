"""The staff documents list's search: the documents the plain query finds, the pupil named
exactly as typed first, every page of the pager read once."""

import datetime

from django.urls import reverse
from django.utils import timezone
import pytest

from cases.models import CaseStatus, ConnectionCase
from cases.selectors import case_search_q
from classcontact.paging import CappedPaginator
from conventions.models import Document, DocumentKind
from conventions.search import DocumentSearch
from conventions.selectors import DocumentFilters, staff_document_list
from tests.builders.cases import make_case
from tests.builders.conventions import make_listed_document
from tests.builders.schools import make_director, make_school

pytestmark = pytest.mark.django_db


def _plain_search(words: list[str]) -> list[Document]:
    """The straightforward query: every document of the cases the board's search finds."""
    cases = ConnectionCase.objects.all()
    for word in words:
        cases = cases.filter(case_search_q(word))
    return list(Document.objects.filter(case__in=cases).order_by("-created_at", "-pk"))


@pytest.fixture
def listed(school_a, director_a, coordinator):
    """Cases and their documents, each made ``days`` ago, named to test every part of a search."""
    dupontel = make_school(name="Institut Dupontel")
    now = timezone.now()

    def case(last, first, school=school_a, director=director_a):
        return make_case(
            school, director, coordinator, CaseStatus.SUBMITTED, pupil_last_name=last, pupil_first_name=first
        )

    def document(case, days, kind=DocumentKind.CONVENTION, slot=0):
        return make_listed_document(case, kind, slot=slot, created_at=now - datetime.timedelta(days=days))

    dupont = case("Dupont", "Emma")
    longer = case("Dupont-Martin", "Lina")
    first_name = case("Peeters", "Dupont")
    at_school = case("Maes", "Noah", school=dupontel, director=make_director(dupontel))
    other = case("Janssens", "Adam")
    renamed_away = case("Dupont", "Zoé")
    renamed_to = case("Lambert", "Jules")
    docs = {
        "dupont convention": document(dupont, 10),
        "dupont engagement": document(dupont, 3, DocumentKind.ENGAGEMENT, slot=1),
        # A letter for classmates writes the first name only.
        "dupont letter": document(dupont, 1, DocumentKind.CLASSMATES_LETTER),
        "longer": document(longer, 2),
        "first name": document(first_name, 8),
        "school": document(at_school, 4),
        "other": document(other, 5),
        "renamed away": document(renamed_away, 6),
        "renamed to": document(renamed_to, 7),
    }
    # Names corrected on the cases after their documents were made.
    ConnectionCase.objects.filter(pk=renamed_away.pk).update(pupil_last_name="Lambert")
    ConnectionCase.objects.filter(pk=renamed_to.pk).update(pupil_last_name="Dupont")
    return {"docs": docs, "other": other}


def _search(q: str, **filters) -> DocumentSearch:
    search = staff_document_list(filters=DocumentFilters(q=q, **filters))
    assert isinstance(search, DocumentSearch)
    return search


def test_the_pupil_named_exactly_comes_first_then_the_other_matches_each_newest_first(listed):
    docs = listed["docs"]

    found = _search("dupont")[0:100]

    assert found == [
        # The surname or first name written exactly as typed, newest first.
        docs["dupont engagement"],
        docs["first name"],
        docs["dupont convention"],
        # Then every other match, newest first: a letter (no surname written), a longer
        # name, a school, a case renamed since its document was made.
        docs["dupont letter"],
        docs["longer"],
        docs["school"],
        docs["renamed to"],
    ]
    assert sorted(d.pk for d in found) == sorted(d.pk for d in _plain_search(["dupont"]))
    # Read from the indexes, the order is the one the database gives sorting every match.
    assert found == list(_search("dupont").ordered())


def test_several_words_find_the_cases_matching_them_all_in_the_same_order(listed):
    docs = listed["docs"]

    found = _search("emma dupont")[0:100]

    # The letter writes the first name, the convention and the engagement the surname.
    assert found == [docs["dupont letter"], docs["dupont engagement"], docs["dupont convention"]]


def test_documents_of_renamed_cases_are_read_past_then_left_to_the_database(
    listed, school_a, director_a, coordinator
):
    now = timezone.now()
    for hours in range(4):
        renamed = make_case(school_a, director_a, coordinator, pupil_last_name="Dupont")
        make_listed_document(renamed, created_at=now - datetime.timedelta(hours=hours))
        ConnectionCase.objects.filter(pk=renamed.pk).update(pupil_last_name="Renard")
    search = _search("dupont")

    # The four newest documents writing "Dupont" belong to cases renamed since: the first
    # part is not found within its rounds of reading, and the database sorts the matches.
    assert search.named(1) is None
    assert search[0:2] == [listed["docs"]["dupont engagement"], listed["docs"]["first name"]]
    assert search[0:100] == list(search.ordered()) == _search("dupont")[0:100]


@pytest.mark.parametrize(
    "q",
    ["dupont", "DuPont", "emma dupont", "lina", "dupontel", "institut", "peeters", "zzz", "dupont zzz"],
)
def test_a_search_finds_the_documents_the_plain_query_finds(listed, q):
    search = _search(q)

    found = search[0:100]

    assert sorted(d.pk for d in found) == sorted(d.pk for d in _plain_search(q.split()))
    assert len({d.pk for d in found}) == len(found) == search.count_up_to(101)


def test_a_case_number_finds_its_documents_whole_or_by_its_end(listed):
    number = listed["other"].number

    for q in (number, number.lower(), number[-3:]):
        found = _search(q)[0:100]
        assert sorted(d.pk for d in found) == sorted(d.pk for d in _plain_search([q])), q
    assert _search(number)[0:100] == [listed["docs"]["other"]]


def test_the_filters_apply_to_both_parts(listed):
    docs = listed["docs"]

    assert _search("dupont", kind=DocumentKind.ENGAGEMENT)[0:100] == [docs["dupont engagement"]]
    assert _search("dupont", kind=DocumentKind.CLASSMATES_LETTER)[0:100] == [docs["dupont letter"]]


@pytest.mark.parametrize("cap", [2, 100])
@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_the_pages_show_every_document_once_in_order(listed, per_page, cap):
    search = _search("dupont")
    expected = search[0:100]
    paginator = CappedPaginator(search, per_page, cap=cap)

    shown, number = [], 1
    while True:
        page = paginator.page(number)
        shown += list(page)
        if not page.has_next():
            break
        number += 1

    assert shown == expected
    assert paginator.count_is_capped == (len(expected) > cap)


def test_the_list_explains_the_order_of_a_search(client, coordinator, listed):
    client.force_login(coordinator)

    searched = client.get(reverse("conventions:list") + "?q=dupont").content.decode()
    unsearched = client.get(reverse("conventions:list")).content.decode()

    note = "surname or first name is a word of the search"
    assert note in searched and note not in unsearched
    numbers = [d.case.number for d in _search("dupont")[0:100]]
    positions = [searched.index(f">{number}<") for number in dict.fromkeys(numbers)]
    assert positions == sorted(positions)
