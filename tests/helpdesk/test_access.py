"""Every helpdesk view, tried by its owners and by everyone who must be refused."""

from django.urls import reverse
import pytest

from helpdesk.models import HelpArticle, Status
from tests.builders.files import png_upload
from tests.builders.helpdesk import open_ticket

OWNERS = ["director_a", "teacher_a"]
STAFF_VIEWERS = ["helpdesk_agent", "coordinator", "read_only_staff", "technician"]
STAFF_WORKERS = ["helpdesk_agent", "coordinator"]
STAFF_READERS_ONLY = ["read_only_staff", "technician"]


@pytest.fixture
def ticket(school_a, teacher_a):
    return open_ticket(school_a, teacher_a, attachments=[png_upload()])


def client_for(client, request, persona: str | None):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    return client


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# ---------------------------------------------------------------- schools' pages


SCHOOL_PAGES = [
    ("helpdesk:ticket_detail", "ticket"),
    ("helpdesk:attachment_download", "attachment"),
]


def _url(name, ticket):
    if name == "helpdesk:attachment_download":
        return reverse(name, args=[ticket.attachments.get().pk])
    return reverse(name, args=[ticket.pk])


@pytest.mark.parametrize(("name", "_kind"), SCHOOL_PAGES)
@pytest.mark.parametrize("persona", OWNERS)
def test_owners_see_their_schools_ticket_and_attachment(client, request, ticket, name, _kind, persona):
    response = client_for(client, request, persona).get(_url(name, ticket))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "_kind"), SCHOOL_PAGES)
def test_another_schools_director_gets_404(client, director_b, ticket, name, _kind):
    client.force_login(director_b)
    assert client.get(_url(name, ticket)).status_code == 404


@pytest.mark.parametrize(("name", "_kind"), SCHOOL_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, ticket, name, _kind):
    assert_sent_to_login(client.get(_url(name, ticket)))


def test_another_schools_teacher_gets_404(client, school_b, ticket):
    from tests.builders.schools import make_teacher

    client.force_login(make_teacher(school_b, email="teacher.b@example.org"))
    assert client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk])).status_code == 404
    response = client.post(reverse("helpdesk:ticket_reply", args=[ticket.pk]), {"body": "Intrus"})
    assert response.status_code == 404
    assert not ticket.messages.exists()


@pytest.mark.parametrize("persona", STAFF_VIEWERS)
def test_staff_opening_a_school_ticket_page_land_on_the_staff_page(client, request, ticket, persona):
    response = client_for(client, request, persona).get(reverse("helpdesk:ticket_detail", args=[ticket.pk]))
    assert response.status_code == 302
    assert response.url == reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])


@pytest.mark.parametrize("persona", STAFF_VIEWERS)
def test_staff_may_download_attachments(client, request, ticket, persona):
    response = client_for(client, request, persona).get(_url("helpdesk:attachment_download", ticket))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", OWNERS)
def test_owners_reply(client, request, ticket, persona):
    response = client_for(client, request, persona).post(
        reverse("helpdesk:ticket_reply", args=[ticket.pk]), {"body": "Toujours en panne."}
    )
    assert response.status_code == 302
    assert ticket.messages.get().body == "Toujours en panne."


def test_outsiders_cannot_reply(client, director_b, ticket):
    url = reverse("helpdesk:ticket_reply", args=[ticket.pk])
    assert_sent_to_login(client.post(url, {"body": "Anonyme"}))
    client.force_login(director_b)
    assert client.post(url, {"body": "Intrus"}).status_code == 404
    assert not ticket.messages.exists()


@pytest.mark.parametrize("name", ["helpdesk:ticket_list", "helpdesk:ticket_open"])
def test_school_lists_and_form_need_a_login(client, name):
    assert_sent_to_login(client.get(reverse(name)))


@pytest.mark.parametrize("persona", OWNERS)
def test_a_school_list_shows_only_that_schools_tickets(
    client, request, ticket, school_b, director_b, persona
):
    foreign = open_ticket(school_b, director_b, subject="Ticket de l'école B")
    response = client_for(client, request, persona).get(reverse("helpdesk:ticket_list"))
    assert response.status_code == 200
    assert ticket.reference in response.content.decode()
    assert foreign.reference not in response.content.decode()


def test_outsiders_do_not_see_a_school_ticket_in_their_list(client, ticket, director_b):
    client.force_login(director_b)
    response = client.get(reverse("helpdesk:ticket_list"), {"q": ticket.reference, "state": "all"})
    assert response.context["page_obj"].paginator.count == 0
    assert reverse("helpdesk:ticket_detail", args=[ticket.pk]) not in response.content.decode()


# ---------------------------------------------------------------- help articles


@pytest.fixture
def draft(db):
    return HelpArticle.objects.create(title="Brouillon", body="Pas encore prêt.", published=False)


@pytest.fixture
def article(db):
    return HelpArticle.objects.create(title="Caméra éteinte", body="Rebranchez le câble.", published=True)


@pytest.mark.parametrize("persona", [*OWNERS, "director_b", *STAFF_VIEWERS])
def test_everyone_logged_in_reads_published_articles(client, request, article, persona):
    response = client_for(client, request, persona).get(reverse("helpdesk:article_detail", args=[article.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", OWNERS)
def test_schools_get_404_for_drafts(client, request, draft, persona):
    response = client_for(client, request, persona).get(reverse("helpdesk:article_detail", args=[draft.pk]))
    assert response.status_code == 404


def test_staff_preview_drafts(client, helpdesk_agent, draft):
    client.force_login(helpdesk_agent)
    assert client.get(reverse("helpdesk:article_detail", args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("name", ["helpdesk:article_list", "helpdesk:article_suggest"])
def test_articles_need_a_login(client, article, name):
    assert_sent_to_login(client.get(reverse(name), {"q": "caméra"}))
    assert_sent_to_login(client.get(reverse("helpdesk:article_detail", args=[article.pk])))


# ---------------------------------------------------------------- staff pages


STAFF_PAGES = ["helpdesk:staff_ticket_detail", "helpdesk:staff_ticket_history"]


@pytest.mark.parametrize("persona", STAFF_VIEWERS)
def test_staff_roles_view_the_queue_tickets_and_history(client, request, ticket, persona):
    client = client_for(client, request, persona)
    assert client.get(reverse("helpdesk:staff_queue")).status_code == 200
    for name in STAFF_PAGES:
        assert client.get(reverse(name, args=[ticket.pk])).status_code == 200


@pytest.mark.parametrize("persona", [*OWNERS, "director_b"])
def test_school_people_are_refused_staff_pages(client, request, ticket, persona):
    client = client_for(client, request, persona)
    assert client.get(reverse("helpdesk:staff_queue")).status_code == 403
    for name in STAFF_PAGES:
        assert client.get(reverse(name, args=[ticket.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_from_staff_pages(client, ticket):
    assert_sent_to_login(client.get(reverse("helpdesk:staff_queue")))
    for name in STAFF_PAGES:
        assert_sent_to_login(client.get(reverse(name, args=[ticket.pk])))


def test_staff_get_404_for_a_ticket_that_does_not_exist(client, helpdesk_agent):
    client.force_login(helpdesk_agent)
    assert client.get(reverse("helpdesk:staff_ticket_detail", args=[99999])).status_code == 404


def staff_actions(other, agent):
    """Each staff action with valid data; the last one merges into ``other``."""
    return [
        ("helpdesk:staff_ticket_reply", {"visibility": "internal", "body": "Note"}),
        ("helpdesk:staff_ticket_assign", {"assignee": agent.pk}),
        ("helpdesk:staff_ticket_status", {"status": Status.OPEN}),
        ("helpdesk:staff_ticket_triage", {"category": "other", "priority": "low"}),
        ("helpdesk:staff_ticket_link", {"case": "", "kit": ""}),
        ("helpdesk:staff_ticket_merge", {"into": other.reference, "confirm": "on"}),
    ]


@pytest.mark.parametrize("persona", STAFF_WORKERS)
def test_helpdesk_agents_and_coordinators_act_on_tickets(
    client, request, school_a, teacher_a, helpdesk_agent, persona
):
    client = client_for(client, request, persona)
    kept = open_ticket(school_a, teacher_a)
    for name, data in staff_actions(kept, helpdesk_agent)[:-1]:
        ticket = open_ticket(school_a, teacher_a)
        response = client.post(reverse(name, args=[ticket.pk]), data)
        assert response.status_code == 302, name
        assert response.url == reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])
    duplicate = open_ticket(school_a, teacher_a)
    merge = reverse("helpdesk:staff_ticket_merge", args=[duplicate.pk])

    asked = client.post(merge, {"into": kept.reference})
    duplicate.refresh_from_db()
    assert asked.status_code == 200 and duplicate.merged_into is None
    assert 'data-testid="merge-confirm"' in asked.content.decode()

    response = client.post(merge, {"into": kept.reference, "confirm": "on"})
    assert response.url == reverse("helpdesk:staff_ticket_detail", args=[kept.pk])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept


@pytest.mark.parametrize("persona", [*STAFF_READERS_ONLY, *OWNERS, "director_b"])
def test_others_cannot_act_on_tickets(client, request, school_a, teacher_a, helpdesk_agent, persona):
    ticket, other = open_ticket(school_a, teacher_a), open_ticket(school_a, teacher_a)
    client = client_for(client, request, persona)
    for name, data in staff_actions(other, helpdesk_agent):
        assert client.post(reverse(name, args=[ticket.pk]), data).status_code == 403, name
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.assignee is None and ticket.merged_into is None
    assert not ticket.messages.exists()


def test_anonymous_visitors_cannot_act_on_tickets(client, school_a, teacher_a, helpdesk_agent):
    ticket, other = open_ticket(school_a, teacher_a), open_ticket(school_a, teacher_a)
    for name, data in staff_actions(other, helpdesk_agent):
        assert_sent_to_login(client.post(reverse(name, args=[ticket.pk]), data))
    assert not ticket.messages.exists()


def test_staff_actions_refuse_get(client, ticket, helpdesk_agent):
    client.force_login(helpdesk_agent)
    assert client.get(reverse("helpdesk:staff_ticket_status", args=[ticket.pk])).status_code == 405
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
