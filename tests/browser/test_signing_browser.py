"""A parent signs the engagement on a phone through their personal link; staff see the evidence."""

import re

from django.core import mail
from django.urls import reverse
import pytest

from conventions.models import DocumentKind, FileVariant, SignatureStatus
from tests.builders.conventions import make_ready_case
from tests.builders.schools import PASSWORD, pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe|password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connexion|log in", re.IGNORECASE)).last.click()
    pass_second_factor(page, email)


def _draw_with_a_finger(page, box):
    """A stroke made of real touch events, as a finger on a phone screen makes them."""
    cdp = page.context.new_cdp_session(page)
    points = [(0.15, 0.7), (0.3, 0.3), (0.45, 0.65), (0.6, 0.25), (0.8, 0.6)]
    x0, y0 = box["x"] + box["width"] * points[0][0], box["y"] + box["height"] * points[0][1]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for fx, fy in points[1:]:
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def _draw_with_the_mouse(page, box):
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.8)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(
            box["x"] + box["width"] * (0.2 + step * 0.05), box["y"] + box["height"] * (0.8 - step * 0.04)
        )
    page.mouse.up()


def test_a_parent_signs_on_a_phone_and_staff_see_the_evidence(
    phone_page, page, live_server, school_a, director_a, coordinator
):
    from conventions import services

    services.ensure_default_templates()  # a flushed database has lost what migrations created
    case = make_ready_case(school_a, director_a, coordinator)
    services.documents_send(case=case, by=coordinator)  # commits; the rendering runs inline
    message = next(m for m in mail.outbox if re.search(r"/sign/[0-9a-f-]{36}/", m.body))
    path = re.search(r"(/sign/[0-9a-f-]{36}/[A-Za-z0-9_-]{43,}/)", message.body).group(1)
    engagement = case.documents.get(kind=DocumentKind.ENGAGEMENT)

    phone = phone_page
    phone.goto(live_server.url + path)
    assert "Emma" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    checkboxes = phone.locator("input[type=checkbox][name^=commitment_]")
    assert checkboxes.count() == len(engagement.clauses)
    for index in range(checkboxes.count()):
        checkboxes.nth(index).check()
    phone.locator("#id_typed_name").fill("Sophie Peeters")
    canvas = phone.get_by_test_id("signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    _draw_with_a_finger(phone, box)
    _draw_with_the_mouse(phone, box)
    assert phone.locator("#id_signature_image").input_value().startswith("data:image/png;base64,")
    user_agent = phone.evaluate("navigator.userAgent")
    phone.get_by_test_id("sign-button").click()
    phone.wait_for_load_state()

    assert phone.get_by_test_id("signed-thanks").is_visible()
    signature = engagement.signatures.get()
    assert signature.status == SignatureStatus.SIGNED
    assert signature.typed_name == "Sophie Peeters"
    assert signature.user_agent == user_agent
    assert signature.image and signature.image_sha256
    assert signature.document_sha256 == engagement.files.get(variant=FileVariant.ORIGINAL).sha256
    phone.goto(live_server.url + path)  # the link is dead now
    assert phone.get_by_test_id("link-invalid").is_visible()

    log_in(page, live_server, coordinator.email)
    page.goto(live_server.url + reverse("conventions:detail", kwargs={"document_id": engagement.public_id}))
    evidence = page.get_by_test_id("evidence")
    assert "Sophie Peeters" in page.content()
    assert "127.0.0.1" in evidence.inner_text()
    assert signature.document_sha256 in evidence.inner_text()
    assert "UTC" in evidence.inner_text()
    image = page.get_by_test_id("signature-image")
    assert image.is_visible()
    assert page.evaluate("document.querySelector('[data-testid=signature-image]').naturalWidth") > 0
