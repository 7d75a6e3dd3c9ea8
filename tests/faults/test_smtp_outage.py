"""A real SMTP server (aiosmtpd) refusing mail, then accepting it: nothing is lost or sent
twice, a parent's link exists only once its mail left, and a resend while the server refuses
leaves the parent's working link alive."""

import re

from post_office.models import STATUS, Email
import pytest

from classcontact.models import OutboxItem, OutboxState
from conventions import services
from conventions.models import SigningLink
from tests.builders.conventions import engagements_of, make_ready_case
from tests.faults.parts import use_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"/sign/([0-9a-f-]{36})/([A-Za-z0-9_-]{43,})/")


def _all_done() -> bool:
    return not OutboxItem.objects.exclude(state=OutboxState.DONE).exists()


def _smtp_worker(workers, redis_server, smtp_server):
    return workers.new(
        redis_server.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        EMAIL_TIMEOUT="5",
    ).start()


def _links_to(smtp_server, address: str) -> list[tuple[str, str]]:
    return [
        LINK.search(raw).groups() for to, raw in smtp_server.received if to == [address] and LINK.search(raw)
    ]


def test_mail_refused_by_the_server_is_retried_and_delivered_once(
    client, redis_server, workers, smtp_server, school_a, director_a, coordinator
):
    redis_server.start()
    use_broker(redis_server.url)
    worker = _smtp_worker(workers, redis_server, smtp_server)
    smtp_server.refuse()
    case = make_ready_case(school_a, director_a, coordinator, guardians=1)
    services.documents_send(case=case, by=coordinator)

    def refused_and_waiting():
        link_work = OutboxItem.objects.filter(task="conventions.send_sign_link").first()
        director_mail = Email.objects.filter(to__icontains=director_a.email, status=STATUS.failed).first()
        return link_work is not None and "451" in link_work.last_error and director_mail is not None

    assert wait_for(refused_and_waiting, timeout=45), worker.log()
    assert not SigningLink.objects.exists()  # no link exists that its parent never got
    failed = Email.objects.filter(status=STATUS.failed).first()
    assert "451" in failed.logs.latest("date").message  # the server's reason, for staff
    assert smtp_server.received == []

    smtp_server.refuse(False)
    assert wait_for(_all_done, timeout=45), worker.log()

    ids = [re.search(r"Message-ID: (\S+)", raw, re.I).group(1) for _to, raw in smtp_server.received]
    assert len(ids) == len(set(ids)) == Email.objects.count()
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.sent}
    [(ref, token)] = _links_to(smtp_server, "sophie@example.org")
    assert client.get(f"/sign/{ref}/{token}/").status_code == 200
    assert SigningLink.objects.count() == 1
    stored = Email.objects.get(to__icontains="sophie@example.org")
    assert token not in stored.message  # only its hash is kept

    # A resend while the server refuses again: the parent keeps a working link.
    smtp_server.refuse()
    signature = engagements_of(case)[0].signatures.get()
    services.signing_link_resend(signature=signature, by=coordinator)
    assert wait_for(
        lambda: "451" in OutboxItem.objects.filter(task="conventions.send_sign_link").latest("pk").last_error,
        timeout=30,
    )
    assert client.get(f"/sign/{ref}/{token}/").status_code == 200
    smtp_server.refuse(False)
    assert wait_for(_all_done, timeout=45), worker.log()
    [_first, (new_ref, new_token)] = _links_to(smtp_server, "sophie@example.org")
    assert client.get(f"/sign/{new_ref}/{new_token}/").status_code == 200
    assert client.get(f"/sign/{ref}/{token}/").status_code == 404
