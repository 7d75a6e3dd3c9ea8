from django.core import mail
import pytest

from classcontact.emails import send_templated_mail


@pytest.mark.django_db
def test_text_parts_are_not_html_escaped_but_html_parts_are(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send_invitation()
    message = mail.outbox[0]
    assert "L'école d'Anne & <Co>" in message.subject
    assert "L'école d'Anne & <Co>" in message.body
    html = message.alternatives[0][0]
    assert "L&#x27;école d&#x27;Anne &amp; &lt;Co&gt;" in html
    assert message.alternatives[0][1] == "text/html"


def _send_invitation():
    send_templated_mail(
        name="invitation",
        to=["someone@example.org"],
        context={
            "school_name": "L'école d'Anne & <Co>",
            "role": "Director",
            "link": "https://portal.example.org/accounts/invitation/abc/",
            "expires_at": None,
            "inviter": "Claire",
        },
        language="en",
    )
