"""Request guards that apply to every page: session lifetimes and the second factor."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SESSION_ENDED = _("Your session ended after a while without activity, or after too long: log in again.")

# Pages a person who still owes their second factor may open.
SECOND_FACTOR_PAGES = {
    "two_factor:verify",
    "two_factor:setup",
    "logout",
    "admin:logout",
    "set_language",
    "health",
}


class SecondFactorMiddleware:
    """Until the session is verified, people who need a second factor see only its pages.

    After django-otp's OTPMiddleware. Staff pages, their JSON endpoints and the admin all
    answer with a redirect to the code page (or to the set-up page, without a device yet).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from schools.otp import has_authenticator, second_factor_required, session_is_verified

        user = request.user
        if not user.is_authenticated or session_is_verified(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_PAGES:
            return None
        if not second_factor_required(user):
            return None
        target = "two_factor:verify" if has_authenticator(user) else "two_factor:setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class SessionTimeoutMiddleware:
    """Logs out a session past its idle or absolute limit (classcontact/sessions.py).

    After AuthenticationMiddleware and MessageMiddleware; before the second-factor check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from classcontact.sessions import session_expired

        if request.user.is_authenticated and session_expired(request):
            logout(request)
            messages.info(request, SESSION_ENDED)
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers for every page Django answers (static files come from WhiteNoise, before it).

    ``Cache-Control: no-store``: pages show pupils' and health data to people with an account
    and to parents through their links; no browser or proxy keeps a copy. A view that sets its
    own Cache-Control keeps it. ``Permissions-Policy`` turns off features no page uses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class AnonymousBodyLimitMiddleware:
    """Refuses an anonymous request whose body is larger than an upload could be, before
    anything reads it (Django would otherwise stream a large file to disk first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.shortcuts import render

        if request.method not in ("GET", "HEAD", "OPTIONS") and not request.user.is_authenticated:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.ANONYMOUS_BODY_MAX_BYTES:
                context = {"limit_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
                return render(request, "errors/413.html", context, status=413)
        return self.get_response(request)


class RateLimitMiddleware:
    """Applies RATE_LIMITS (classcontact/ratelimits.py) to the pages it names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from classcontact.ratelimits import limited_response

        match = request.resolver_match
        return limited_response(request, match.view_name) if match is not None else None
