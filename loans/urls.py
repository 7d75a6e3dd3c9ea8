"""Kits, loans and visits, under /cases/kits/ (namespace ``loans``).

Everything here needs a login, except the calendar feeds under ``ical/``: their address
carries an unguessable token and is meant for calendar apps.
"""

from django.urls import path

from . import views

app_name = "loans"

urlpatterns = [
    # Finding and reserving kits (staff).
    path("availability/", views.availability, name="availability"),
    path("calendar/<int:kit_type_id>/", views.kit_type_calendar, name="calendar"),
    # Kits.
    path("kit/<int:kit_id>/", views.kit_detail, name="kit_detail"),
    path("kit/<int:kit_id>/room/", views.kit_room, name="kit_room"),
    path("kit/<int:kit_id>/swap/", views.kit_swap, name="kit_swap"),
    # Loans.
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/<int:loan_id>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:loan_id>/check-in/", views.loan_check_in, name="loan_check_in"),
    path("loans/<int:loan_id>/hand-over/", views.loan_hand_over, name="loan_hand_over"),
    path("loans/<int:loan_id>/cancel/", views.loan_cancel, name="loan_cancel"),
    # A school's kits, loans and visits.
    path("school/", views.my_schools, name="my_schools"),
    path("school/<int:school_id>/", views.school_overview, name="school_overview"),
    path("school/<int:school_id>/class-loan/", views.class_loan_new, name="class_loan_new"),
    path("school/<int:school_id>/visits/new/", views.school_visit_new, name="school_visit_new"),
    # Visits.
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/mine/", views.my_visits, name="my_visits"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:visit_id>/done/", views.visit_complete, name="visit_complete"),
    path("visits/<int:visit_id>/reschedule/", views.visit_reschedule, name="visit_reschedule"),
    path("visits/<int:visit_id>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:visit_id>/referral/", views.referral_create, name="referral_create"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    # Calendar feeds: managed with a login, read by calendar apps with the token alone.
    path("feeds/", views.feed_list, name="feed_list"),
    path("feeds/new/", views.feed_create, name="feed_create"),
    path("feeds/<int:feed_id>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", views.feed_ical, name="feed_ical"),
]
