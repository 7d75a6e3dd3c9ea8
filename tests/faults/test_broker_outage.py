"""Redis stopped while people work: the pages answer at once, and once Redis is back a real
worker delivers every PDF and every mail exactly once (the sweep, not the lost enqueue)."""

import time

from django.urls import reverse
import pytest

from classcontact.models import OutboxItem, OutboxState
from conventions.models import Document, DocumentFile, DocumentStatus
from helpdesk.models import Ticket
from tests.builders.conventions import make_ready_case
from tests.faults.parts import mails_in, text_of, use_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _all_done() -> bool:
    return not OutboxItem.objects.exclude(state=OutboxState.DONE).exists()


def test_work_done_while_redis_is_down_is_delivered_once_when_it_is_back(
    client, redis_server, workers, school_a, director_a, coordinator, helpdesk_agent
):
    redis_server.start()
    redis_server.stop()  # the port is known, nothing answers there
    use_broker(redis_server.url)
    case = make_ready_case(school_a, director_a, coordinator, guardians=2)

    client.force_login(coordinator)
    started = time.monotonic()
    sent = client.post(reverse("conventions:send", kwargs={"case_id": case.public_id}))
    send_seconds = time.monotonic() - started
    client.force_login(director_a)
    started = time.monotonic()
    opened = client.post(
        reverse("helpdesk:ticket_open"),
        {"subject": "Caméra muette", "category": "hardware", "description": "Plus de son depuis lundi."},
    )
    open_seconds = time.monotonic() - started

    assert sent.status_code == opened.status_code == 302
    assert send_seconds < 2 and open_seconds < 2
    assert Ticket.objects.count() == 1
    assert not DocumentFile.objects.exists()
    assert OutboxItem.objects.filter(state=OutboxState.PENDING).count() >= 4

    redis_server.start()
    worker = workers.new(redis_server.url).start()
    mail_folder = workers.folder / "mail"
    assert wait_for(_all_done, timeout=60), worker.log()

    documents = list(Document.objects.filter(case=case))
    assert len(documents) == 3
    for document in documents:
        document.refresh_from_db()
        assert document.status == DocumentStatus.AWAITING_SIGNATURES
        assert DocumentFile.objects.filter(document=document).count() == 1
    time.sleep(2)  # a second delivery, were there one, would land now
    mails = mails_in(mail_folder)
    ids = [m["Message-ID"] for m in mails]
    assert len(ids) == len(set(ids)), "a mail was delivered twice"
    from post_office.models import STATUS, Email

    queued = Email.objects.all()
    assert set(queued.values_list("status", flat=True)) == {STATUS.sent}
    assert sorted(ids) == sorted(queued.values_list("message_id", flat=True))
    recipients = sorted(m["To"] for m in mails if m["X-ClassContact-Mail"] == "signature-link")
    assert recipients == ["marc@example.org", "sophie@example.org"]
    signature_requests = [m for m in mails if m["X-ClassContact-Mail"] == "signature-request"]
    assert [m["To"] for m in signature_requests] == [director_a.email]
    assert [m for m in mails if m["X-ClassContact-Mail"] == "ticket-opened" or "HD-" in m["Subject"]]
    _parents_links_work(client, mails)


def _parents_links_work(client, mails) -> None:
    import re

    client.logout()
    for message in mails:
        if message["X-ClassContact-Mail"] != "signature-link":
            continue
        body = text_of(message)
        path = re.search(r"(/sign/[0-9a-f-]{36}/[A-Za-z0-9_-]{43,}/)", body).group(1)
        assert client.get(path).status_code == 200
