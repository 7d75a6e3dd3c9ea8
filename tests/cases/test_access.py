"""Who may open what: outsiders get a 404 on every case page and file, never data."""

from django.urls import reverse
import pytest

from cases import services
from cases.models import CaseStatus, ConnectionCase
from tests.builders.cases import make_case, pdf_upload

S = CaseStatus
pytestmark = pytest.mark.django_db

SCHOOL_GETS = ["cases:detail", "cases:edit"]
SCHOOL_POSTS = [
    "cases:edit",
    "cases:withdraw",
    "cases:request_presentation",
    "cases:request_letter",
    "cases:request_end",
]
STAFF_GETS = ["cases:staff_detail", "cases:staff_certificate"]
STAFF_POSTS = [
    "cases:staff_start_review",
    "cases:staff_decide",
    "cases:staff_withdraw",
    "cases:staff_pause",
    "cases:staff_resume",
    "cases:staff_request_end",
    "cases:staff_notes",
]


def _case_urls(case):
    key = {"case_id": case.public_id}
    gets = [reverse(name, kwargs=key) for name in SCHOOL_GETS + STAFF_GETS]
    posts = [reverse(name, kwargs=key) for name in SCHOOL_POSTS + STAFF_POSTS]
    posts.append(reverse("cases:staff_request_handled", kwargs={**key, "request_kind": "presentation"}))
    posts.append(reverse("cases:staff_step", kwargs={**key, "step": "closed"}))
    return gets, posts


@pytest.fixture
def case(school_a, director_a, coordinator):
    return make_case(school_a, director_a, coordinator, status=S.UNDER_REVIEW, certificate=pdf_upload())


@pytest.fixture
def draft(school_a, director_a):
    from tests.builders.cases import make_draft

    return make_draft(school_a, director_a, certificate=pdf_upload())


@pytest.mark.parametrize("outsider", ["director_b", "teacher_a", "anonymous"])
def test_outsiders_get_404_on_every_case_url(client, request, case, draft, outsider):
    if outsider != "anonymous":
        client.force_login(request.getfixturevalue(outsider))
    for target in (case, draft):
        gets, posts = _case_urls(target)
        for url in gets:
            assert client.get(url).status_code == 404, url
        for url in posts:
            response = client.post(url, {"withdraw-reason": "x", "end-last_day": "2030-01-01"})
            assert response.status_code == 404, url
    assert ConnectionCase.objects.get(pk=case.pk).status == S.UNDER_REVIEW
    assert ConnectionCase.objects.get(pk=draft.pk).status == S.DRAFT


def test_anonymous_visitors_are_offered_to_log_in(client, case):
    url = reverse("cases:detail", kwargs={"case_id": case.public_id})
    response = client.get(url)
    assert response.status_code == 404
    assert f"{reverse('login')}?next={url}" in response.content.decode().replace("%2F", "/")


@pytest.mark.parametrize("outsider", ["director_b", "teacher_a", "anonymous"])
def test_outsiders_get_404_on_the_case_lists(client, request, outsider, case):
    if outsider != "anonymous":
        client.force_login(request.getfixturevalue(outsider))
    assert client.get(reverse("cases:staff_board")).status_code == 404
    if outsider != "director_b":  # who directs a school of their own may list and ask
        assert client.get(reverse("cases:list")).status_code == 404
        assert client.get(reverse("cases:new")).status_code == 404
    school_id = case.school_id
    assert client.get(reverse("cases:new_for_school", kwargs={"school_id": school_id})).status_code == 404


def test_a_director_gets_404_on_staff_pages_of_their_own_case(client, director_a, case):
    client.force_login(director_a)
    key = {"case_id": case.public_id}
    assert client.get(reverse("cases:detail", kwargs=key)).status_code == 200
    for name in STAFF_GETS:
        assert client.get(reverse(name, kwargs=key)).status_code == 404
    for name in STAFF_POSTS:
        assert client.post(reverse(name, kwargs=key)).status_code == 404


def test_the_director_reads_their_own_request_but_no_staff_only_field(client, director_a, coordinator, case):
    services.case_update_internal_notes(case=case, by=coordinator, notes="SECRET-NOTE about the family")
    case = services.case_decide_eligibility(
        case=case, by=coordinator, school_in_fwb=True, medical_reason=True, eligible=True, reason="Welcome!"
    )
    client.force_login(director_a)
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.public_id})).content.decode()
    assert "Welcome!" in page
    assert "Physical illness" in page  # their own request
    assert "SECRET-NOTE" not in page
    assert "Internal notes" not in page
    assert "Checklist" not in page
    assert "team only" not in page
    # The staff page has it all.
    client.force_login(coordinator)
    staff_page = client.get(
        reverse("cases:staff_detail", kwargs={"case_id": case.public_id})
    ).content.decode()
    assert "SECRET-NOTE" in staff_page
    assert "Checklist" in staff_page


def test_the_director_cannot_download_the_certificate_they_sent(client, director_a, case):
    client.force_login(director_a)
    url = reverse("cases:staff_certificate", kwargs={"case_id": case.public_id})
    assert client.get(url).status_code == 404
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.public_id})).content.decode()
    assert url not in page


def test_a_coordinator_downloads_the_certificate(client, coordinator, case):
    client.force_login(coordinator)
    response = client.get(reverse("cases:staff_certificate", kwargs={"case_id": case.public_id}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert case.number in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["technician", "helpdesk_agent", "read_only_staff"])
def test_other_staff_see_the_case_but_not_health_data_nor_actions(client, request, case, persona):
    client.force_login(request.getfixturevalue(persona))
    key = {"case_id": case.public_id}
    page = client.get(reverse("cases:staff_detail", kwargs=key))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Physical illness" not in content
    assert "Hidden (health data)" in content
    assert client.get(reverse("cases:staff_certificate", kwargs=key)).status_code == 404
    assert (
        client.post(reverse("cases:staff_withdraw", kwargs=key), {"withdraw-reason": "x"}).status_code == 403
    )
    assert ConnectionCase.objects.get(pk=case.pk).status == S.UNDER_REVIEW


def test_staff_opening_the_school_page_of_a_case_go_to_their_own(client, coordinator, case):
    client.force_login(coordinator)
    response = client.get(reverse("cases:detail", kwargs={"case_id": case.public_id}))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:staff_detail", kwargs={"case_id": case.public_id})


def test_the_case_number_opens_nothing(client, director_a, case):
    client.force_login(director_a)
    assert client.get(f"/cases/{case.number}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 404
