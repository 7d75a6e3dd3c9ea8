"""Every staff role meets, in every admin page, exactly the rights of the roles table."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
import pytest

from cases import services as case_services
from cases.models import HealthField
from cases.services import health_read_record
from classrooms.services import attachment_add, training_register
from conventions.models import SchoolConsent
from conventions.services import ensure_default_templates
from helpdesk import services as helpdesk_services
from helpdesk.models import CannedReply, HelpArticle, Target
from loans import services as kit_services
from loans.models import VisitKind, VisitOutcome
from schools import services as school_services
from schools.models import StaffRole, User
from schools.roles import PROJECT_APPS, RIGHTS, role_actions
from tests.builders.classrooms import make_application, make_class_in, make_draft, make_world
from tests.builders.conventions import make_ready_case, send
from tests.builders.deployment import make_training
from tests.builders.files import pdf_upload
from tests.builders.helpdesk import build_calendar, open_ticket
from tests.builders.loans import installed_case, make_kit, soon
from tests.builders.schools import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_model(school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks):
    """At least one object of every model registered in the admin."""
    build_calendar()
    ensure_default_templates()
    case, _loan = installed_case(school_a, director_a, coordinator, technician)
    evaluation = case_services.case_visit_plan(
        kind=VisitKind.INTERNET_EVALUATION,
        case=case,
        starts_at=soon(1),
        technician=technician,
        by=coordinator,
    )
    kit_services.visit_complete(
        visit=evaluation,
        by=technician,
        outcome=VisitOutcome.COMPLETED,
        early_reason="Done ahead of the plan.",
    )
    kit_services.referral_create(visit=evaluation, by=technician, provider_reference="PRX-1")
    kit_services.kit_send_to_repair(kit=make_kit(), by=technician, problem="Screen")
    kit_services.feed_create_for_technician(technician=technician, by=technician)
    health_read_record(user=coordinator, case=case, field=HealthField.REASON_CATEGORY, context="test")
    send(make_ready_case(school_a, director_a, coordinator), coordinator, django_capture_on_commit_callbacks)
    ticket = open_ticket(school_a, director_a)
    helpdesk_services.ticket_add_note(ticket=ticket, author=coordinator, body="Caméra à remplacer.")
    Target.objects.get_or_create(
        category="hardware", priority="normal", defaults={"first_response_hours": 4, "resolution_hours": 24}
    )
    CannedReply.objects.create(title="Merci", body="Merci pour votre message.")
    HelpArticle.objects.create(title="Allumer la caméra", body="Appuyez sur le bouton.")
    SchoolConsent.objects.create(school=school_a, consents=True, decided_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        school_services.invitation_create(
            school=school_a, email="new@example.org", role="teacher", invited_by=director_a
        )
    seen = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x@example.org"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=3)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    # The mobile classroom programme: a district, a campaign, an application with a file,
    # its timeline and a decided proposal of a session (with its minutes).
    world = make_world()
    attachment_add(application=make_draft(world), by=world.teacher_a, upload=pdf_upload())
    with django_capture_on_commit_callbacks(execute=True):
        accepted = make_application(world, "accepted")
        training_register(session=make_training(world), application=accepted, teacher=world.teacher_a)
        make_class_in(world, "in_progress")  # with its follow-up
    # Second-factor devices: their admin pages are for superusers (no role has a row).
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    StaticDevice.objects.create(user=coordinator, name="recovery codes", confirmed=True)
    return {model: model._default_manager.order_by("pk").first() for model in admin.site._registry}


def _admin_offers(model_admin, action: str, obj) -> bool:
    """Whether the admin page offers the action at all (to a superuser)."""
    request = RequestFactory().get("/")
    request.user = User(email="probe@example.org", is_active=True, is_staff=True, is_superuser=True)
    if action == "add":
        return model_admin.has_add_permission(request)
    return model_admin.has_delete_permission(request, obj)


def _expected(role: str, model_admin, obj) -> dict[str, int]:
    granted = role_actions(role, model_admin.model._meta.label_lower)
    reads = bool(granted & {"view", "change"})
    return {
        "changelist": 200 if reads else 403,
        "change": 200 if reads else 403,
        "add": 200 if "add" in granted and _admin_offers(model_admin, "add", obj) else 403,
        "delete": 200 if "delete" in granted and _admin_offers(model_admin, "delete", obj) else 403,
    }


def _urls(model) -> dict[str, str]:
    obj_pk = model._default_manager.order_by("pk").first().pk
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return {
        "changelist": reverse(f"{name}_changelist"),
        "change": reverse(f"{name}_change", args=[obj_pk]),
        "add": reverse(f"{name}_add"),
        "delete": reverse(f"{name}_delete", args=[obj_pk]),
    }


@pytest.mark.parametrize("role", StaffRole.values)
def test_each_admin_page_answers_as_the_roles_table_says(client, every_model, role):
    user = make_user(email=f"{role}@staff.example.org", is_staff=True)
    user.groups.add(apps.get_model("auth", "Group").objects.get(name=role))
    client.force_login(user)
    wrong = []
    for model, obj in every_model.items():
        assert obj is not None, f"no {model._meta.label} to open"
        model_admin = admin.site._registry[model]
        expected = _expected(role, model_admin, obj)
        for action, url in _urls(model).items():
            status = client.get(url).status_code
            if status != expected[action]:
                wrong.append(f"{model._meta.label_lower} {action}: {status}, expected {expected[action]}")
    assert wrong == []


def test_the_table_says_what_technicians_and_agents_may_do():
    technician, agent = StaffRole.TECHNICIAN, StaffRole.HELPDESK_AGENT
    assert role_actions(technician, "loans.kit") == {"view", "add", "change"}
    assert role_actions(technician, "loans.loan") == {"view", "add", "change"}
    assert role_actions(technician, "cases.connectioncase") == {"view"}
    assert role_actions(technician, "cases.guardian") == {"view"}
    assert role_actions(technician, "conventions.document") == {"view"}
    assert role_actions(agent, "helpdesk.ticket") == {"view", "add", "change", "delete"}
    assert role_actions(agent, "loans.kit") == {"view"}
    assert role_actions(agent, "conventions.document") == set()
    assert role_actions(StaffRole.READ_ONLY, "helpdesk.ticket") == {"view"}


def test_every_model_of_the_project_has_its_row():
    models = {
        model._meta.label_lower
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert models - set(RIGHTS) == set()


def test_groups_get_exactly_the_permissions_of_the_table(technician):
    codenames = set(technician.groups.get().permissions.values_list("content_type__app_label", "codename"))
    assert ("loans", "change_kit") in codenames
    assert ("loans", "delete_kit") not in codenames
    assert ("cases", "change_guardian") not in codenames
    assert ("cases", "view_connectioncase") in codenames
    assert ("helpdesk", "change_ticket") not in codenames
    assert not any(codename.startswith("view_historical") for _app, codename in codenames)
