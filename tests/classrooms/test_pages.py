"""The pages of each person of the programme, used by their owners."""

from django.core import mail
from django.urls import reverse
import pytest

from classrooms.models import Application, ApplicationStatus, CommissionSession, Opinion, SessionStatus
from tests.builders.classrooms import make_application, make_draft, make_kit_type, make_session
from tests.builders.files import pdf_upload
from tests.builders.schools import form_data

A = ApplicationStatus
pytestmark = pytest.mark.django_db


def detail_url(application) -> str:
    return reverse("classrooms:detail", kwargs={"application_id": application.public_id})


def test_the_school_list_offers_to_apply_and_says_what_happens_next(client, world):
    application = make_application(world, A.SUBMITTED)
    client.force_login(world.teacher_a)
    response = client.get(reverse("classrooms:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        reverse("classrooms:new", kwargs={"school_id": world.school_a.pk, "campaign_id": world.campaign.pk})
        in page
    )
    assert application.number in page
    assert "The inspector of your district will give an opinion." in page


def test_a_teacher_saves_a_draft_and_the_director_sends_it(client, world, django_capture_on_commit_callbacks):
    trimester = world.campaign.trimesters.order_by("start")[1]
    client.force_login(world.teacher_a)
    url = reverse("classrooms:new", kwargs={"school_id": world.school_a.pk, "campaign_id": world.campaign.pk})
    data = form_data(client.get(url).content.decode(), "application-form")
    data.update(
        {
            "class_name": "CE2 A",
            "level": "ce2",
            "pupil_count": "22",
            "teacher_names": "M. Petit",
            "objectives": "Programmer un robot.",
            "activities": "Défis de programmation, vidéo.",
            "b2i_link": "Domaine 3.",
            "municipality_information": "Réunion avec le maire.",
            "equipment": "Un TBI.",
            "municipality_contact": "Mme Martin",
            "preferred_trimesters": [str(trimester.pk)],
            "action": "save",
        }
    )
    response = client.post(url, data)
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "classrooms:edit", kwargs={"application_id": application.public_id}
    )
    assert (
        "Send the application" not in client.get(response["Location"]).content.decode()
    )  # teachers do not send
    client.force_login(world.director_a)
    edit = reverse("classrooms:edit", kwargs={"application_id": application.public_id})
    data = form_data(client.get(edit).content.decode(), "application-form")
    data["action"] = "submit"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, data)
    assert response["Location"] == detail_url(application)
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    assert list(application.preferred_trimesters.all()) == [trimester]
    assert mail.outbox[-1].to == [world.inspector_a.email]


def test_an_incomplete_application_says_what_is_missing(client, world):
    draft = make_draft(world, objectives="")
    client.force_login(world.director_a)
    response = client.post(
        reverse("classrooms:submit", kwargs={"application_id": draft.public_id}), follow=True
    )
    assert "Missing: objectives" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == A.DRAFT


def test_files_are_added_downloaded_and_removed_on_a_draft(client, world):
    draft = make_draft(world)
    client.force_login(world.teacher_a)
    url = reverse("classrooms:attachment_add", kwargs={"application_id": draft.public_id})
    client.post(url, {"file": pdf_upload("mairie.pdf")})
    attachment = draft.attachments.get()
    download = client.get(reverse("classrooms:attachment", kwargs={"attachment_id": attachment.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.post(url, {"file": pdf_upload("faux.pdf", data=b"not a pdf at all")})
    assert draft.attachments.count() == 1
    client.post(reverse("classrooms:attachment_remove", kwargs={"attachment_id": attachment.pk}))
    assert draft.attachments.count() == 0


def test_the_director_withdraws_and_a_teacher_cannot(client, world):
    application = make_application(world, A.OPINION_GIVEN)
    url = reverse("classrooms:withdraw", kwargs={"application_id": application.public_id})
    client.force_login(world.teacher_a)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(world.director_a)
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "Changement d'équipe."})
    application.refresh_from_db()
    assert application.status == A.WITHDRAWN


def test_the_inspector_sees_what_waits_for_an_opinion_first_and_gives_one(client, world):
    older = make_application(world, A.SUBMITTED)
    done = make_application(world, A.OPINION_GIVEN)
    client.force_login(world.inspector_a)
    home = client.get(reverse("classrooms:home")).context["lines"]
    assert [(line.key, line.count) for line in home] == [("classroom-opinions", 1)]
    assert home[0].first_url == reverse("classrooms:review", kwargs={"application_id": older.public_id})
    response = client.get(reverse("classrooms:inbox"))
    assert [a.pk for a in response.context["waiting"]] == [older.pk]
    assert done in response.context["page_obj"].object_list
    review = reverse("classrooms:review", kwargs={"application_id": older.public_id})
    assert "opinion-form" in client.get(review).content.decode()
    opinion = reverse("classrooms:opinion", kwargs={"application_id": older.public_id})
    assert client.post(opinion, {"opinion": ""}).status_code == 400
    client.post(opinion, {"opinion": Opinion.FAVOURABLE, "comment": "Très bon projet.", "shared": "on"})
    older.refresh_from_db()
    assert older.status == A.OPINION_GIVEN and older.opinion_shared
    client.force_login(world.director_a)
    assert "Très bon projet." in client.get(detail_url(older)).content.decode()


def test_an_inspector_invites_a_school_of_their_district(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.inspector_a)
    url = reverse("classrooms:invite")
    page = client.get(url)
    assert world.school_a.name in page.content.decode() and world.school_b.name not in page.content.decode()
    data = {
        "campaign": world.campaign.pk,
        "school": world.school_a.pk,
        "reason": "Taux B2i de 30 %.",
        "b2i_rate": "30",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    application = Application.objects.get()
    assert application.origin == "invited"
    client.force_login(world.director_a)
    assert (
        "Taux B2i de 30 %."
        in client.get(
            reverse("classrooms:edit", kwargs={"application_id": application.public_id})
        ).content.decode()
    )


def test_the_advisers_list_filters_and_searches(client, world):
    invited = make_application(world, A.SUBMITTED, class_name="CP Soleil", level="cp")
    invited.origin, invited.invited_at = "invited", invited.created_at
    invited.save(update_fields=["origin", "invited_at"])
    other = make_application(
        world, A.OPINION_GIVEN, school=world.school_b, class_name="CM2 Lune", level="cm2"
    )
    client.force_login(world.adviser)
    url = reverse("classrooms:review_list")

    def listed(**query):
        return {a.pk for a in client.get(url, query).context["page_obj"].object_list}

    assert listed() == {invited.pk, other.pk}
    assert listed(district=world.district_b.pk) == {other.pk}
    assert listed(state="submitted") == {invited.pk}
    assert listed(level="cm2") == {other.pk}
    assert listed(origin="invited") == {invited.pk}
    assert listed(q="lune") == {other.pk}
    assert listed(q=world.school_a.name) == {invited.pk}
    assert listed(campaign=world.campaign.pk) == {invited.pk, other.pk}


def test_the_commission_ranks_proposes_and_sends_with_the_grid_in_view(
    client, world, django_capture_on_commit_callbacks
):
    first = make_application(world, A.OPINION_GIVEN)
    second = make_application(world, A.OPINION_GIVEN, school=world.school_b)
    client.force_login(world.adviser)
    response = client.post(
        reverse("classrooms:session_new"),
        {
            "campaign": world.campaign.pk,
            "held_on": "2026-12-01",
            "place": "Arras",
            "chair": world.chair.pk,
            "members": [world.member.pk, world.chair.pk],
        },
    )
    session = CommissionSession.objects.get()
    session_url = reverse("classrooms:session", kwargs={"session_id": session.pk})
    assert response["Location"] == session_url
    client.post(
        reverse("classrooms:session_agenda", kwargs={"session_id": session.pk}),
        {"applications": [first.pk, second.pk]},
    )
    client.post(
        reverse("classrooms:session_presence", kwargs={"session_id": session.pk}),
        {"present": [world.member.pk], "notes": "Quorum atteint."},
    )
    trimester = world.campaign.trimesters.order_by("start")[1]
    p1, p2 = session.proposals.order_by("application__pk")
    client.post(
        reverse("classrooms:proposal", kwargs={"proposal_id": p1.pk}),
        {
            f"p{p1.pk}-rank": 1,
            f"p{p1.pk}-outcome": "accept",
            f"p{p1.pk}-trimester": trimester.pk,
            f"p{p1.pk}-kit_type": make_kit_type().pk,
        },
    )
    client.post(
        reverse("classrooms:proposal", kwargs={"proposal_id": p2.pk}),
        {f"p{p2.pk}-rank": 2, f"p{p2.pk}-outcome": "refuse", f"p{p2.pk}-reason": "Projet à retravailler."},
    )
    page = client.get(session_url)
    assert "1 of 2 kits" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("classrooms:session_send", kwargs={"session_id": session.pk}))
    session.refresh_from_db()
    assert session.status == SessionStatus.SENT and session.minutes
    minutes = client.get(reverse("classrooms:minutes", kwargs={"session_id": session.pk}))
    assert minutes.status_code == 200 and minutes["Content-Type"] == "application/pdf"
    client.force_login(world.member)
    assert client.get(session_url).status_code == 200
    assert (
        client.post(reverse("classrooms:session_send", kwargs={"session_id": session.pk})).status_code == 404
    )


def test_the_decision_maker_decides_one_by_one_or_all(client, world):
    application = make_application(world, A.SCHEDULED)
    proposal = application.proposals.get()
    client.force_login(world.decision_maker)
    home = client.get(reverse("classrooms:home")).context["lines"]
    assert [(line.key, line.count) for line in home] == [("classroom-decisions", 1)]
    assert home[0].first_url == reverse("classrooms:decision", kwargs={"session_id": proposal.session_id})
    page = client.get(reverse("classrooms:decision", kwargs={"session_id": proposal.session_id}))
    assert application.number in page.content.decode()
    url = reverse("classrooms:decide", kwargs={"proposal_id": proposal.pk})
    assert (
        client.post(url, {f"d{proposal.pk}-decision": "refuse"}).status_code == 302
    )  # refused by the service: no reason
    application.refresh_from_db()
    assert application.status == A.SCHEDULED
    client.post(url, {f"d{proposal.pk}-decision": "accept"})
    application.refresh_from_db()
    assert application.status == A.ACCEPTED
    client.force_login(world.director_a)
    page = client.get(detail_url(application)).content.decode()
    assert "comes to the class for" in page


def test_decide_all_accepts_every_proposal(client, world):
    application = make_application(world, A.SCHEDULED)
    session = application.proposals.get().session
    client.force_login(world.decision_maker)
    client.post(reverse("classrooms:decide_all", kwargs={"session_id": session.pk}))
    application.refresh_from_db()
    session.refresh_from_db()
    assert application.status == A.ACCEPTED and session.status == SessionStatus.DECIDED


def test_an_open_session_is_not_for_the_decision_maker(client, world):
    session = make_session(world)
    client.force_login(world.decision_maker)
    assert client.get(reverse("classrooms:decision", kwargs={"session_id": session.pk})).status_code == 404


def test_the_adviser_chair_and_members_land_on_their_waiting_work(
    client, world, django_assert_max_num_queries
):
    ready = make_application(world, A.OPINION_GIVEN)
    session = make_session(world)
    client.force_login(world.adviser)
    with django_assert_max_num_queries(12):
        lines = client.get(reverse("classrooms:home")).context["lines"]
    assert [(line.key, line.count) for line in lines] == [
        ("classroom-for-commission", 1),
        ("classroom-sessions-to-prepare", 1),
    ]
    assert lines[0].first_url == reverse("classrooms:review", kwargs={"application_id": ready.public_id})
    client.force_login(world.member)
    lines = client.get(reverse("classrooms:home")).context["lines"]
    assert [(line.key, line.count, line.first_url) for line in lines] == [
        ("classroom-coming-sessions", 1, reverse("classrooms:session", kwargs={"session_id": session.pk}))
    ]
    # A school's director is not a programme person: their applications' page.
    client.force_login(world.director_a)
    assert client.get(reverse("classrooms:home"))["Location"] == reverse("classrooms:list")
