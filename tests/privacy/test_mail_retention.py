"""The daily purge deletes e-mails sent or given up on long ago, with their attempts and the
files only they carried; mails still to deliver, recent ones and shared files stay."""

import datetime

from django.utils import timezone
from post_office.models import STATUS, Attachment, Email, Log
import pytest

from cases.tasks import purge_expired
from classcontact.emails import send_templated_mail

pytestmark = pytest.mark.django_db

CONTEXT = {"email": "x@example.org", "school_name": "École A", "inviter": ""}


def _mail(capture, *, to: str, status: str, days_ago: int, attachments=()) -> Email:
    with capture(execute=status != STATUS.queued):
        email = send_templated_mail(
            name="invitation-deactivated-staff", to=[to], context=CONTEXT, attachments=attachments
        )
    Email.objects.filter(pk=email.pk).update(
        status=status, created=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return email


def test_old_delivered_mails_go_with_their_files_and_the_rest_stays(
    settings, django_capture_on_commit_callbacks
):
    days = settings.RETENTION_MAIL_DAYS
    capture = django_capture_on_commit_callbacks
    old_sent = _mail(capture, to="a@example.org", status=STATUS.sent, days_ago=days + 1,
                     attachments=[("copie.pdf", b"%PDF-1.7 old", "application/pdf")])  # fmt: skip
    old_failed = _mail(capture, to="b@example.org", status=STATUS.failed, days_ago=days + 30)
    old_queued = _mail(capture, to="c@example.org", status=STATUS.queued, days_ago=days + 1)
    recent = _mail(capture, to="d@example.org", status=STATUS.sent, days_ago=days - 1)
    only_old = old_sent.attachments.get()
    shared = Attachment.objects.create(name="guide.pdf")
    shared.file.save("guide.pdf", only_old.file.file, save=True)
    shared.emails.add(old_failed, recent)
    Log.objects.create(email=old_failed, status=STATUS.failed, message="550 no such mailbox")
    storage, old_file, shared_file = only_old.file.storage, only_old.file.name, shared.file.name

    totals = purge_expired()

    assert totals["old mails"] == 2 and totals["old mail attachments"] == 1
    assert set(Email.objects.values_list("pk", flat=True)) == {old_queued.pk, recent.pk}
    assert not Log.objects.filter(email_id__in=[old_sent.pk, old_failed.pk]).exists()
    assert not Attachment.objects.filter(pk=only_old.pk).exists() and not storage.exists(old_file)
    assert list(recent.attachments.all()) == [shared] and storage.exists(shared_file)
    assert "old mails" not in purge_expired()  # nothing left to do the next day


def test_the_period_is_a_setting(settings, django_capture_on_commit_callbacks):
    mail = _mail(django_capture_on_commit_callbacks, to="a@example.org", status=STATUS.sent, days_ago=40)
    settings.RETENTION_MAIL_DAYS = 60
    purge_expired()
    assert Email.objects.filter(pk=mail.pk).exists()
    settings.RETENTION_MAIL_DAYS = 30
    purge_expired()
    assert not Email.objects.filter(pk=mail.pk).exists()
