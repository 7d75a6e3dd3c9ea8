"""Ending every session of a person (second factor reset, deactivation, new password)."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_end_for_user(*, user_id: int) -> int:
    """Delete every live session of ``user_id``; returns how many ended.

    Sessions are signed blobs, so each live one is read; the absolute lifetime keeps them few.
    """
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_id):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
