"""The second factor's pages: set up an authenticator, type a code, renew codes, reset (superuser)."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
import qrcode
import qrcode.image.svg

from . import otp
from .otp_forms import CodeForm, ResetForm
from .otp_models import SecondFactorReset


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the authenticator app, or one recovery code."""
    if not otp.has_authenticator(request.user):
        return redirect("two_factor:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp.second_factor_verify(request=request, token=form.cleaned_data["code"])
        except otp.SecondFactorError as error:
            form.add_error("code", error.message)
        else:
            return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "demo_codes": otp.demo_codes_of(request.user)}
    return render(request, "registration/two_factor_verify.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator app; shows the recovery codes once when done."""
    has_device = otp.has_authenticator(request.user)
    if has_device and not otp.session_is_verified(request):
        # Replacing a device takes the current one: a password alone is not enough.
        return redirect("two_factor:verify")
    device = otp.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.authenticator_confirm(request=request, token=form.cleaned_data["code"])
        except otp.SecondFactorError as error:
            form.add_error("code", error.message)
        else:
            context = {"codes": codes, "next": _next_url(request)}
            return render(request, "registration/two_factor_codes.html", context)
    context = {
        "form": form,
        "has_device": has_device,
        "required": otp.second_factor_required(request.user),
        "secret": base64.b32encode(device.bin_key).decode(),
        "qr_svg": _qr_svg(device.config_url),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not (otp.has_authenticator(request.user) and otp.session_is_verified(request)):
        return redirect("two_factor:setup")
    codes = otp.recovery_codes_renew(user=request.user)
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": ""})


@never_cache
@login_required
def reset(request: HttpRequest) -> HttpResponse:
    """A superuser removes the second factor of a person who lost their phone, with a reason."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            form.add_error("email", _("Nobody has this e-mail address."))
        else:
            try:
                otp.second_factor_reset(
                    user=person, reset_by=request.user, reason=form.cleaned_data["reason"]
                )
            except otp.SecondFactorError as error:
                form.add_error("reason", error.message)
            else:
                messages.success(
                    request,
                    _("%(person)s sets up a new second factor at their next login.") % {"person": person},
                )
                return redirect("two_factor:reset")
    resets = SecondFactorReset.objects.select_related("user", "reset_by")[:50]
    context = {"form": form, "resets": resets}
    return render(request, "registration/two_factor_reset.html", context, status=400 if form.errors else 200)
