from django.urls import path

from . import otp_views

app_name = "two_factor"

urlpatterns = [
    path("", otp_views.setup, name="setup"),
    path("verify/", otp_views.verify, name="verify"),
    path("recovery-codes/", otp_views.recovery_codes, name="recovery_codes"),
    path("reset/", otp_views.reset, name="reset"),
]
