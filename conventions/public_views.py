"""Pages without an account: a parent's personal link (/sign/) and the verification page (/verify/).

Every unknown, expired, used, replaced or misdirected link gets the very same page, with
the same status code and nothing about any case. These pages load nothing from another
site, are never cached, and tell the browser never to send their address (which holds
the token) to anyone.
"""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from classcontact.storage import private_download

from . import services
from .content import body_context
from .defaults import ORGANISATION
from .forms import EndRequestForm, GuardianSignForm, VerificationForm
from .models import FileVariant, LinkPurpose
from .selectors import verify_sha256
from .views import client_ip

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def public_page(view):
    """Headers of every page a parent or a visitor opens without an account."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store, private"
        if not response.has_header("Content-Security-Policy") and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    return never_cache(wrapper)


def _invalid(request: HttpRequest) -> HttpResponse:
    """The one page for every link that cannot be used; it says nothing about any case."""
    return render(request, "conventions/link_invalid.html", status=404)


def _in_language(language: str, render_page):
    with translation.override(language):
        response = render_page()
        response["Content-Language"] = language
    return response


# No CSRF token on these forms: what authorises a post is the secret in its own address, which a
# forging site cannot know; no cookie grants anything here. (With "Referrer-Policy: no-referrer"
# browsers also send "Origin: null" on these posts, which Django's origin check would refuse.)
@public_page
@csrf_exempt
@require_http_methods(["GET", "POST"])
def link_page(request: HttpRequest, ref, token: str) -> HttpResponse:
    """A parent's personal page: sign the engagement, or say the kit is no longer needed."""
    try:
        if request.method == "GET":
            link = services.link_open(ref=ref, token=token)
        else:
            link = services.link_for_token(ref=ref, token=token)
    except services.LinkInvalid:
        return _invalid(request)
    language = link.guardian.language
    if link.purpose == LinkPurpose.END:
        return _in_language(language, lambda: _end_page(request, link, ref, token))
    return _in_language(language, lambda: _sign_page(request, link, ref, token))


def _sign_page(request: HttpRequest, link, ref, token: str) -> HttpResponse:
    document = link.signature.document
    original = document.files.filter(variant=FileVariant.ORIGINAL).first()
    if original is None:  # a link is only sent once the file exists; be safe all the same
        return _invalid(request)
    status = 200
    if request.method == "POST":
        form = GuardianSignForm(request.POST, commitments=document.clauses)
        if form.is_valid():
            try:
                services.signature_sign_by_link(
                    ref=ref,
                    token=token,
                    typed_name=form.cleaned_data["typed_name"],
                    commitments=form.ticked,
                    shown_sha256=form.cleaned_data["document_sha256"],
                    image=form.cleaned_data["signature_image"],
                    ip=client_ip(request),
                    user_agent=request.headers.get("User-Agent", ""),
                )
            except services.LinkInvalid:
                return _invalid(request)
            except services.DocumentError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                return render(
                    request,
                    "conventions/signature_done.html",
                    {"guardian_email": link.guardian.email, "kind_label": document.get_kind_display()},
                )
        else:
            status = 400
    else:
        form = GuardianSignForm(initial={"document_sha256": original.sha256}, commitments=document.clauses)
    context = {
        "document": document,
        "body": body_context(document),
        "form": form,
        "ref": ref,
        "token": token,
        "expires_at": link.expires_at,
    }
    return render(request, "conventions/signature_link.html", context, status=status)


def _end_page(request: HttpRequest, link, ref, token: str) -> HttpResponse:
    case = link.guardian.case
    status = 200
    if request.method == "POST":
        form = EndRequestForm(request.POST)
        if form.is_valid():
            try:
                services.end_request_by_link(
                    ref=ref,
                    token=token,
                    last_day=form.cleaned_data["last_day"],
                    note=form.cleaned_data["note"],
                )
            except services.LinkInvalid:
                return _invalid(request)
            except services.DocumentError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                return render(request, "conventions/end_done.html", {})
        else:
            status = 400
    else:
        form = EndRequestForm(initial={"last_day": timezone.localdate()})
    context = {"form": form, "pupil_first_name": case.pupil_first_name, "school_name": case.school.name}
    return render(request, "conventions/end_form.html", context, status=status)


@public_page
@require_http_methods(["GET"])
def link_pdf(request: HttpRequest, ref, token: str) -> HttpResponse:
    """The PDF of the document a parent is asked to sign, through their own link only."""
    try:
        link = services.link_open(ref=ref, token=token)
    except services.LinkInvalid:
        return _invalid(request)
    if link.purpose != LinkPurpose.SIGN:
        return _invalid(request)
    document = link.signature.document
    original = document.files.filter(variant=FileVariant.ORIGINAL).first()
    if original is None:
        return _invalid(request)
    return private_download(original.file, filename=f"{document.kind}.pdf", inline=True)


@public_page
@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check a PDF or its SHA-256: the answer is yes or no, the kind and the date.

    Exempt from CSRF like the personal links: it changes nothing and uses no session.
    """
    result = None
    status = 200
    if request.method == "POST":
        form = VerificationForm(request.POST, request.FILES)
        if form.is_valid():
            result = verify_sha256(form.digest())
        else:
            status = 400
    else:
        form = VerificationForm()
    return render(
        request, "conventions/verification_public.html", {"form": form, "result": result}, status=status
    )


PRIVACY_LANGUAGES = ("fr", "en")


@require_http_methods(["GET", "HEAD"])
def privacy(request: HttpRequest, language: str) -> HttpResponse:
    """For parents, without an account: what is kept about their child, how long, their rights."""
    if language not in PRIVACY_LANGUAGES:
        raise Http404
    context = {
        "organisation": ORGANISATION,
        "case_months": settings.RETENTION_CASE_MONTHS,
        "document_years": settings.RETENTION_DOCUMENT_YEARS,
        "ticket_months": settings.RETENTION_TICKET_MONTHS,
        "export_days": settings.PUPIL_EXPORT_KEEP_DAYS,
        "other_language": "en" if language == "fr" else "fr",
    }
    return _in_language(language, lambda: render(request, "conventions/privacy.html", context))
