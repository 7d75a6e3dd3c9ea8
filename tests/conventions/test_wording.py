"""Wording versions: staff write plain text, preview it, publish it; sent documents never change."""

from django.urls import reverse
import pytest

from conventions import services
from conventions.models import DocumentKind, TemplateVersion
from conventions.selectors import current_version
from tests.builders.conventions import convention_of, file_bytes, make_ready_case, pdf_text, send

pytestmark = pytest.mark.django_db

NEW_CLAUSES = "Clause neuve numéro un.\n\nClause neuve numéro deux, {{ school.name }} {% now 'Y' %}."


def _form(**overrides):
    data = {
        "title": "Convention revue",
        "introduction": "Introduction revue.",
        "clauses": NEW_CLAUSES,
        "consent_text": "Consentement revu.",
        "closing": "Fin revue.",
        "change_note": "Test",
    }
    data.update(overrides)
    return data


def test_publishing_makes_the_next_version_and_keeps_the_older_ones(coordinator):
    before = current_version(DocumentKind.CONVENTION, "fr")

    version = services.template_version_publish(
        kind=DocumentKind.CONVENTION, language="fr", by=coordinator, **{k: v for k, v in _form().items()}
    )

    assert version.number == before.number + 1
    assert current_version(DocumentKind.CONVENTION, "fr") == version
    assert TemplateVersion.objects.filter(pk=before.pk).exists()
    assert version.clause_list() == [
        "Clause neuve numéro un.",
        "Clause neuve numéro deux, {{ school.name }} {% now 'Y' %}.",
    ]


def test_publishing_never_changes_a_document_already_sent(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    convention = convention_of(case)
    before = file_bytes(convention)
    old_version = convention.template_version

    services.template_version_publish(kind=DocumentKind.CONVENTION, language="fr", by=coordinator, **_form())

    convention.refresh_from_db()
    assert convention.template_version == old_version
    assert file_bytes(convention) == before
    assert "Clause neuve" not in pdf_text(before)
    assert "Clause neuve" not in str(convention.content)


@pytest.mark.french
def test_wording_is_plain_text_never_template_code(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    services.template_version_publish(kind=DocumentKind.CONVENTION, language="fr", by=coordinator, **_form())
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)

    text = pdf_text(file_bytes(convention_of(case)))

    assert "Clause neuve numéro deux, {{ school.name }} {% now 'Y' %}." in text


def test_the_editor_previews_before_publishing(client, coordinator):
    client.force_login(coordinator)
    url = reverse("conventions:template_edit", kwargs={"kind": "convention", "language": "fr"})
    count = TemplateVersion.objects.count()

    page = client.get(url)
    preview = client.post(url, {**_form(), "action": "preview"})

    assert page.status_code == 200
    assert "Prêt" in page.content.decode() or "prête gratuitement" in page.content.decode()
    assert preview.status_code == 200
    assert 'data-testid="template-preview"' in preview.content.decode()
    assert "Clause neuve numéro un." in preview.content.decode()
    assert TemplateVersion.objects.count() == count


def test_the_editor_publishes(client, coordinator):
    client.force_login(coordinator)
    url = reverse("conventions:template_edit", kwargs={"kind": "engagement", "language": "en"})

    response = client.post(url, {**_form(), "action": "publish"})

    assert response.status_code == 302
    version = current_version(DocumentKind.ENGAGEMENT, "en")
    assert version.title == "Convention revue" and version.created_by == coordinator
    assert version.consent_text == ""  # only the convention has a consent clause


def test_empty_clauses_are_refused_next_to_the_field(client, coordinator):
    client.force_login(coordinator)
    url = reverse("conventions:template_edit", kwargs={"kind": "convention", "language": "fr"})

    response = client.post(url, {**_form(clauses="  \n\n  "), "action": "publish", "title": "Gardé"})

    assert response.status_code == 400
    assert 'id="error_1_id_clauses"' in response.content.decode()
    assert 'value="Gardé"' in response.content.decode()


@pytest.mark.parametrize("persona", ["technician", "director_a"])
def test_only_coordinators_edit_the_wording(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("conventions:template_edit", kwargs={"kind": "convention", "language": "fr"})

    assert client.post(url, {**_form(), "action": "publish"}).status_code == 403
    with pytest.raises(services.DocumentError):
        services.template_version_publish(
            kind=DocumentKind.CONVENTION, language="fr", by=request.getfixturevalue(persona), **_form()
        )


def test_staff_read_the_list_and_history(client, read_only_staff):
    client.force_login(read_only_staff)
    version = current_version(DocumentKind.CONVENTION, "fr")

    assert client.get(reverse("conventions:template_list")).status_code == 200
    assert (
        client.get(
            reverse("conventions:template_history", kwargs={"kind": "convention", "language": "fr"})
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("conventions:template_detail", kwargs={"version_id": version.pk})).status_code
        == 200
    )
    assert (
        client.get(
            reverse("conventions:template_history", kwargs={"kind": "nope", "language": "fr"})
        ).status_code
        == 404
    )
