"""Kits, loans and visits, under /cases/kits/ (namespace ``loans``).

Everything here needs a login, except the calendar feeds under ``ical/``: their address
carries an unguessable token and is meant for calendar apps.
"""

from django.urls import path

from .views import feeds, inventory, lending, schools, visits

app_name = "loans"

urlpatterns = [
    # Finding and reserving kits (staff).
    path("availability/", inventory.availability, name="availability"),
    path("availability/export.<str:fmt>", inventory.availability_export, name="availability_export"),
    path("calendar/<int:kit_type_id>/", inventory.kit_type_calendar, name="calendar"),
    # Kits.
    path("kit/<int:kit_id>/", inventory.kit_detail, name="kit_detail"),
    path("kit/<int:kit_id>/room/", inventory.kit_room, name="kit_room"),
    path("kit/<int:kit_id>/swap/", inventory.kit_swap, name="kit_swap"),
    # Loans.
    path("loans/", lending.loan_list, name="loan_list"),
    path("loans/export.<str:fmt>", lending.loan_list_export, name="loan_list_export"),
    path("loans/<int:loan_id>/", lending.loan_detail, name="loan_detail"),
    path("loans/<int:loan_id>/check-in/", lending.loan_check_in, name="loan_check_in"),
    path("loans/<int:loan_id>/hand-over/", lending.loan_hand_over, name="loan_hand_over"),
    path("loans/<int:loan_id>/cancel/", lending.loan_cancel, name="loan_cancel"),
    # A school's kits, loans and visits.
    path("school/", schools.my_schools, name="my_schools"),
    path("school/<int:school_id>/", schools.school_overview, name="school_overview"),
    path("school/<int:school_id>/class-loan/", lending.class_loan_new, name="class_loan_new"),
    path("school/<int:school_id>/visits/new/", visits.school_visit_new, name="school_visit_new"),
    # Visits.
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/export.<str:fmt>", visits.visit_list_export, name="visit_list_export"),
    path("visits/mine/", visits.my_visits, name="my_visits"),
    path("visits/<int:visit_id>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:visit_id>/done/", visits.visit_complete, name="visit_complete"),
    path("visits/<int:visit_id>/reschedule/", visits.visit_reschedule, name="visit_reschedule"),
    path("visits/<int:visit_id>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("visits/<int:visit_id>/referral/", visits.referral_create, name="referral_create"),
    path("referrals/<int:referral_id>/", visits.referral_detail, name="referral_detail"),
    # Calendar feeds: managed with a login, read by calendar apps with the token alone.
    path("feeds/", feeds.feed_list, name="feed_list"),
    path("feeds/new/", feeds.feed_create, name="feed_create"),
    path("feeds/<int:feed_id>/revoke/", feeds.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", feeds.feed_ical, name="feed_ical"),
]
