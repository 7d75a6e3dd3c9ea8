"""Documents in the admin: staff look them up; private files are never linked directly."""

from django.urls import reverse
import pytest

from conventions.models import FileVariant
from tests.builders.conventions import convention_of, make_ready_case, send

pytestmark = pytest.mark.django_db


def test_a_rendered_file_opens_in_the_admin_with_a_link_to_the_document_page(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    document = convention_of(case)
    stored = document.files.get(variant=FileVariant.ORIGINAL)
    client.force_login(coordinator)

    response = client.get(reverse("admin:conventions_documentfile_change", args=[stored.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert stored.sha256 in page
    assert reverse("conventions:detail", kwargs={"document_id": document.public_id}) in page
    assert stored.file.name not in page
