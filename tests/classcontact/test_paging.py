"""Lists that stop counting past a cap, and the admin's change lists of the large tables."""

from django.core.paginator import Paginator
import pytest

from classcontact.paging import AdminPaginator, CappedPaginator
from loans.models import Kit
from schools.models import School
from tests.builders.helpdesk import open_ticket
from tests.builders.loans import make_kit
from tests.builders.schools import make_school

pytestmark = pytest.mark.django_db


def _schools(n: int):
    for k in range(n):
        make_school(name=f"École {k:02d}", official_number=f"P{k:05d}")
    return School.objects.filter(official_number__startswith="P").order_by("name")


def test_a_short_list_is_counted_and_paged_as_usual():
    schools = _schools(5)
    paginator = CappedPaginator(schools, 2, cap=10)

    assert paginator.count == 5 and not paginator.count_is_capped
    assert paginator.num_pages == 3
    last = paginator.page(3)
    assert [s.name for s in last] == ["École 04"] and not last.has_next()


def test_past_the_cap_the_count_stops_and_the_pages_go_on_while_rows_remain():
    schools = _schools(7)
    paginator = CappedPaginator(schools, 2, cap=3)

    assert paginator.count == 4 and paginator.count_is_capped
    # Past the pages the count allows, as long as rows remain.
    fourth = paginator.page(4)
    assert [s.name for s in fourth] == ["École 06"] and not fourth.has_next()
    third = paginator.page(3)
    assert [s.name for s in third] == ["École 04", "École 05"] and third.has_next()
    # The same rows as a paginator that counts everything.
    counted = Paginator(schools, 2)
    assert [list(counted.page(n)) for n in (1, 2, 3, 4)] == [list(paginator.page(n)) for n in (1, 2, 3, 4)]
    assert paginator.get_page("x").number == 1


def test_the_count_reads_at_most_cap_plus_one_rows(django_assert_num_queries):
    schools = _schools(6)
    paginator = CappedPaginator(schools, 2, cap=2)

    with django_assert_num_queries(1) as queries:
        assert paginator.count == 3
    assert "LIMIT 3" in queries.captured_queries[0]["sql"]


def test_a_staff_list_counts_in_its_order_and_the_admin_unordered(django_assert_num_queries):
    """A staff list's count walks the index that serves its page; the admin's thousand rows
    are counted by whatever path finds them first, without sorting a search's matches."""
    schools = _schools(3)
    with django_assert_num_queries(2) as queries:
        assert CappedPaginator(schools, 2, cap=2).count == 3
        assert AdminPaginator(schools, 2).count == 3
    staff, admin = (query["sql"] for query in queries.captured_queries)
    assert "ORDER BY" in staff and "ORDER BY" not in admin


def test_a_staff_list_past_the_cap_says_more_than(client, coordinator, settings, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    settings.PAGE_SIZE = 2
    _schools(6)
    client.force_login(coordinator)

    page = client.get("/schools/staff/list/").content.decode()

    assert "More than 3 schools" in page and "Page 1" in page and "Page 1 of" not in page
    assert "École 05" in client.get("/schools/staff/list/", {"page": 3}).content.decode()


def test_the_kit_admin_searches_codes_in_part_and_serial_numbers_exactly(client, coordinator):
    wanted = make_kit(code="CK-WANTED-7")
    make_kit(code="CK-OTHER-8")
    client.force_login(coordinator)

    by_part = client.get("/admin/loans/kit/", {"q": "wanted"})
    by_serial = client.get("/admin/loans/kit/", {"q": wanted.items.first().serial_number.lower()})
    by_nothing = client.get("/admin/loans/kit/", {"q": "nothing-like-it"})

    assert [k.code for k in by_part.context["cl"].result_list] == ["CK-WANTED-7"]
    assert [k.code for k in by_serial.context["cl"].result_list] == ["CK-WANTED-7"]
    assert list(by_nothing.context["cl"].result_list) == []
    assert (
        by_part.context["cl"].result_list[0].item_count == Kit.objects.get(code="CK-WANTED-7").items.count()
    )


def test_the_ticket_admin_finds_tickets_by_school_name_and_kit_code(client, coordinator, school_a, teacher_a):
    other = make_school(name="Athénée du Parc", official_number="P99999")
    kit = make_kit(code="CK-LINKED-1")
    ticket = open_ticket(school_a, teacher_a, subject="Caméra")
    ticket.kit = kit
    ticket.save(update_fields=["kit"])
    client.force_login(coordinator)

    by_school = client.get("/admin/helpdesk/ticket/", {"q": school_a.name[:6]})
    by_kit = client.get("/admin/helpdesk/ticket/", {"q": "ck-linked-1"})
    by_other_school = client.get("/admin/helpdesk/ticket/", {"q": other.name})

    assert list(by_school.context["cl"].result_list) == [ticket]
    assert list(by_kit.context["cl"].result_list) == [ticket]
    assert list(by_other_school.context["cl"].result_list) == []


def test_the_loan_and_case_admins_filter_by_year_without_a_date_hierarchy(client, coordinator):
    client.force_login(coordinator)

    for url, parameter in (
        ("/admin/loans/loan/", "start_year"),
        ("/admin/cases/connectioncase/", "submitted_at_year"),
    ):
        listing = client.get(url)
        filtered = client.get(url, {parameter: "2026"})
        assert listing.status_code == filtered.status_code == 200
        assert "toplinks" not in listing.content.decode()
