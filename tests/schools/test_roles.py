"""Each persona sees exactly what its role allows: landing pages, school pages, staff pages, admin."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from schools.models import School
from tests.builders.schools import form_data, make_user

pytestmark = pytest.mark.django_db

STAFF = ["coordinator", "technician", "helpdesk_agent", "read_only_staff"]
MEMBERS = ["director_a", "director_b", "teacher_a"]


@pytest.fixture
def as_persona(client, request):
    """Log the client in as the named persona fixture ("anonymous" stays logged out)."""

    def login(name):
        if name == "anonymous":
            return AnonymousUser()
        user = request.getfixturevalue(name)
        client.force_login(user)
        return user

    return login


def staff_urls(school):
    # The staff home itself sends technicians and helpdesk agents on to their own pages.
    return [
        reverse("schools:staff_school_list"),
        reverse("schools:staff_history", kwargs={"school_id": school.pk}),
    ]


@pytest.mark.parametrize("persona", ["director_a", "director_b", "teacher_a"])
def test_school_people_land_on_their_dashboard(client, as_persona, persona):
    as_persona(persona)
    assertRedirects(client.get("/"), reverse("schools:dashboard"))


#: Where each staff role lands: its own work first.
STAFF_LANDING = {
    "coordinator": "staff_home",
    "read_only_staff": "staff_home",
    "technician": "loans:my_visits",
    "helpdesk_agent": "helpdesk:staff_queue",
}


@pytest.mark.parametrize("persona", STAFF)
def test_staff_land_on_their_own_work(client, as_persona, persona):
    as_persona(persona)

    landing = client.get("/", follow=True)

    assert landing.status_code == 200
    assert landing.redirect_chain[-1][0] == reverse(STAFF_LANDING[persona])
    assertRedirects(
        client.get(reverse("schools:dashboard")), reverse("staff_home"), fetch_redirect_response=False
    )


def test_anonymous_home_goes_to_login(client):
    assertRedirects(client.get("/"), f"{reverse('login')}?next=/")


def test_each_director_sees_only_their_own_school(client, as_persona, school_a, school_b):
    as_persona("director_a")
    dashboard = client.get(reverse("schools:dashboard"))
    assertContains(dashboard, school_a.name)
    assertNotContains(dashboard, school_b.name)
    assert client.get(reverse("schools:detail", kwargs={"school_id": school_a.pk})).status_code == 200
    assert client.get(reverse("schools:detail", kwargs={"school_id": school_b.pk})).status_code == 404

    as_persona("director_b")
    assert client.get(reverse("schools:detail", kwargs={"school_id": school_b.pk})).status_code == 200
    assert client.get(reverse("schools:detail", kwargs={"school_id": school_a.pk})).status_code == 404


def test_teacher_sees_the_school_page_without_managing_it(client, as_persona, school_a, director_a):
    as_persona("teacher_a")
    page = client.get(reverse("schools:detail", kwargs={"school_id": school_a.pk}))
    assert page.status_code == 200
    assert page.context["can_manage"] is False
    assertContains(page, str(director_a))
    assertNotContains(page, 'data-testid="invite-form"')


@pytest.mark.parametrize("persona", STAFF)
def test_staff_see_every_school_page(client, as_persona, persona, school_a, school_b):
    as_persona(persona)
    for school in (school_a, school_b):
        page = client.get(reverse("schools:detail", kwargs={"school_id": school.pk}))
        assert page.status_code == 200
        assert page.context["can_manage"] is (persona == "coordinator")
        assertContains(page, reverse("schools:staff_history", kwargs={"school_id": school.pk}))


@pytest.mark.parametrize("persona", MEMBERS)
def test_staff_pages_refuse_school_people_with_403(client, as_persona, persona, school_a):
    as_persona(persona)
    for url in [*staff_urls(school_a), reverse("schools:staff_lockouts")]:
        response = client.get(url)
        assert response.status_code == 403, url
        assertTemplateName(response, "errors/403.html")


def test_anonymous_is_sent_to_login_from_staff_pages(client, school_a):
    for url in staff_urls(school_a):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", STAFF)
def test_staff_pages_open_for_every_staff_role(client, as_persona, persona, school_a):
    as_persona(persona)
    for url in staff_urls(school_a):
        assert client.get(url).status_code == 200, url
    lockouts = client.get(reverse("schools:staff_lockouts")).status_code
    assert lockouts == (200 if persona == "coordinator" else 403)


def test_history_page_shows_who_changed_what(client, as_persona, school_a):
    user = as_persona("read_only_staff")
    editor = make_user(email="editor@example.org", first_name="Eddy", last_name="Editor")
    school = School.objects.get(pk=school_a.pk)
    school.name = "École A renamed"
    school.in_fwb = False
    school._history_user = editor
    school.save(update_fields=["name", "in_fwb"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("schools:staff_history", kwargs={"school_id": school_a.pk}))
    assert page.status_code == 200
    assert user.is_staff
    records = page.context["records"]
    assert len(records) == 2
    changed = {change.field: (change.old, change.new) for change in records[0].changes}
    assert changed == {
        "name": ("École A", "École A renamed"),
        "school of the Fédération Wallonie-Bruxelles": ("yes", "no"),
    }
    assertContains(page, "Eddy Editor")
    assertContains(page, "École A renamed")


def test_history_of_an_unknown_school_gives_404(client, as_persona):
    as_persona("coordinator")
    assert client.get(reverse("schools:staff_history", kwargs={"school_id": 999999})).status_code == 404


def test_person_without_school_is_told_so(client):
    lonely = make_user(email="lonely@example.org")
    client.force_login(lonely)
    page = client.get(reverse("schools:dashboard"))
    assert page.status_code == 200
    assertContains(page, "not linked to a school yet")


NAV = {
    "nav-dashboard": {"director_a", "director_b", "teacher_a"},
    "nav-staff-home": set(STAFF),
    "nav-programme-dashboard": set(STAFF),
    "nav-schools": set(STAFF),
    "nav-admin": set(STAFF),
    "nav-lockouts": {"coordinator"},
}


@pytest.mark.parametrize("persona", [*MEMBERS, *STAFF])
def test_navigation_shows_the_links_of_the_role(client, as_persona, persona):
    as_persona(persona)
    page = client.get("/", follow=True)
    assert page.status_code == 200
    for testid, personas in NAV.items():
        present = f'data-testid="{testid}"' in page.content.decode()
        assert present is (persona in personas), testid


def test_anonymous_navigation_offers_only_login(client):
    page = client.get(reverse("login"))
    for testid in NAV:
        assertNotContains(page, f'data-testid="{testid}"')


# The admin ---------------------------------------------------------------------------------


def assertTemplateName(response, name):
    assert name in [t.name for t in response.templates]


@pytest.mark.parametrize("persona", STAFF)
def test_every_staff_role_reaches_the_admin(client, as_persona, persona):
    as_persona(persona)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assertContains(page, reverse("admin:schools_school_changelist"))
    assertContains(page, 'data-testid="back-to-portal"')


@pytest.mark.parametrize("persona", MEMBERS)
def test_school_people_are_sent_to_the_admin_login(client, as_persona, persona):
    as_persona(persona)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_coordinator_changes_a_school_in_the_admin(client, as_persona, school_a):
    as_persona("coordinator")
    url = reverse("admin:schools_school_change", args=[school_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assertContains(page, 'name="_save"')
    data = form_data(page.content.decode(), "school_form")
    data["name"] = ["École A, new name"]
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    school_a.refresh_from_db()
    assert school_a.name == "École A, new name"
    assert school_a.history.first().history_user.email == "coordinator@example.org"


def test_read_only_staff_can_view_but_not_change_a_school_in_the_admin(client, as_persona, school_a):
    as_persona("read_only_staff")
    assert client.get(reverse("admin:schools_school_changelist")).status_code == 200
    url = reverse("admin:schools_school_change", args=[school_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assertNotContains(page, 'name="_save"')
    assertContains(page, school_a.name)
    response = client.post(url, {"name": "Hacked", "_save": "Save"})
    assert response.status_code == 403
    school_a.refresh_from_db()
    assert school_a.name == "École A"
    assert client.get(reverse("admin:schools_school_add")).status_code == 403
