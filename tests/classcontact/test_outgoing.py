"""Staff page of outgoing mail and waiting work: reasons shown, retries, refused to others."""

from django.core import mail
from django.urls import reverse
from post_office.models import STATUS, Email
import pytest

from classcontact.emails import send_templated_mail
from classcontact.models import OutboxItem, OutboxState

pytestmark = pytest.mark.django_db

REFUSED = "(451, b'Mailbox temporarily unavailable')"


def _refused_mail(settings, capture, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    smtp_server.refuse()
    with capture(execute=True):
        send_templated_mail(
            name="invitation-deactivated-staff",
            to=["someone@example.org"],
            context={"email": "x@example.org", "school_name": "École A", "inviter": ""},
        )
    return Email.objects.get()


def test_a_refused_mail_shows_the_servers_reason_and_is_sent_on_retry(
    client, coordinator, settings, smtp_server, django_capture_on_commit_callbacks
):
    email = _refused_mail(settings, django_capture_on_commit_callbacks, smtp_server)
    client.force_login(coordinator)
    page = client.get(reverse("outgoing") + "?mail=failed").content.decode()

    assert email.status == STATUS.failed
    assert "Mailbox temporarily unavailable" in page
    assert OutboxItem.objects.get().state == OutboxState.PENDING  # waiting for its next try
    smtp_server.refuse(False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outgoing_mail_retry", kwargs={"email_id": email.pk}))
    email.refresh_from_db()
    assert email.status == STATUS.sent
    assert len(smtp_server.received) == 1


def test_waiting_work_can_be_tried_again(client, coordinator, django_capture_on_commit_callbacks):
    item = OutboxItem.objects.create(
        task="classcontact.ping", key="stuck", kwargs={}, state=OutboxState.FAILED, attempts=12
    )
    client.force_login(coordinator)
    assert "classcontact.ping" in client.get(reverse("outgoing")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outgoing_work_retry", kwargs={"item_id": item.pk}))
    item.refresh_from_db()
    assert response.status_code == 302 and item.state == OutboxState.DONE


@pytest.mark.parametrize("who", ["technician", "helpdesk_agent", "director_a"])
def test_other_people_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("outgoing")).status_code == 403
    assert client.get(reverse("conventions:staff_preparing")).status_code == 403
    assert client.post(reverse("outgoing_work_retry", kwargs={"item_id": 1})).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert client.get(reverse("outgoing")).status_code == 302


def test_a_document_stuck_in_preparation_shows_since_when_and_is_prepared_again(
    client, coordinator, school_a, director_a, monkeypatch, django_capture_on_commit_callbacks
):
    from conventions import services
    from conventions.models import DocumentKind, DocumentStatus
    from conventions.services import ensure_default_templates
    from tests.builders.cases import make_case

    ensure_default_templates()
    case = make_case(school_a, director_a, coordinator, "eligible")
    monkeypatch.setattr(
        services.documents, "_render_bytes", lambda *a: (_ for _ in ()).throw(OSError("disk"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_prepare(case=case, kind=DocumentKind.CLASSMATES_LETTER, by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("conventions:staff_preparing")).content.decode()
    monkeypatch.undo()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conventions:staff_render_retry", kwargs={"document_id": document.public_id}))
    document.refresh_from_db()

    assert case.number in page and "ago" in page
    assert document.status == DocumentStatus.READY
    assert [m.extra_headers["X-ClassContact-Mail"] for m in mail.outbox] == ["document-ready"]
