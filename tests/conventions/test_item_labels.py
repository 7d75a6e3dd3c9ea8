"""The equipment listed in a document is named in the document's language."""

from django.urls import reverse
from django.utils import translation
import pytest

from conventions.content import build_content
from conventions.models import DocumentKind
from conventions.selectors import current_version
from tests.builders.conventions import make_ready_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "camera", "other"),
    [("en", "360° camera", "Caméra 360°"), ("fr", "Caméra 360°", "360° camera")],
)
def test_a_convention_names_the_items_in_its_own_language_whatever_the_senders(
    school_a, director_a, coordinator, language, camera, other
):
    case = make_ready_case(school_a, director_a, coordinator)
    version = current_version(DocumentKind.CONVENTION, language)
    sender_language = "fr" if language == "en" else "en"

    with translation.override(sender_language):
        content = build_content(case=case, kind=DocumentKind.CONVENTION, version=version)

    categories = [item["category"] for item in content["equipment"]]
    assert camera in categories and other not in categories


def test_the_wording_preview_names_the_sample_items_in_the_wording_language(client, coordinator):
    client.force_login(coordinator)

    with translation.override("en"):
        page = client.get(
            reverse("conventions:template_detail", args=[current_version(DocumentKind.CONVENTION, "fr").pk]),
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()

    assert "Caméra 360°" in page and "360° camera" not in page
