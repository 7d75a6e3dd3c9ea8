"""Staff roles as Django groups, with rights given per model and action.

``RIGHTS`` is the one table: for every model, what each role may do with it in the admin.
A model left out of the table gives no right to anyone but superusers; a test checks that
every model of the project apps has its row, so a new model is a deliberate choice.

The groups are brought up to date after every migration, so a change of the table reaches
the database without a hand-written data migration.

Choices worth knowing: technicians keep the inventory catalogue (kit types and their
components) as well as kits, items, repairs, loans, visits and referrals, but delete
nothing (a kit is retired, not deleted, so its history stays); they read cases without
health data and change nothing of a case, a guardian or a document. Helpdesk agents own
everything of the helpdesk and read schools, kits, loans and cases. Read-only staff read
every model. Health fields are guarded apart from these rights: only coordinators read them.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import ProgrammeRole, StaffRole
from .selectors import user_staff_roles

PROJECT_APPS = ("schools", "loans", "cases", "classrooms", "conventions", "helpdesk")

ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}

# The columns of RIGHTS, in order.
ROLES = (StaffRole.COORDINATOR, StaffRole.TECHNICIAN, StaffRole.HELPDESK_AGENT, StaffRole.READ_ONLY)

# fmt: off
RIGHTS: dict[str, tuple[str, str, str, str]] = {
    # model                          coordinator technician helpdesk read-only
    "schools.user":                  ("vacd", "v",   "v",    "v"),
    "schools.calendar":              ("vacd", "v",   "v",    "v"),
    "schools.schoolyear":            ("vacd", "v",   "v",    "v"),
    "schools.trimester":             ("vacd", "v",   "v",    "v"),
    "schools.holiday":               ("vacd", "v",   "v",    "v"),
    "schools.school":                ("vacd", "v",   "v",    "v"),
    "schools.schoolclass":           ("vacd", "v",   "v",    "v"),
    "schools.membership":            ("vacd", "v",   "v",    "v"),
    "schools.invitation":            ("vacd", "v",   "v",    "v"),
    "schools.district":              ("vacd", "v",   "v",    "v"),
    # Reminders: written by the reminder engine and the case pages only.
    "schools.remindersent":          ("v",    "v",   "v",    "v"),
    "schools.remindersilence":       ("v",    "v",   "v",    "v"),
    # Who lost a device and why: written by the superuser's reset page only.
    "schools.secondfactorreset":     ("v",    "",    "",     "v"),
    "loans.kittype":                 ("vacd", "vac", "v",    "v"),
    "loans.kittypecomponent":        ("vacd", "vac", "v",    "v"),
    "loans.kit":                     ("vacd", "vac", "v",    "v"),
    "loans.item":                    ("vacd", "vac", "v",    "v"),
    "loans.kitevent":                ("vacd", "v",   "v",    "v"),
    "loans.repair":                  ("vacd", "vac", "v",    "v"),
    "loans.loan":                    ("vacd", "vac", "v",    "v"),
    "loans.itemcheck":               ("vacd", "vac", "v",    "v"),
    "loans.visit":                   ("vacd", "vac", "v",    "v"),
    "loans.internetreferral":        ("vacd", "vac", "v",    "v"),
    "loans.calendarfeed":            ("vacd", "v",   "",     "v"),
    # Kit use by kit type and day: written by the loan services only.
    "loans.loanuse":                 ("",     "",    "",     ""),
    "loans.kituseday":               ("",     "",    "",     ""),
    "cases.connectioncase":          ("vacd", "v",   "v",    "v"),
    "cases.guardian":                ("vacd", "v",   "v",    "v"),
    "cases.caseevent":               ("vacd", "v",   "v",    "v"),
    "cases.healthdataaccess":        ("vacd", "",    "",     "v"),
    # A pupil's export: made and downloaded on the case's data protection page only.
    "cases.pupilexport":             ("v",    "",    "",     ""),
    # The dashboard's figures: written by the services that change cases and tickets only.
    "cases.casefigures":             ("",     "",    "",     ""),
    "cases.dailyfigures":            ("",     "",    "",     ""),
    "cases.waitfigures":             ("",     "",    "",     ""),
    # Mobile classroom programme: coordinators set up campaigns; the programme's own roles
    # work on its pages, never in the admin. Timelines are append-only.
    "classrooms.campaign":           ("vacd", "v",   "",     "v"),
    "classrooms.application":        ("vac",  "v",   "",     "v"),
    "classrooms.applicationattachment": ("v", "",    "",     "v"),
    "classrooms.applicationevent":   ("v",    "",    "",     "v"),
    "classrooms.commissionsession":  ("vac",  "v",   "",     "v"),
    "classrooms.proposal":           ("v",    "v",   "",     "v"),
    # Training sessions are planned and registered on the programme's pages; seats never change.
    "classrooms.trainingsession":    ("vc",   "v",   "",     "v"),
    "classrooms.trainingregistration": ("v",  "",    "",     "v"),
    # A class's follow-up and evaluation are written on the programme's pages only.
    "classrooms.classfollowup":      ("v",    "v",   "",     "v"),
    "classrooms.followupnote":       ("v",    "",    "",     "v"),
    "classrooms.production":         ("v",    "",    "",     "v"),
    "classrooms.reportjob":          ("v",    "",    "",     "v"),
    "conventions.templateversion":   ("vacd", "v",   "",     "v"),
    "conventions.document":          ("vacd", "v",   "",     "v"),
    "conventions.documentfile":      ("vacd", "v",   "",     "v"),
    "conventions.signature":         ("vacd", "v",   "",     "v"),
    "conventions.signinglink":       ("vacd", "",    "",     "v"),
    "conventions.schoolconsent":     ("vacd", "v",   "",     "v"),
    "helpdesk.ticket":               ("vacd", "v",   "vacd", "v"),
    "helpdesk.ticketmessage":        ("vacd", "v",   "vacd", "v"),
    "helpdesk.ticketattachment":     ("vacd", "v",   "vacd", "v"),
    "helpdesk.target":               ("vacd", "v",   "vacd", "v"),
    "helpdesk.cannedreply":          ("vacd", "v",   "vacd", "v"),
    "helpdesk.helparticle":          ("vacd", "v",   "vacd", "v"),
    "helpdesk.ticketfigures":        ("",     "",    "",     ""),
    "helpdesk.dailyticketfigures":   ("",     "",    "",     ""),
    # The mail queue (read only: mails are sent again from the outgoing-mail page).
    "post_office.email":             ("vd",   "",    "",     "v"),
    # Login lockouts: coordinators look them up and lift them.
    "axes.accessattempt":            ("vd",   "",    "",     ""),
    "axes.accesslog":                ("vd",   "",    "",     ""),
    "axes.accessfailurelog":         ("vd",   "",    "",     ""),
}
# fmt: on


def role_actions(role: str, model_label: str) -> set[str]:
    """The actions (``view``, ``add``, ``change``, ``delete``) ``role`` has on a model."""
    row = RIGHTS.get(model_label.lower())
    if row is None or role not in ROLES:
        return set()
    return {ACTIONS[letter] for letter in row[ROLES.index(role)]}


def user_has_right(user, action: str, model_label: str) -> bool:
    """Whether one of the user's staff roles may ``action`` (view, add…) the model, per ``RIGHTS``.

    Staff pages outside the admin (dashboard, exports) ask this table too, so that a role's
    rights read the same everywhere; superusers count as coordinators.
    """
    return any(action in role_actions(role, model_label) for role in user_staff_roles(user))


def _permissions_for(role: str) -> list[Permission]:
    query = Q(pk__in=[])
    for model_label in RIGHTS:
        actions = role_actions(role, model_label)
        if not actions:
            continue
        app_label, model_name = model_label.split(".")
        query |= Q(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model_name}" for action in actions],
        )
    return list(Permission.objects.filter(query))


def ensure_staff_groups() -> None:
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(role))
    # The mobile classroom programme's roles: groups without any admin permission.
    for role in ProgrammeRole.values:
        Group.objects.get_or_create(name=role)


def ensure_staff_groups_after_migrate(sender, **kwargs) -> None:
    ensure_staff_groups()
