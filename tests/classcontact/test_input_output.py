"""What comes in and goes out: formula cells, attachments' types, oversized anonymous bodies."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
import pytest

from classcontact.spreadsheets import FORMULA_STARTS, spreadsheet_cell
from helpdesk.models import TicketAttachment
from loans.imports import items_export_csv
from loans.models import Item
from tests.builders.files import png_bytes
from tests.builders.helpdesk import open_ticket
from tests.builders.loans import make_kit, make_kit_type

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_cell_becomes_text(value):
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Chromebook", "", "12-34", "a=b", 42, None])
def test_other_cells_are_unchanged(value):
    assert spreadsheet_cell(value) == value


@pytest.mark.django_db
def test_the_inventory_export_writes_no_formula(coordinator):
    make_kit(make_kit_type(), code="CK-1")
    items = list(Item.objects.all())
    assert len(items) >= 2
    for item, value in zip(items, FORMULAS, strict=False):
        item.model_name = item.notes = value
        item.save(update_fields=["model_name", "notes"])
    rows = list(csv.reader(io.StringIO(items_export_csv(Item.objects.all()))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert '\'=HYPERLINK("http://x")' in cells


@pytest.mark.django_db
def test_an_attachment_is_served_with_the_type_of_its_content(client, school_a, teacher_a):
    named_as_a_page = SimpleUploadedFile("page.html", png_bytes(1), content_type="text/html")
    ticket = open_ticket(school_a, teacher_a, attachments=[named_as_a_page])
    attachment = TicketAttachment.objects.get(ticket=ticket)
    client.force_login(teacher_a)

    response = client.get(reverse("helpdesk:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_anonymous_body_too_large_is_refused_before_it_is_read(client, settings):
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    too_large = settings.ANONYMOUS_BODY_MAX_BYTES + 1
    response = client.generic(
        "POST",
        reverse("verify"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(too_large),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_page(client):
    response = client.post(reverse("verify"), {})
    assert response.status_code != 413
