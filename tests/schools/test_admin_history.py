"""The admin's history pages of a person: the links on an old version lead somewhere."""

from django.urls import reverse
import pytest

pytestmark = pytest.mark.django_db


def test_the_password_link_on_an_old_version_of_a_person_leads_to_the_password_page(
    client, coordinator, director_a
):
    director_a.first_name = "Renamed"
    director_a.save()
    version = director_a.history.order_by("history_id").first()
    client.force_login(coordinator)
    old_version_url = reverse("admin:schools_user_simple_history", args=[director_a.pk, version.history_id])
    assert client.get(old_version_url).status_code == 200

    # The form's password help links to "../password/", relative to the old version's page.
    response = client.get(old_version_url.rsplit("/", 2)[0] + "/password/")

    assert response.status_code == 302
    assert response.url == reverse("admin:auth_user_password_change", args=[director_a.pk])


def test_an_old_version_that_is_not_a_number_is_not_found(client, coordinator, director_a):
    client.force_login(coordinator)
    url = reverse("admin:schools_user_history", args=[director_a.pk]) + "nonsense/"

    assert client.get(url).status_code == 404
