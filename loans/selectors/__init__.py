"""Reads of kits, loans and visits, always scoped to what a person may see.

Every list here is read in a fixed number of queries whatever the number of rows. One module
per part of the logistics: who sees what, inventory, lending, visits, a school's side, feeds.
"""

from .feeds import (
    feed_for_token,
    feed_visits,
    feeds_of,
)
from .inventory import (
    CALENDAR_SYMBOLS,
    FREE_KITS_COUNT_CAP,
    CalendarCell,
    CalendarRow,
    calendar_weeks,
    kit_for_page,
    kit_loans,
    kit_missing_components,
    kit_repairs,
    kit_timeline,
    kit_type_calendar_kits,
    kit_type_calendar_rows,
    kit_types,
    kits_free_between,
)
from .lending import (
    KitPanel,
    LoanFilters,
    holder_kit_panel,
    holder_open_loan,
    loan_for_checkin,
    loan_items,
    loan_list,
)
from .schools import (
    SchoolOverview,
    school_overview,
)
from .usage import (
    KitUse,
    kit_use,
    kit_use_from_loans,
)
from .visibility import (
    OPEN_LOAN_STATES,
    kits_visible_to,
    loans_visible_to,
    referrals_visible_to,
    schools_with_kits_for,
    user_manages_inventory,
    user_plans_visits,
    user_sees_all_visits,
    visits_visible_to,
)
from .visits import (
    Agenda,
    VisitFilters,
    technician_agenda,
    visit_for_page,
    visit_list,
)

__all__ = [
    "Agenda",
    "CALENDAR_SYMBOLS",
    "CalendarCell",
    "CalendarRow",
    "KitPanel",
    "KitUse",
    "LoanFilters",
    "OPEN_LOAN_STATES",
    "SchoolOverview",
    "VisitFilters",
    "calendar_weeks",
    "feed_for_token",
    "feed_visits",
    "feeds_of",
    "holder_kit_panel",
    "holder_open_loan",
    "kit_for_page",
    "kit_loans",
    "kit_missing_components",
    "kit_repairs",
    "kit_timeline",
    "kit_type_calendar_kits",
    "kit_type_calendar_rows",
    "kit_types",
    "kit_use",
    "kit_use_from_loans",
    "FREE_KITS_COUNT_CAP",
    "kits_free_between",
    "kits_visible_to",
    "loan_for_checkin",
    "loan_items",
    "loan_list",
    "loans_visible_to",
    "referrals_visible_to",
    "school_overview",
    "schools_with_kits_for",
    "technician_agenda",
    "user_manages_inventory",
    "user_plans_visits",
    "user_sees_all_visits",
    "visit_for_page",
    "visit_list",
    "visits_visible_to",
]
