from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_open, name="ticket_open"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/suggest/", views.article_suggest, name="article_suggest"),
    path("articles/<int:article_id>/", views.article_detail, name="article_detail"),
    path("staff/", views.staff_queue, name="staff_queue"),
    path("staff/export.<str:fmt>", views.staff_queue_export, name="staff_queue_export"),
    path("staff/tickets/<int:ticket_id>/", views.staff_ticket_detail, name="staff_ticket_detail"),
    path("staff/tickets/<int:ticket_id>/history/", views.staff_ticket_history, name="staff_ticket_history"),
    path("staff/tickets/<int:ticket_id>/reply/", views.staff_ticket_reply, name="staff_ticket_reply"),
    path("staff/tickets/<int:ticket_id>/assign/", views.staff_ticket_assign, name="staff_ticket_assign"),
    path("staff/tickets/<int:ticket_id>/status/", views.staff_ticket_status, name="staff_ticket_status"),
    path("staff/tickets/<int:ticket_id>/triage/", views.staff_ticket_triage, name="staff_ticket_triage"),
    path("staff/tickets/<int:ticket_id>/merge/", views.staff_ticket_merge, name="staff_ticket_merge"),
    path("staff/tickets/<int:ticket_id>/link/", views.staff_ticket_link, name="staff_ticket_link"),
]
