"""Per-address limits on the anonymous pages that take input (django-ratelimit's counters).

A page past its limit answers 429 with a page in the visitor's language. The limits are the
RATE_LIMITS setting: URL name (or namespace followed by a colon) -> (methods, "count/period").
"""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage


def client_address(request) -> str:
    """The visitor's address. Behind the proxy, the address it appended to X-Forwarded-For
    (the last one: earlier ones come from the client and prove nothing)."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def _address_key(group, request) -> str:
    return client_address(request)


def limit_for(view_name: str) -> tuple[str, tuple[str, ...], str] | None:
    """(group, methods, rate) of the page, or None when it has no limit."""
    limits = settings.RATE_LIMITS
    group = view_name if view_name in limits else view_name.split(":", 1)[0] + ":"
    if group not in limits:
        return None
    methods, rate = limits[group]
    return group, methods, rate


def limited_response(request, view_name: str):
    """The 429 page when this request goes past its page's limit, else None (and counted)."""
    limit = limit_for(view_name)
    if limit is None or request.method not in limit[1]:
        return None
    group, methods, rate = limit
    usage = get_usage(
        request, group=f"rate:{group}", key=_address_key, rate=rate, method=methods, increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = str(max(1, usage["time_left"]))
    return response
