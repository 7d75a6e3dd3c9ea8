"""The yearly report's addresses, under the staff area (/staff/classrooms/report/)."""

from django.urls import path

from .views import report

app_name = "classroom_report"

urlpatterns = [
    path("", report.report_home, name="home"),
    path("jobs/<uuid:job_id>/", report.report_job, name="job"),
    path("jobs/<uuid:job_id>/status/", report.report_job_status, name="job_status"),
    path("jobs/<uuid:job_id>/file/", report.report_job_file, name="job_file"),
    path("<str:school_year>/", report.report_page, name="year"),
    path("<str:school_year>/pdf/", report.report_pdf_start, name="pdf"),
    path("<str:school_year>/report.<str:fmt>", report.report_download, name="download"),
]
