"""Landing pages: the director's dashboard, the staff home and the staff school list."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
import pytest
from pytest_django.asserts import assertContains, assertNotContains

from schools.models import Invitation, Membership, MembershipRole, Region
from tests.builders.schools import make_class, make_director, make_member, make_school, make_teacher

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_shows_the_school_its_classes_and_team(client, director_a, teacher_a, school_a, school_b):
    make_class(school_a, "P5", level="5th primary")
    client.force_login(director_a)
    page = client.get(reverse("schools:dashboard"))
    assert page.status_code == 200
    assertContains(page, school_a.name)
    assertContains(page, reverse("schools:detail", kwargs={"school_id": school_a.pk}))
    assertContains(page, "P5 · 5th primary")
    assertContains(page, str(teacher_a))
    assertContains(page, str(director_a))
    assertNotContains(page, school_b.name)


def test_dashboard_of_someone_in_two_schools_shows_both(client, director_a, school_a, school_b):
    Membership.objects.create(user=director_a, school=school_b, role=MembershipRole.TEACHER)
    client.force_login(director_a)
    page = client.get(reverse("schools:dashboard"))
    assertContains(page, school_a.name)
    assertContains(page, school_b.name)
    assertContains(page, 'data-testid="school-card"', count=2)


def test_teacher_dashboard_shows_their_school(client, teacher_a, school_a):
    client.force_login(teacher_a)
    assertContains(client.get(reverse("schools:dashboard")), school_a.name)


def test_dashboard_query_count_does_not_grow_with_rows(
    client, director_a, school_a, django_assert_max_num_queries
):
    client.force_login(director_a)
    url = reverse("schools:dashboard")
    few = count_queries(client, url)
    for n in range(40):
        make_class(school_a, f"C{n}")
        make_teacher(school_a, email=f"teacher{n}@example.org")
    other = make_school()
    Membership.objects.create(user=director_a, school=other, role=MembershipRole.DELEGATE)
    for n in range(20):
        make_class(other, f"D{n}")
    with django_assert_max_num_queries(13):  # five of them: what waits for the director and the teachers
        page = client.get(url)
    assertContains(page, "teacher39@example.org".split("@")[0].title())
    assert count_queries(client, url) == few


def test_staff_home_shows_figures_in_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("staff_home")
    few = count_queries(client, url)
    for n in range(30):
        school = make_school()
        make_director(school, email=f"d{n}@example.org")
        Invitation.objects.create(
            email=f"x{n}@example.org", school=school, role="teacher", token_hash=f"{n:064d}"
        )
    Invitation.objects.create(
        email="old@example.org",
        school=school,
        role="teacher",
        token_hash="f" * 64,
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    AccessAttempt.objects.create(
        username="locked@example.org",
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    with django_assert_max_num_queries(17):  # seven of them: the lines of what waits
        page = client.get(url)
    assert page.context["school_count"] == 30
    assert page.context["director_count"] == 30
    assert page.context["pending_invitations"] == 30
    assert page.context["locked_logins"] == 1
    assert count_queries(client, url) == few


def test_school_list_is_paginated_with_a_fixed_number_of_queries(
    client, read_only_staff, django_assert_max_num_queries
):
    client.force_login(read_only_staff)
    url = reverse("schools:staff_school_list")
    make_school(name="Seed school")
    few = count_queries(client, url)
    for n in range(60):
        school = make_school(name=f"Bulk {n:03d}")
        make_director(school, email=f"bulk{n}@example.org")
        make_class(school)
    with django_assert_max_num_queries(12):  # four of them: what waits for the director
        page = client.get(url)
    assert len(page.context["page_obj"]) == settings.PAGE_SIZE
    assert page.context["page_obj"].paginator.count == 61
    assert count_queries(client, url) == few
    assert count_queries(client, f"{url}?page=3") == few


def test_school_list_searches_and_filters(client, coordinator):
    make_school(name="Athénée Royal", city="Namur", region=Region.NAMUR, official_number="1234")
    make_school(name="École du Centre", city="Liège", region=Region.LIEGE, in_fwb=False)
    client.force_login(coordinator)
    url = reverse("schools:staff_school_list")

    def names(query):
        return [school.name for school in client.get(url, query).context["page_obj"]]

    assert names({"q": "athénée"}) == ["Athénée Royal"]
    assert names({"q": "1234"}) == ["Athénée Royal"]
    assert names({"q": "liège"}) == ["École du Centre"]
    assert names({"region": Region.NAMUR}) == ["Athénée Royal"]
    assert names({"in_fwb": "no"}) == ["École du Centre"]
    assert sorted(names({})) == ["Athénée Royal", "École du Centre"]


def test_school_list_shows_a_bad_filter_next_to_the_field(client, coordinator):
    make_school(name="Athénée Royal")
    client.force_login(coordinator)
    page = client.get(reverse("schools:staff_school_list"), {"region": "atlantis", "page": "nope"})
    assert page.status_code == 200
    assert "region" in page.context["form"].errors
    assertContains(page, "is-invalid")
    assertContains(page, "Athénée Royal")


def test_school_list_counts_people(client, coordinator, school_a, director_a, teacher_a):
    make_member(school_a, MembershipRole.DELEGATE)
    client.force_login(coordinator)
    page = client.get(reverse("schools:staff_school_list"))
    (school,) = page.context["page_obj"]
    assert school.member_count == 3
