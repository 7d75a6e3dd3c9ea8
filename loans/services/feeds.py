"""Calendar feeds: a secret address per technician or school, revocable."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from classcontact.tokens import token_new
from schools.models import School, User

from ..models import (
    CalendarFeed,
)


def _feed_create(
    *, by: User, user: User | None = None, school: School | None = None
) -> tuple[CalendarFeed, str]:
    now = timezone.now()
    owner = Q(user=user) if user is not None else Q(school=school)
    for older in CalendarFeed.objects.select_for_update().filter(owner, revoked_at__isnull=True):
        older.revoked_at = now
        older._history_user = by
        older.save(update_fields=["revoked_at"])
    token, token_hash = token_new()
    feed = CalendarFeed(token_hash=token_hash, user=user, school=school, created_by=by)
    feed._history_user = by
    feed.save()
    return feed, token


@transaction.atomic
def feed_create_for_technician(*, technician: User, by: User) -> tuple[CalendarFeed, str]:
    """A new private calendar address of a technician's visits; an older address stops working.

    Returns the feed and its token: only the token's hash is stored, so the address can be
    shown this once.
    """
    return _feed_create(by=by, user=technician)


@transaction.atomic
def feed_create_for_school(*, school: School, by: User) -> tuple[CalendarFeed, str]:
    """A new private calendar address of a school's visits; an older address stops working."""
    return _feed_create(by=by, school=school)


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """The address stops working at once (it answers like an unknown one)."""
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed._history_user = by
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_mark_read(*, feed: CalendarFeed) -> None:
    """Note when a calendar app last read the feed (at most once an hour; not history-worthy)."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > datetime.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
