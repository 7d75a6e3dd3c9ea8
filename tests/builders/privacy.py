"""Builders for data protection: a case that lived its whole life through the services, with
values found nowhere else, and a scan of every text column of the database for them."""

from django.apps import apps
from django.core import mail
from django.db import connection, models
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase
from cases.services import GuardianData
from helpdesk import services as helpdesk_services
from helpdesk.models import Category
from schools.calendars import SchoolDays
from schools.reminders import run_reminders
from tests.builders.cases import make_case
from tests.builders.conventions import (
    convention_of,
    countersign,
    engagements_of,
    link_token_from_mail,
    send,
    sign_as_director,
    sign_as_guardian,
)
from tests.builders.helpdesk import build_calendar
from tests.builders.loans import install, make_kit, soon

# Values that appear nowhere but in this pupil's case.
SECRETS = {
    "first_name": "Zephyrine",
    "last_name": "Quackenbush",
    "street": "Rue des Xylophones 77",
    "guardian_first_name": "Wilhelmina",
    "guardian_email": "wilhelmina.q@parents-example.org",
    "guardian_phone": "0499 87 65 43",
}


def secret_request(**overrides) -> dict:
    values = {
        "pupil_first_name": SECRETS["first_name"],
        "pupil_last_name": SECRETS["last_name"],
        "home_street": SECRETS["street"],
        "guardian_count": 1,
        "guardians": [
            GuardianData(
                first_name=SECRETS["guardian_first_name"],
                last_name=SECRETS["last_name"],
                email=SECRETS["guardian_email"],
                phone=SECRETS["guardian_phone"],
            )
        ],
    }
    values.update(overrides)
    return values


def lived_case(school, director, coordinator, technician, capture, **overrides) -> ConnectionCase:
    """A case from the request to closing, through the services: documents sent and signed by
    link, a reminder to the parent, the kit installed and returned, a ticket about the pupil."""
    name = f"{SECRETS['first_name']} {SECRETS['last_name']}"
    case = make_case(school, director, coordinator, CaseStatus.ELIGIBLE, **secret_request(**overrides))
    case_services.case_update_internal_notes(case=case, by=coordinator, notes=f"{name} calls on Mondays.")
    loan = case_services.case_reserve_kit(case=case, kit=make_kit(by=coordinator), by=coordinator)
    mail.outbox.clear()
    case = ConnectionCase.objects.get(pk=case.pk)
    send(case, coordinator, capture)
    days = SchoolDays(build_calendar())  # reminders count school days
    day = timezone.localdate()
    for _step in range(6):  # past the reminders' steps
        day = days.next_school_day(day)
    with capture(execute=True):
        run_reminders(today=day)
    # The latest link: a reminder sends a new one, which kills the first.
    link = [m for m in mail.outbox if "/sign/" in m.body and SECRETS["guardian_email"] in m.to][-1]
    with capture(execute=True):
        ticket = helpdesk_services.ticket_open(
            school=school,
            opened_by=director,
            subject=f"Camera for {name}",
            category=Category.HARDWARE,
            description=f"{SECRETS['first_name']} cannot see the board; call {SECRETS['guardian_email']}.",
            case=case,
        )
        helpdesk_services.ticket_reply(
            ticket=ticket, author=director, body=f"{name} lives at {SECRETS['street']}."
        )
        sign_as_director(convention_of(case), director)
        countersign(convention_of(case), coordinator)
        sign_as_guardian(engagements_of(case)[0], *link_token_from_mail(link), name=name)
    case = ConnectionCase.objects.get(pk=case.pk)
    assert case.status == CaseStatus.DOCUMENTS_SIGNED, case.status
    with capture(execute=True):
        install(case, coordinator, technician)
        case_services.case_visit_plan(
            kind="home_setup", case=case, starts_at=soon(2), technician=technician, by=coordinator
        )
        case = ConnectionCase.objects.get(pk=case.pk)
        case = case_services.case_request_end(case=case, by=director, last_day=timezone.localdate())
        case = case_services.case_plan_retrieval(case=case, by=coordinator, date=timezone.localdate())
        case = case_services.case_mark_kit_returned(case=case, by=coordinator)
        case = case_services.case_close(case=case, by=coordinator, note=f"{name} is back in class.")
    loan.refresh_from_db()
    return ConnectionCase.objects.get(pk=case.pk)


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.EmailField)


def text_columns():
    """(model, column) for every text, char and JSON column of every table, history included."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS) or field.get_internal_type() in (
                "FileField",
                "GenericIPAddressField",
            ):
                yield model, field.column


def tables_containing(*values: str) -> list[str]:
    """``table.column`` wherever one of ``values`` is found (case-insensitive), JSON included."""
    found = []
    with connection.cursor() as cursor:
        for model, column in text_columns():
            table = connection.ops.quote_name(model._meta.db_table)
            quoted = connection.ops.quote_name(column)
            for value in values:
                sql = f"SELECT 1 FROM {table} WHERE {quoted}::text ILIKE %s LIMIT 1"  # noqa: S608 - quoted names from the models
                cursor.execute(sql, [f"%{value}%"])
                if cursor.fetchone():
                    found.append(f"{model._meta.db_table}.{column} ({value})")
    return found
