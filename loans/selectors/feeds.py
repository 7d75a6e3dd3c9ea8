"""Calendar feeds: a feed by its token, its visits, the feeds a person may see."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from schools.selectors import managed_school_ids

from ..models import CalendarFeed, Visit

# --- calendar feeds --------------------------------------------------------------------------


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed of a token, or None for an unknown or revoked one (the same answer)."""
    from classcontact.tokens import hash_token

    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user", "school")
        .first()
    )


def feed_visits(feed: CalendarFeed, *, now: datetime.datetime | None = None) -> list[Visit]:
    """Visits of the last 60 days and to come, of the feed's technician or school (one query)."""
    now = now or timezone.now()
    visits = Visit.objects.filter(starts_at__gte=now - datetime.timedelta(days=60))
    visits = visits.filter(technician=feed.user) if feed.user_id else visits.filter(school=feed.school)
    return list(visits.select_related("school", "technician").order_by("starts_at", "pk")[:1000])


def feeds_of(user) -> QuerySet[CalendarFeed]:
    """The active feeds a user may see: their own and those of the schools they direct."""
    feeds = CalendarFeed.objects.filter(revoked_at__isnull=True)
    school_ids = managed_school_ids(user)
    return feeds.filter(Q(user=user) | Q(school_id__in=school_ids)).select_related("school", "user")
