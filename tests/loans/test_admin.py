"""Staff manage the inventory in the admin; every state change goes through the services."""

import csv
import io

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
import pytest

from classcontact.import_models import ImportJob, ImportStatus
from loans.models import InventoryState, Item, KitEvent, KitEventKind, Repair
from tests.builders.loans import case_with_kit, make_item, make_kit

pytestmark = pytest.mark.django_db


def test_the_kit_list_finds_a_kit_by_the_serial_number_of_an_item(client, coordinator):
    wanted = make_kit(code="CK-WANTED")
    make_kit(code="CK-OTHER")
    serial = wanted.items.first().serial_number
    client.force_login(coordinator)
    page = client.get("/admin/loans/kit/", {"q": serial.lower()}).content.decode()
    assert "CK-WANTED" in page and "CK-OTHER" not in page
    page = client.get(
        "/admin/loans/kit/", {"state__exact": "available", "region__exact": "brussels"}
    ).content.decode()
    assert "CK-WANTED" in page


def test_the_kit_and_repair_lists_filter_on_where_the_kit_is_and_open_repairs(
    client, school_a, director_a, coordinator, technician
):
    from loans import services

    case_with_kit(school_a, director_a, coordinator, make_kit(code="CK-AWAY"))  # reserved, at the depot
    lent = make_kit(code="CK-LENT")
    lent.school = school_a
    lent.save(update_fields=["school"])
    services.kit_send_to_repair(kit=make_kit(code="CK-BROKEN"), by=technician, problem="Écran noir")
    client.force_login(coordinator)
    at_school = client.get("/admin/loans/kit/", {"where": "school"}).content.decode()
    at_depot = client.get("/admin/loans/kit/", {"where": "depot"}).content.decode()
    assert "CK-LENT" in at_school and "CK-AWAY" not in at_school
    assert "CK-AWAY" in at_depot and "CK-LENT" not in at_depot
    open_repairs = client.get("/admin/loans/repair/", {"open": "yes"}).content.decode()
    closed_repairs = client.get("/admin/loans/repair/", {"open": "no"}).content.decode()
    assert "Écran noir" in open_repairs and "Écran noir" not in closed_repairs


def test_send_to_repair_asks_for_the_problem_then_goes_through_the_service(client, coordinator):
    kit = make_kit()
    client.force_login(coordinator)
    data = {"action": "send_to_repair", ACTION_CHECKBOX_NAME: [kit.pk]}
    form_page = client.post("/admin/loans/kit/", data)
    assert form_page.status_code == 200 and 'name="problem"' in form_page.content.decode()
    response = client.post(
        "/admin/loans/kit/",
        {**data, "apply": "1", "problem": "Camera mount broken", "workshop": "Atelier Nord"},
    )
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.state == InventoryState.IN_REPAIR
    repair = Repair.objects.get(kit=kit)
    assert (repair.problem, repair.workshop, repair.opened_by) == (
        "Camera mount broken",
        "Atelier Nord",
        coordinator,
    )
    assert KitEvent.objects.filter(kit=kit, kind=KitEventKind.REPAIR_OPENED, actor=coordinator).exists()

    # Closing the repair in the admin brings the kit back.
    client.post(
        "/admin/loans/repair/",
        {"action": "close_repaired", ACTION_CHECKBOX_NAME: [repair.pk], "apply": "1", "notes": "Fixed."},
    )
    kit.refresh_from_db()
    repair.refresh_from_db()
    assert kit.state == InventoryState.AVAILABLE and repair.closed_by == coordinator


def test_retiring_a_reserved_kit_is_refused_with_the_reason(client, school_a, director_a, coordinator):
    _case, loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    client.force_login(coordinator)
    response = client.post(
        "/admin/loans/kit/",
        {"action": "retire", ACTION_CHECKBOX_NAME: [loan.kit_id], "apply": "1", "notes": ""},
        follow=True,
    )
    assert "still has loans to come" in response.content.decode()
    loan.kit.refresh_from_db()
    assert loan.kit.state == InventoryState.RESERVED


def test_an_item_marked_lost_leaves_its_kit(client, technician):
    kit = make_kit()
    item = kit.items.get(category="keyboard")
    client.force_login(technician)
    client.post(
        "/admin/loans/item/",
        {"action": "mark_lost", ACTION_CHECKBOX_NAME: [item.pk], "apply": "1", "notes": "Left on a train."},
    )
    item.refresh_from_db()
    assert item.state == InventoryState.LOST and item.kit is None
    assert KitEvent.objects.filter(item=item, kind=KitEventKind.ITEM_REMOVED, kit=kit).exists()


def test_moving_an_item_to_another_kit_in_the_admin_is_recorded(client, coordinator):
    item = make_item(serial="MOVE-ME")
    kit = make_kit(items=False)
    client.force_login(coordinator)
    response = client.post(
        f"/admin/loans/item/{item.pk}/change/",
        {
            "kit": kit.pk,
            "category": item.category,
            "model_name": "Spare",
            "serial_number": "MOVE-ME",
            "purchased_on": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.kit == kit
    assert KitEvent.objects.filter(
        kit=kit, item=item, kind=KitEventKind.ITEM_ADDED, actor=coordinator
    ).exists()


def test_items_export_to_csv_in_the_columns_the_import_reads(client, coordinator):
    kit = make_kit(code="CK-CSV")
    client.force_login(coordinator)
    response = client.get("/admin/loans/item/export/")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert {row["serial_number"] for row in rows} == set(kit.items.values_list("serial_number", flat=True))
    assert {row["kit"] for row in rows} == {"CK-CSV"}


def _upload(text: str, dry_run: bool = False):
    data = {"file": SimpleUploadedFile("items.csv", text.encode("utf-8"), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return data


def _import(client, text: str, capture, *, dry_run: bool = False):
    """Posts a CSV file to the items' import; the worker's task runs (inline) after the request
    has committed. Returns the import's page and its report's rows."""
    with capture(execute=True):
        posted = client.post("/admin/loans/item/import/", _upload(text, dry_run=dry_run))
    job = ImportJob.objects.latest("created_at")
    assert posted.status_code == 302 and posted["Location"] == reverse("import_job", args=[job.public_id])
    report = client.get(reverse("import_job_report", args=[job.public_id]))
    rows = list(
        csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    return client.get(posted["Location"]).content.decode(), rows


def test_the_csv_import_reports_every_row(client, coordinator, django_capture_on_commit_callbacks):
    kit = make_kit(code="CK-IMP", items=False)
    make_item(serial="KNOWN-1", category="keyboard")
    client.force_login(coordinator)
    text = (
        "serial_number;category;model_name;kit;colour\n"
        "NEW-1;Chromebook;Acer 314;CK-IMP;grey\n"
        "known-1;keyboard;Logitech K380;;\n"
        "BAD-1;toaster;;;\n"
        "NEW-1;tablet;;;\n"
        "NEW-2;camera_360;;CK-NOPE;\n"
    )
    dry, _rows = _import(client, text, django_capture_on_commit_callbacks, dry_run=True)
    assert "Dry run" in dry and not Item.objects.filter(serial_number="NEW-1").exists()

    page, rows = _import(client, text, django_capture_on_commit_callbacks)
    assert "1 created, 1 updated, 0 unchanged, 3 rejected." in page
    assert "Ignored columns: colour" in page
    details = {row[1]: row[4] for row in rows[1:]}
    assert "Unknown category “toaster”" in details["BAD-1"]
    assert "No kit has the code “CK-NOPE”" in details["NEW-2"]
    assert "already appears on line 2" in rows[4][4]
    new = Item.objects.get(serial_number="NEW-1")
    assert new.kit == kit and new.category == "chromebook"
    assert KitEvent.objects.filter(kit=kit, item=new, kind=KitEventKind.ITEM_ADDED).exists()
    assert Item.objects.get(serial_number="KNOWN-1").model_name == "Logitech K380"

    again, _rows = _import(
        client, "serial_number,category,kit\nNEW-1,chromebook,-\n", django_capture_on_commit_callbacks
    )
    assert "0 created, 1 updated" in again
    new.refresh_from_db()
    assert new.kit is None


def test_the_import_returns_before_the_worker_runs(client, coordinator):
    client.force_login(coordinator)

    response = client.post("/admin/loans/item/import/", _upload("serial_number;category\nNEW-1;keyboard\n"))

    assert response.status_code == 302
    assert ImportJob.objects.get().status == ImportStatus.QUEUED
    assert not Item.objects.exists()


def test_an_exported_file_imports_back_unchanged_with_its_neutralised_cells(
    client, coordinator, django_capture_on_commit_callbacks
):
    make_item(serial="-SN-1", category="keyboard", notes="=cmd|' /C calc'!A0")
    client.force_login(coordinator)
    exported = b"".join([client.get("/admin/loans/item/export/").content]).decode("utf-8")
    assert "'-SN-1" in exported and "'=cmd" in exported

    page, _rows = _import(client, exported, django_capture_on_commit_callbacks)

    assert "0 created, 0 updated, 1 unchanged, 0 rejected." in page
    item = Item.objects.get()
    assert (item.serial_number, item.notes) == ("-SN-1", "=cmd|' /C calc'!A0")


def test_loans_and_visits_are_read_only_in_the_admin(client, school_a, director_a, coordinator):
    _case, loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    client.force_login(coordinator)
    assert client.get(f"/admin/loans/loan/{loan.pk}/change/").status_code == 200
    assert client.get("/admin/loans/loan/add/").status_code == 403
    response = client.post(f"/admin/loans/loan/{loan.pk}/change/", {"status": "cancelled"})
    assert response.status_code == 403
