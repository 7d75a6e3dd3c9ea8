"""A parent's personal link, mounted at /sign/ (pages without an account)."""

from django.urls import path

from . import public_views

app_name = "sign"

urlpatterns = [
    # What the portal keeps about a pupil, for parents (no account), in French or English.
    path("privacy/<str:language>/", public_views.privacy, name="privacy"),
    path("<uuid:ref>/<str:token>/", public_views.link_page, name="page"),
    path("<uuid:ref>/<str:token>/document.pdf", public_views.link_pdf, name="pdf"),
]
