"""One reminder engine for every programme: apps declare rules, Celery beat runs them.

A rule says which occasions wait now (a document to sign, a visit tomorrow, a loan past its
end), who is reminded, after how many **school days** of the occasion's school calendar
(weekends and holidays do not count, and nobody is reminded on them), how many times, and
who is alerted afterwards. Each reminder goes at most once per rule, occasion, recipient
and step: a unique ``ReminderSent`` row written in the same transaction as the queued mail.

Declaring a rule (in an app's ``reminders.py``, imported by its ``AppConfig.ready``)::

    from schools.reminders import Occasion, Recipient, Rule, register

    def _applications_waiting(today, subject=None):
        for application in ...:  # filter on ``subject`` ("app.model:pk") when given
            yield Occasion(
                key=f"application:{application.pk}",
                since=application.submitted_on,
                school=application.school,
                recipients=[Recipient(inspector.email, inspector.language)],
                context={"application": application, "link": ...},
                subject=subject_of(application),
            )

    register(Rule(name="classrooms.opinion_waiting", occasions=_applications_waiting,
                  steps=(3, 8), mail="reminder-opinion"))

``mail`` names the three templates emails/<mail>-subject.txt|-body.txt|-body.html, rendered
in each recipient's language with the occasion's context plus ``step``. A rule with a
``send`` function sends by itself instead (a parent's new personal link, for instance).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from classcontact.emails import send_templated_mail

from .calendars import SchoolDays, calendar_for_school, default_calendar
from .reminder_models import ReminderSent, ReminderSilence

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str = "fr"


@dataclass
class Occasion:
    key: str  # unique within its rule, e.g. "signature:42"
    since: datetime.date  # the day the wait started
    school: object | None  # whose calendar counts the days (None: the default calendar)
    recipients: list[Recipient]
    context: dict = field(default_factory=dict)
    subject: str = ""  # what staff see and silence it on: "app.model:pk"
    escalate_to: list[Recipient] = field(default_factory=list)
    payload: object = None  # anything the rule's own ``send`` needs
    calendar: object | None = None  # counts the days instead of the school's calendar


@dataclass(frozen=True)
class Rule:
    name: str
    occasions: Callable[..., Iterable[Occasion]]  # (today, subject=None) -> occasions
    steps: tuple[int, ...]  # school days after ``since`` on which each reminder is due
    mail: str = ""
    escalate_after: int | None = None  # school days after ``since``, then escalation_mail
    escalation_mail: str = ""
    send: Callable[[Occasion, Recipient, int], None] | None = None
    label: str = ""


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Declare a rule (again under the same name: replaced, so reloading is harmless)."""
    RULES[rule.name] = rule
    return rule


def subject_of(record) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def subject_pk(subject: str, model) -> int | None:
    """The primary key that ``subject`` (from ``subject_of``) names for ``model``, if it names one."""
    prefix = f"{model._meta.label_lower}:"
    return int(subject[len(prefix) :]) if subject.startswith(prefix) else None


class _Calendars:
    """One ``SchoolDays`` per calendar for a whole run."""

    def __init__(self):
        self._by_calendar: dict = {}

    def for_occasion(self, occasion: Occasion) -> SchoolDays:
        return self.for_school(occasion.school, calendar=occasion.calendar)

    def for_school(self, school, *, calendar=None) -> SchoolDays:
        if calendar is None:
            calendar = calendar_for_school(school) if school is not None else default_calendar()
        key = calendar.pk if calendar else None
        if key not in self._by_calendar:
            self._by_calendar[key] = SchoolDays(calendar)
        return self._by_calendar[key]


def school_days_after(days: SchoolDays, since: datetime.date, today: datetime.date) -> int:
    """School days d with since < d <= today."""
    count, day = 0, since
    while day < today:
        day += datetime.timedelta(days=1)
        count += days.is_school_day(day)
    return count


def due_date(days: SchoolDays, since: datetime.date, step: int) -> datetime.date | None:
    """The day on which ``step`` school days have passed since ``since``."""
    day = since
    for _ in range(step):
        day = days.next_school_day(day)
        if day is None:
            return None
    return day if step else (days.next_school_day(since, include_today=True) or since)


def _silenced() -> set[str]:
    return set(ReminderSilence.objects.values_list("subject", flat=True))


def run_reminders(*, today: datetime.date | None = None) -> int:
    """Send every reminder due today (school days only); returns how many were sent."""
    today = today or timezone.localdate()
    calendars, silenced, sent = _Calendars(), _silenced(), 0
    for rule in list(RULES.values()):
        for occasion in rule.occasions(today):
            if occasion.subject in silenced:
                continue
            days = calendars.for_occasion(occasion)
            if not days.is_school_day(today):
                continue
            try:
                sent += _remind(rule, occasion, school_days_after(days, occasion.since, today))
            except Exception:  # noqa: BLE001 - one broken occasion must not stop the others
                logger.exception("Reminder %s %s failed", rule.name, occasion.key)
    return sent


def _remind(rule: Rule, occasion: Occasion, elapsed: int) -> int:
    due = [number for number, step in enumerate(rule.steps, start=1) if elapsed >= step]
    sent = 0
    if due:  # only the latest step due: a late run does not send the earlier ones too
        for recipient in occasion.recipients:
            sent += _send_once(rule, occasion, recipient, due[-1], escalation=False)
    if rule.escalate_after is not None and elapsed >= rule.escalate_after:
        for recipient in occasion.escalate_to:
            sent += _send_once(rule, occasion, recipient, len(rule.steps) + 1, escalation=True)
    return sent


def _send_once(rule: Rule, occasion: Occasion, recipient: Recipient, step: int, *, escalation: bool) -> int:
    if not recipient.email:
        return 0
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                rule=rule.name,
                occasion=occasion.key,
                recipient=recipient.email.lower(),
                step=step,
                escalation=escalation,
                subject=occasion.subject,
            )
            if rule.send is not None and not escalation:
                rule.send(occasion, recipient, step)
            else:
                send_templated_mail(
                    name=rule.escalation_mail if escalation else rule.mail,
                    to=[recipient.email],
                    context={**occasion.context, "step": step},
                    language=recipient.language,
                )
    except IntegrityError:
        return 0  # sent already (this run raced another, or an earlier run)
    return 1


def reminders_of(subject: str, *, today: datetime.date | None = None) -> dict:
    """For a staff page: the reminders sent about ``subject`` and those still planned."""
    today = today or timezone.localdate()
    sent = list(ReminderSent.objects.filter(subject=subject).order_by("-sent_at")[:50])
    done = {(r.rule, r.occasion, r.recipient, r.step) for r in sent}
    planned, calendars = [], _Calendars()
    for rule in RULES.values():
        for occasion in rule.occasions(today, subject=subject):
            days = calendars.for_occasion(occasion)
            planned += _planned(rule, occasion, days, done)
    planned.sort(key=lambda row: (row["date"] or datetime.date.max, row["rule"]))
    silence = ReminderSilence.objects.filter(subject=subject).select_related("silenced_by").first()
    return {"sent": sent, "planned": planned, "silence": silence, "subject": subject}


def _planned(rule: Rule, occasion: Occasion, days: SchoolDays, done: set) -> list[dict]:
    rows = []
    steps = [(n, s, occasion.recipients, False) for n, s in enumerate(rule.steps, start=1)]
    if rule.escalate_after is not None:
        steps.append((len(rule.steps) + 1, rule.escalate_after, occasion.escalate_to, True))
    for number, after, recipients, escalation in steps:
        for recipient in recipients:
            if (rule.name, occasion.key, recipient.email.lower(), number) in done:
                continue
            rows.append(
                {
                    "rule": rule.label or rule.name,
                    "recipient": recipient.email,
                    "date": due_date(days, occasion.since, after),
                    "escalation": escalation,
                }
            )
    return rows


@transaction.atomic
def reminders_silence(*, subject: str, by) -> ReminderSilence:
    """Staff: no more reminders about ``subject`` (a case) until resumed."""
    silence, _created = ReminderSilence.objects.get_or_create(subject=subject, defaults={"silenced_by": by})
    return silence


@transaction.atomic
def reminders_resume(*, subject: str, by) -> None:  # noqa: ARG001 - who resumed: the history of the page
    ReminderSilence.objects.filter(subject=subject).delete()
