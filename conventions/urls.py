from django.urls import path

from . import staff_views, views

app_name = "conventions"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("preparing/", staff_views.staff_preparing, name="staff_preparing"),
    path("<uuid:document_id>/prepare-again/", staff_views.staff_render_retry, name="staff_render_retry"),
    path("case/<uuid:case_id>/", views.case_documents_page, name="case"),
    path("case/<uuid:case_id>/send/", views.case_documents_send, name="send"),
    path("case/<uuid:case_id>/prepare/", views.case_document_prepare, name="prepare"),
    path("case/<uuid:case_id>/end-link/<int:position>/", views.case_end_link_send, name="end_link"),
    path("<uuid:document_id>/", views.document_detail, name="detail"),
    path("<uuid:document_id>/status/", views.document_status, name="status"),
    path("<uuid:document_id>/download/", views.document_download, name="download"),
    path("<uuid:document_id>/download/signed/", views.document_download_signed, name="download_signed"),
    path("<uuid:document_id>/sign/", views.document_sign, name="sign"),
    path("<uuid:document_id>/countersign/", views.document_countersign, name="countersign"),
    path("signatures/<int:signature_id>/resend/", views.signature_link_resend, name="resend"),
    path("signatures/<int:signature_id>/image/", views.signature_image, name="signature_image"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/version/<int:version_id>/", views.template_detail, name="template_detail"),
    path("templates/<str:kind>/<str:language>/", views.template_history, name="template_history"),
    path("templates/<str:kind>/<str:language>/new/", views.template_edit, name="template_edit"),
    path("verify/", views.verification_staff, name="verify"),
]
