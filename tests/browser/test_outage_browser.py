"""A coordinator sends a case's documents while the broker is unreachable: the page answers
as usual; once the broker is back, the parent's mail arrives with a link that works."""

import re
import time

from django.core import mail
from django.urls import reverse
import pytest

from classcontact import outbox
from classcontact.models import OutboxItem, OutboxState
from tests.browser.test_signing_browser import log_in
from tests.builders.conventions import make_ready_case
from tests.faults.parts import use_broker, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"(/sign/[0-9a-f-]{36}/[A-Za-z0-9_-]{43,}/)")


def test_documents_sent_while_the_broker_is_down_reach_the_parent_later(
    page, phone_page, live_server, school_a, director_a, coordinator, settings
):
    import os

    from conventions import services

    services.ensure_default_templates()  # a flushed database has lost what migrations created
    case = make_ready_case(school_a, director_a, coordinator)
    log_in(page, live_server, coordinator.email)
    page.goto(live_server.url + reverse("conventions:case", kwargs={"case_id": case.public_id}))
    mail.outbox.clear()
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        started = time.monotonic()
        page.get_by_test_id("send-documents").click()
        page.wait_for_load_state()
        seconds = time.monotonic() - started
        confirmation = page.locator(".alert-success").inner_text()
    finally:
        use_broker(os.environ["REDIS_URL"])

    assert "The documents are being prepared" in confirmation
    assert seconds < 5  # click, redirect and the next page's load, in a browser (server time: tests/faults)
    assert mail.outbox == [] and OutboxItem.objects.filter(state=OutboxState.PENDING).exists()

    # The broker is back; a worker starts only now.
    from celery.contrib.testing.worker import start_worker

    from classcontact.celery import app

    app.conf.result_backend = os.environ["REDIS_URL"]
    queue = f"test-outage-{os.getpid()}"
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING"):
            outbox.sweep()  # what Celery beat does every minute

            def parent_mail():
                return next(
                    (m for m in mail.outbox if m.to == ["sophie@example.org"] and LINK.search(m.body)), None
                )

            assert wait_for(lambda: parent_mail() is not None, timeout=60)
    finally:
        app.conf.task_default_queue = "celery"

    phone_page.goto(live_server.url + LINK.search(parent_mail().body).group(1))
    assert "Emma" in phone_page.content()
    assert phone_page.locator("input[type=checkbox][name^=commitment_]").count() > 0
