import datetime
import re

from django.urls import reverse
from django.utils import timezone
import pytest

from cases import services as case_services
from cases.models import CaseStatus
from loans import services
from loans.models import (
    CalendarFeed,
    InventoryState,
    Item,
    Loan,
    LoanStatus,
    ReferralStatus,
    Visit,
    VisitKind,
    VisitStatus,
    holder_filter,
)
from schools.models import Region
from tests.builders.loans import (
    case_with_kit,
    eligible_case,
    make_kit,
    make_kit_type,
    retrieval_planned_case,
    soon,
)
from tests.builders.schools import make_class, make_school

pytestmark = pytest.mark.django_db


CASE_LOGISTICS = ("case_assign", "case_logistics", "case_visit_new")


def url(name, **kwargs):
    namespace = "cases" if name in CASE_LOGISTICS else "loans"
    return reverse(f"{namespace}:{name}", kwargs=kwargs)


def test_a_coordinator_finds_free_kits_nearest_first_and_reserves_one(
    client, school_a, director_a, coordinator
):
    case = eligible_case(school_a, director_a, coordinator)
    kit_type = make_kit_type()
    far = make_kit(kit_type, code="CK-FAR", region=Region.LIEGE)
    near = make_kit(kit_type, code="CK-NEAR", region=Region.BRUSSELS)
    client.force_login(coordinator)
    page = client.get(url("case_assign", case_id=case.public_id)).content.decode()
    assert page.index("CK-NEAR") < page.index("CK-FAR")

    response = client.post(
        url("case_assign", case_id=case.public_id),
        {"kit": near.pk, "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == url("case_logistics", case_id=case.public_id)
    case.refresh_from_db()
    assert case.status == CaseStatus.KIT_ASSIGNED
    assert case.loans.get().kit == near
    far.refresh_from_db()
    assert far.state == InventoryState.AVAILABLE


def test_reserving_a_kit_someone_else_just_took_says_so(client, school_a, director_a, coordinator):
    kit = make_kit()
    first = eligible_case(school_a, director_a, coordinator)
    second = eligible_case(school_a, director_a, coordinator)
    case_services.case_reserve_kit(case=first, kit=kit, by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        url("case_assign", case_id=second.public_id),
        {"kit": kit.pk, "start": timezone.localdate().isoformat()},
        follow=True,
    )
    assert str(services.ERROR_KIT_NOT_FREE) in response.content.decode()
    second.refresh_from_db()
    assert second.status == CaseStatus.ELIGIBLE


def test_find_a_free_kit_starts_from_today(client, coordinator):
    client.force_login(coordinator)

    page = client.get(url("availability")).content.decode()

    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_the_availability_search_leaves_out_booked_kits_and_explains_bad_dates(client, school_a, coordinator):
    kit_type = make_kit_type()
    free = make_kit(kit_type, code="CK-FREE")
    busy = make_kit(kit_type, code="CK-BUSY")
    services.kit_mark_lost(kit=make_kit(kit_type, code="CK-LOST"), by=coordinator)
    from schools.models import Calendar, SchoolYear, Trimester
    from tests.loans.test_loans import D  # noqa: F401 - same date helper

    calendar = Calendar.objects.create(name="T", code="t", kind="fwb")
    year = SchoolYear.objects.create(
        calendar=calendar, label="2031-2032", start=datetime.date(2031, 9, 1), end=datetime.date(2032, 6, 30)
    )
    trimester = Trimester.objects.create(
        school_year=year, number=1, start=datetime.date(2031, 9, 1), end=datetime.date(2031, 12, 20)
    )
    services.loan_create_for_class(
        kit=busy, school_class=make_class(school_a), trimester=trimester, by=coordinator
    )
    client.force_login(coordinator)
    page = client.get(
        url("availability"), {"kit_type": kit_type.pk, "start": "2031-10-01", "end": "2031-10-31"}
    ).content.decode()
    assert "CK-FREE" in page and "CK-BUSY" not in page and "CK-LOST" not in page
    page = client.get(
        url("availability"), {"kit_type": kit_type.pk, "start": "2032-01-10", "end": "2032-02-01"}
    ).content.decode()
    assert "CK-BUSY" in page
    response = client.get(
        url("availability"), {"kit_type": kit_type.pk, "start": "2031-10-31", "end": "2031-10-01"}
    )
    assert response.status_code == 400
    assert "The last day cannot be before the first day." in response.content.decode()
    assert 'value="2031-10-31"' in response.content.decode()
    assert free


def test_the_calendar_shows_each_kit_week_by_week(client, school_a, director_a, coordinator):
    case, loan = case_with_kit(school_a, director_a, coordinator)
    make_kit(loan.kit.kit_type, code="CK-IDLE")
    client.force_login(coordinator)
    response = client.get(url("calendar", kit_type_id=loan.kit.kit_type_id), {"months": 3})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="calendar-row"') == 2
    assert "cal-reserved" in page and "cal-free" in page


def test_planning_an_installation_before_signatures_is_refused_next_to_the_form(
    client, school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    client.force_login(coordinator)
    day = soon(5)
    data = {
        "kind": VisitKind.INSTALLATION,
        "day": day.date().isoformat(),
        "time": "09:30",
        "duration_minutes": 90,
        "technician": technician.pk,
    }
    response = client.post(url("case_visit_new", case_id=case.public_id), data)
    # Installation is not even offered before the documents are signed.
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_the_set_up_at_home_is_not_offered_before_signatures(
    client, school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    client.force_login(coordinator)
    page = client.get(url("case_visit_new", case_id=case.public_id)).content.decode()
    assert f'value="{VisitKind.HOME_SETUP}"' not in page
    assert f'value="{VisitKind.TEAM_PRESENTATION}"' in page
    response = client.post(
        url("case_visit_new", case_id=case.public_id),
        {
            "kind": VisitKind.HOME_SETUP,
            "day": soon(5).date().isoformat(),
            "time": "14:00",
            "duration_minutes": 90,
            "technician": technician.pk,
            "notes": "Ring twice.",
        },
    )
    assert response.status_code == 400
    assert "Ring twice." in response.content.decode()
    assert not Visit.objects.exists()


def test_a_coordinator_plans_the_installation_and_the_technician_marks_it_done(
    client, school_a, director_a, coordinator, technician
):
    case, loan = case_with_kit(school_a, director_a, coordinator)
    client.force_login(coordinator)
    day = soon(5)
    response = client.post(
        url("case_visit_new", case_id=case.public_id),
        {
            "kind": VisitKind.INSTALLATION,
            "day": day.date().isoformat(),
            "time": "09:30",
            "duration_minutes": 120,
            "technician": technician.pk,
            "notes": "Ask for the caretaker.",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(**holder_filter(case))
    case.refresh_from_db()
    assert case.status == CaseStatus.INSTALLATION_PLANNED

    client.force_login(technician)
    page = client.get(url("visit_detail", visit_id=visit.pk)).content.decode()
    assert "Ask for the caretaker." in page and 'name="check_kit_complete"' in page
    refused = client.post(
        url("visit_complete", visit_id=visit.pk),
        {"outcome": "completed", "training_given": "on", "early_reason": "School asked for today."},
    )
    assert refused.status_code == 400
    assert "tick both" in refused.content.decode()
    response = client.post(
        url("visit_complete", visit_id=visit.pk),
        {
            "outcome": "completed",
            "check_kit_complete": "on",
            "check_call_tested": "on",
            "training_given": "on",
            "user_guide_handed_over": "on",
            "room": "P5",
            "early_reason": "School asked for today.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    loan.refresh_from_db()
    visit.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and loan.status == LoanStatus.LENT
    assert visit.checklist == {
        "kit_complete": True,
        "classroom_installed": False,
        "network_tested": False,
        "call_tested": True,
    }
    assert loan.kit.__class__.objects.get(pk=loan.kit_id).room == "P5"


def test_the_check_in_form_records_each_item_and_closes_the_loan(
    client, school_a, director_a, coordinator, technician
):
    case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    items = list(loan.kit.items.order_by("category", "serial_number"))
    client.force_login(technician)
    page = client.get(url("loan_check_in", loan_id=loan.pk)).content.decode()
    assert all(item.serial_number in page for item in items)
    data = {"returned_on": timezone.localdate().isoformat(), "notes": "Collected at home."}
    for item in items:
        data[f"state_{item.pk}"] = "ok"
    broken = items[0]
    data[f"state_{broken.pk}"] = "broken"
    data[f"damage_{broken.pk}"] = "Screen cracked"
    response = client.post(url("loan_check_in", loan_id=loan.pk), data)
    assert response.status_code == 302
    loan.refresh_from_db()
    broken.refresh_from_db()
    case.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert broken.state == InventoryState.IN_REPAIR
    assert case.status == CaseStatus.KIT_RETURNED
    detail = client.get(url("loan_detail", loan_id=loan.pk)).content.decode()
    assert "Screen cracked" in detail


def test_the_check_in_starts_with_nothing_ticked_and_refuses_an_item_left_unanswered(
    client, school_a, director_a, coordinator, technician
):
    _case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    items = list(loan.kit.items.order_by("category", "serial_number"))
    client.force_login(technician)

    page = client.get(url("loan_check_in", loan_id=loan.pk)).content.decode()
    data = {"returned_on": timezone.localdate().isoformat(), "notes": "Kept"}
    data.update({f"state_{item.pk}": "ok" for item in items[1:]})
    data[f"damage_{items[1].pk}"] = "Scratch"
    refused = client.post(url("loan_check_in", loan_id=loan.pk), data)

    assert "checked" not in page
    assert refused.status_code == 400
    assert "Say whether this item is back and working." in refused.content.decode()
    assert 'value="Scratch"' in refused.content.decode() and "Kept" in refused.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.LENT


def test_a_technician_swaps_a_broken_item_for_a_spare(client, coordinator, technician):
    kit = make_kit()
    spare = Item.objects.create(category="keyboard", serial_number="SPARE-KB-1")
    old = kit.items.get(category="keyboard")
    client.force_login(technician)
    response = client.post(
        url("kit_swap", kit_id=kit.pk),
        {"out_item": old.pk, "in_serial": "spare-kb-1", "out_to": "to_repair", "problem": "Keys stuck"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    spare.refresh_from_db()
    kit.refresh_from_db()
    assert old.kit is None and old.state == InventoryState.IN_REPAIR
    assert spare.kit == kit and spare.state == InventoryState.AVAILABLE
    assert kit.state == InventoryState.AVAILABLE
    page = client.get(url("kit_detail", kit_id=kit.pk)).content.decode()
    assert "Item taken out of the kit" in page and "Item put in the kit" in page


def test_my_visits_on_a_phone_shows_today_and_this_week(
    client, school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    later_today = timezone.localtime() + datetime.timedelta(minutes=30)
    today = case_services.case_visit_plan(
        kind=VisitKind.HOME_SETUP, case=case, starts_at=later_today, technician=technician, by=coordinator
    )
    far = case_services.case_visit_plan(
        kind=VisitKind.TRAINING, case=case, starts_at=soon(15), technician=technician, by=coordinator
    )
    client.force_login(technician)
    page = client.get(url("my_visits")).content.decode()
    today_block = page.split('data-testid="agenda-today"')[1].split("</section>")[0]
    assert f'agenda-visit-{today.pk}"' in today_block
    assert f'agenda-visit-{far.pk}"' in page.split('data-testid="agenda-later"')[1]


def test_a_coordinator_moves_and_cancels_a_visit(client, school_a, director_a, coordinator, technician):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.TRAINING, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    client.force_login(coordinator)
    response = client.post(
        url("visit_reschedule", visit_id=visit.pk),
        {
            "day": soon(8).date().isoformat(),
            "time": "13:00",
            "duration_minutes": 60,
            "technician": technician.pk,
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert timezone.localtime(visit.starts_at).hour == 13 and visit.sequence == 1
    assert client.post(url("visit_cancel", visit_id=visit.pk), {"reason": ""}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    client.post(url("visit_cancel", visit_id=visit.pk), {"reason": "Strike."})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED


def test_an_evaluation_is_referred_and_followed_from_its_page(
    client, school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.INTERNET_EVALUATION, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    services.visit_complete(
        visit=visit, by=technician, outcome="completed", early_reason="Done ahead of the plan."
    )
    client.force_login(technician)
    response = client.post(
        url("referral_create", visit_id=visit.pk),
        {"referred_on": timezone.localdate().isoformat(), "provider_reference": "PRX-9"},
    )
    assert response.status_code == 302
    referral = visit.referrals.get()
    bad = client.post(url("referral_detail", referral_id=referral.pk), {"status": "fixed"})
    assert bad.status_code == 400 and str(services.ERROR_FIXED_DATE_REQUIRED) in bad.content.decode()
    client.post(
        url("referral_detail", referral_id=referral.pk),
        {"status": "fixed", "fixed_on": timezone.localdate().isoformat(), "outcome": "New line."},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.FIXED
    client.force_login(director_a)
    assert "New line." in client.get(url("referral_detail", referral_id=referral.pk)).content.decode()
    assert (
        client.post(url("referral_detail", referral_id=referral.pk), {"status": "cancelled"}).status_code
        == 404
    )


def test_a_coordinator_books_a_kit_for_a_class_and_hands_it_over(client, school_a, coordinator):
    from schools.models import Calendar, SchoolYear, Trimester

    calendar = Calendar.objects.create(name="FWB", code="fwb-x", kind="fwb", is_default=True)
    year = SchoolYear.objects.create(
        calendar=calendar, label="2030-2031", start=datetime.date(2030, 8, 26), end=datetime.date(2031, 7, 4)
    )
    trimester = Trimester.objects.create(
        school_year=year, number=2, start=datetime.date(2031, 1, 5), end=datetime.date(2031, 3, 28)
    )
    school_class = make_class(school_a, name="P6")
    kit = make_kit(make_kit_type("mobile", "mobile_classroom"), code="MC-9")
    client.force_login(coordinator)
    response = client.post(
        url("class_loan_new", school_id=school_a.pk),
        {"school_class": school_class.pk, "trimester": trimester.pk, "kit_code": "mc-9"},
    )
    assert response.status_code == 302
    loan = Loan.objects.get(kit=kit)
    assert (loan.start, loan.end, loan.school_class) == (trimester.start, trimester.end, school_class)
    client.post(url("loan_hand_over", loan_id=loan.pk))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.LENT
    other_class = make_class(make_school(), name="P1")
    response = client.post(
        url("class_loan_new", school_id=other_class.school_id),
        {"school_class": other_class.pk, "trimester": trimester.pk, "kit_code": "MC-9"},
    )
    assert response.status_code == 400 and str(services.ERROR_KIT_NOT_FREE) in response.content.decode()


def _feed_address(response) -> str:
    match = re.search(r'id="new-feed-url" readonly value="([^"]+)"', response.content.decode())
    assert match, "the new address is shown"
    return match.group(1)


def test_a_technician_subscribes_to_their_visits_and_revokes_the_address(
    client, school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    case_services.case_visit_plan(
        kind=VisitKind.INSTALLATION,
        case=case,
        starts_at=soon(),
        technician=technician,
        by=coordinator,
        notes="Gate code 1234",
    )
    client.force_login(technician)
    address = _feed_address(client.post(url("feed_create")))
    assert "/cases/kits/ical/" in address
    feed = CalendarFeed.objects.get(user=technician)
    assert feed.token_hash not in address  # only the hash is stored

    client.logout()
    response = client.get(address)
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "Installation in the classroom" in body and "Gate code 1234" in body
    assert "SEQUENCE:0" in body

    client.force_login(technician)
    assert client.get(url("feed_list")).content.decode().count("Stop this address") == 1
    client.post(url("feed_revoke", feed_id=feed.pk))
    client.logout()
    assert client.get(address).status_code == 404
    assert client.get(url("feed_ical", token="not-a-real-token")).status_code == 404


def test_a_director_subscribes_to_the_schools_visits_without_the_technicians_notes(
    client, school_a, director_a, director_b, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    case_services.case_visit_plan(
        kind=VisitKind.INSTALLATION,
        case=case,
        starts_at=soon(),
        technician=technician,
        by=coordinator,
        notes="Gate code 1234",
    )
    client.force_login(director_a)
    first = _feed_address(client.post(url("feed_create"), {"school": school_a.pk}))
    second = _feed_address(client.post(url("feed_create"), {"school": school_a.pk}))
    client.logout()
    assert client.get(first).status_code == 404  # a new address replaces the old one
    body = client.get(second).content.decode()
    assert "Installation in the classroom" in body and "Gate code" not in body
    client.force_login(director_b)
    assert client.post(url("feed_create"), {"school": school_a.pk}).status_code == 404
    feed = CalendarFeed.objects.get(school=school_a, revoked_at__isnull=True)
    assert client.post(url("feed_revoke", feed_id=feed.pk)).status_code == 404


def test_the_case_page_panel_shows_the_kit_with_its_serials_and_staff_actions_to_staff_only(
    rf, school_a, director_a, coordinator, django_assert_max_num_queries
):
    from django.template import Context, Template

    case, loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    template = Template("{% load cases_tags %}{% case_kit_panel case %}")
    for user, sees_actions in ((coordinator, True), (director_a, False)):
        request = rf.get("/")
        request.user = user
        with django_assert_max_num_queries(5):
            html = template.render(Context({"request": request, "case": case}))
        assert loan.kit.code in html
        assert loan.kit.items.first().serial_number in html
        assert ("Plan a visit" in html) is sees_actions
        assert (url("case_logistics", case_id=case.public_id) in html) is sees_actions


def test_a_retrieval_marked_done_leads_to_the_check_in_of_its_kit(
    client, school_a, director_a, coordinator, technician
):
    _case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    visit = loan.visits.get(kind=VisitKind.RETRIEVAL)
    client.force_login(technician)

    response = client.post(
        url("visit_complete", visit_id=visit.pk),
        {"outcome": "completed", "early_reason": "Family left early."},
    )

    assert response.status_code == 302
    assert response["Location"] == url("loan_check_in", loan_id=loan.pk)
    assert "Now check the kit in" in client.get(response["Location"]).content.decode()


def test_a_visit_is_marked_done_before_its_day_only_with_a_reason(
    client, school_a, director_a, coordinator, technician
):
    _case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    visit = loan.visits.get(kind=VisitKind.RETRIEVAL)
    client.force_login(technician)

    refused = client.post(url("visit_complete", visit_id=visit.pk), {"outcome": "completed", "notes": "Bag"})
    visit.refresh_from_db()
    assert refused.status_code == 400 and visit.status == VisitStatus.PLANNED
    assert str(services.ERROR_EARLY_NEEDS_REASON) in refused.content.decode()
    assert "Bag" in refused.content.decode()
    with pytest.raises(services.KitError):
        services.visit_complete(visit=visit, by=technician, outcome="completed", early_reason="  ")

    client.post(
        url("visit_complete", visit_id=visit.pk),
        {"outcome": "completed", "notes": "Bag", "early_reason": "Family moved the date."},
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert visit.notes == "Marked done before its day: Family moved the date.\nBag"


def test_a_visit_of_today_needs_no_reason(client, school_a, director_a, coordinator, technician):
    _case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    visit = loan.visits.get(kind=VisitKind.RETRIEVAL)
    Visit.objects.filter(pk=visit.pk).update(starts_at=timezone.now())
    client.force_login(technician)

    page = client.get(url("visit_detail", visit_id=visit.pk)).content.decode()
    client.post(url("visit_complete", visit_id=visit.pk), {"outcome": "completed"})

    visit.refresh_from_db()
    assert 'name="early_reason"' not in page and visit.status == VisitStatus.DONE


def test_a_kit_in_repair_is_offered_last_with_a_clear_warning(client, coordinator):
    kit_type = make_kit_type()
    make_kit(kit_type, code="CK-OK")
    broken = make_kit(kit_type, code="CK-REPAIR")
    services.kit_send_to_repair(kit=broken, by=coordinator, problem="Camera dead")
    client.force_login(coordinator)

    page = client.get(
        url("availability"), {"kit_type": kit_type.pk, "start": timezone.localdate().isoformat()}
    ).content.decode()

    assert page.index("CK-OK") < page.index("CK-REPAIR")
    assert page.count('data-testid="in-repair-warning"') == 1
    assert "In repair: reserve it only if it will be repaired before the first day." in page
