"""Session lifetimes and ending every session of a person.

A session ends after ``idle`` minutes without a request (staff: 30, schools: 120) and, in any
case, ``SESSION_ABSOLUTE_HOURS`` after the login. A new password, a deactivated account or a
lost privilege (staff flag, superuser) ends every session of the person.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

STARTED_AT = "session_started_at"
LAST_SEEN_AT = "session_last_seen_at"
IDLE_LIMIT = "session_idle_limit"
# Fields whose change ends every session of the person.
SESSION_ENDING_FIELDS = ("password", "is_active", "is_staff", "is_superuser")


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


def idle_limit_seconds(user) -> int:
    """Staff and staff roles get the short limit. Worked out at login and kept in the session."""
    from schools.otp import SECOND_FACTOR_ROLES

    staff = user.is_staff or user.is_superuser or user.groups.filter(name__in=SECOND_FACTOR_ROLES).exists()
    minutes = settings.SESSION_IDLE_STAFF_MINUTES if staff else settings.SESSION_IDLE_MINUTES
    return minutes * 60


def session_expired(request, now: float | None = None) -> bool:
    """Whether the logged-in session is past its idle or absolute limit; else notes the activity."""
    now = time.time() if now is None else now
    session = request.session
    started = session.setdefault(STARTED_AT, now)
    last_seen = session.get(LAST_SEEN_AT, now)
    if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return True
    if IDLE_LIMIT not in session:
        session[IDLE_LIMIT] = idle_limit_seconds(request.user)
    if now - last_seen > session[IDLE_LIMIT]:
        return True
    if now - last_seen >= 30 or LAST_SEEN_AT not in session:
        # Written at most every 30 seconds: a page's many requests cost one session save.
        session[LAST_SEEN_AT] = now
    return False


def note_login(sender, request, user, **kwargs) -> None:
    """user_logged_in: the absolute lifetime counts from here (Django gave a new session id)."""
    now = time.time()
    request.session[STARTED_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session[IDLE_LIMIT] = idle_limit_seconds(user)


def remember_session_ending_fields(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save of the user: note whether a change must end the person's sessions."""
    instance._ends_sessions = False
    if instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(SESSION_ENDING_FIELDS):
        return
    before = sender.objects.filter(pk=instance.pk).values(*SESSION_ENDING_FIELDS).first()
    if before is None:
        return
    changed = {field for field in SESSION_ENDING_FIELDS if before[field] != getattr(instance, field)}
    lost_a_privilege = any(
        before[field] and not getattr(instance, field) for field in SESSION_ENDING_FIELDS[1:]
    )
    instance._ends_sessions = "password" in changed or lost_a_privilege


def end_sessions_after_save(sender, instance, **kwargs) -> None:
    """post_save of the user: end every session once the change is committed."""
    if getattr(instance, "_ends_sessions", False):
        from django.db import transaction

        user_id = instance.pk
        transaction.on_commit(lambda: sessions_end_for_user(user_id=user_id))
