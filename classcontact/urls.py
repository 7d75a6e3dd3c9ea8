from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from classcontact import dashboard_views, export_views, import_views, outgoing_views, views
from conventions import public_views as document_public_views
from schools import views as school_views

admin.site.site_header = _("ClassContact administration")
admin.site.site_title = _("ClassContact administration")
admin.site.index_title = _("Portal data")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("staff/", school_views.staff_home, name="staff_home"),
    path("staff/dashboard/", dashboard_views.programme_dashboard, name="programme_dashboard"),
    path("staff/exports/<uuid:job_id>/", export_views.export_job, name="export_job"),
    path("staff/exports/<uuid:job_id>/status/", export_views.export_job_status, name="export_job_status"),
    path("staff/exports/<uuid:job_id>/file/", export_views.export_job_file, name="export_job_file"),
    path("staff/imports/<uuid:job_id>/", import_views.import_job, name="import_job"),
    path("staff/imports/<uuid:job_id>/status/", import_views.import_job_status, name="import_job_status"),
    path("staff/imports/<uuid:job_id>/report.csv", import_views.import_job_report, name="import_job_report"),
    path("staff/classrooms/report/", include("classrooms.report_urls")),
    path("staff/outgoing/", outgoing_views.outgoing, name="outgoing"),
    path(
        "staff/outgoing/mail/<int:email_id>/retry/",
        outgoing_views.outgoing_mail_retry,
        name="outgoing_mail_retry",
    ),
    path(
        "staff/outgoing/work/<int:item_id>/retry/",
        outgoing_views.outgoing_work_retry,
        name="outgoing_work_retry",
    ),
    path("accounts/two-factor/", include("schools.otp_urls")),
    path("accounts/", include("schools.account_urls")),
    path("schools/", include("schools.urls")),
    path("cases/kits/", include("loans.urls")),
    path("cases/", include("cases.urls")),
    path("classrooms/", include("classrooms.urls")),
    path("documents/", include("conventions.urls")),
    path("sign/", include("conventions.public_urls")),
    path("verify/", document_public_views.verify, name="verify"),
    path("helpdesk/", include("helpdesk.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "classcontact.views.error_400"
handler403 = "classcontact.views.error_403"
handler404 = "classcontact.views.error_404"
handler500 = "classcontact.views.error_500"
