"""The connection programme's dashboard (staff): one page that reads several apps.

It lives here, beside ``urls.py``, because it needs both the programme's figures
(``cases.dashboard``, with the kits' use from ``loans``) and the helpdesk's
(``helpdesk.selectors.dashboard``): ``cases`` may not import ``helpdesk`` (the helpdesk
imports cases), and the helpdesk is no place for the programme's page. Each app computes its
own figures in its own selectors; this module only asks them and draws the charts.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.dashboard import Period, ProgrammeFigures, programme_figures, unusual_health_reads
from cases.models import school_year_label
from cases.selectors import programme_years, user_can_read_health_data
from helpdesk.selectors import HelpdeskFigures, helpdesk_figures
from schools.models import Region
from schools.roles import user_has_right

from .charts import Series, bar_chart, column_chart, line_chart
from .decorators import staff_required

MAX_MONTHS = 36
ERROR_END_BEFORE_START = gettext_lazy("The end of the period cannot be before its start.")
ERROR_PERIOD_TOO_LONG = gettext_lazy("Choose a period of at most 36 months.")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DashboardForm(forms.Form):
    programme_year = forms.ChoiceField(label=gettext_lazy("School year"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_year"].choices = [
            ("", gettext_lazy("All years")),
            *[(year, year) for year in programme_years()],
        ]
        self.fields["programme_year"].help_text = gettext_lazy(
            "Cases of the requests of that school year. Without dates, the period is the school year."
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", ERROR_END_BEFORE_START)
        elif start and end and (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            self.add_error("end", ERROR_PERIOD_TOO_LONG)
        return cleaned

    def period(self, today: datetime.date | None = None) -> Period:
        """The period asked for. By default the school year chosen (the current one on a first
        visit), from August to July but not past today; with "all years", the last twelve months."""
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("programme_year", "") if self.is_bound else school_year_label(today)
        if year:
            first = int(year[:4])
            default_start, default_end = datetime.date(first, 8, 1), datetime.date(first + 1, 7, 31)
        else:
            default_start, default_end = _months_before(today, 11), today
        start = data.get("start") or default_start
        end = data.get("end") or min(default_end, max(today, start))
        end = min(max(end, start), _months_before(start, -MAX_MONTHS) - datetime.timedelta(days=1))
        return Period(start=start, end=end, programme_year=year)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` before ``day``'s (after it when negative)."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_labels(months: list[datetime.date]) -> list[str]:
    return [formats.date_format(month, "M Y") for month in months]


def _programme_charts(figures: ProgrammeFigures, labels: list[str]) -> dict:
    regions = [(value, str(label)) for value, label in Region.choices if any(figures.active_by_region[value])]
    return {
        "active": column_chart(
            _("Connections in force by month and region"),
            labels,
            [Series(label, figures.active_by_region[value]) for value, label in regions],
        ),
        "active_rows": [(label, figures.active_by_region[value]) for value, label in regions],
        "requests": bar_chart(
            _("Requests of the period by state"),
            [label for _state, label, _count in figures.requests_by_state],
            [count for _state, _label, count in figures.requests_by_state],
        ),
        "kit_use": bar_chart(
            _("Share of kit-days lent, by kit type"),
            [use.kit_type.name for use in figures.kit_use],
            [use.share for use in figures.kit_use],
            unit=" %",
        ),
    }


def _helpdesk_charts(desk: HelpdeskFigures, labels: list[str]) -> dict:
    return {
        "helpdesk": line_chart(
            _("Share of tickets answered and resolved on target, by month of opening (%)"),
            labels,
            [
                Series(_("First answer on target"), desk.first_response_by_month),
                Series(_("Resolution on target"), desk.resolution_by_month),
            ],
            top=100,
        ),
        "helpdesk_rows": [
            (_("First answer"), desk.first_response),
            (_("Resolution"), desk.resolution),
        ],
        "helpdesk_months": list(
            zip(labels, desk.first_response_by_month, desk.resolution_by_month, strict=True)
        ),
    }


@staff_required
def programme_dashboard(request: HttpRequest) -> HttpResponse:
    """Connections, requests, waiting times, kits' use and the helpdesk, for a period and a year."""
    if not user_has_right(request.user, "view", "cases.connectioncase"):
        raise PermissionDenied
    form = DashboardForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "staff/dashboard.html", {"form": form}, status=400)
    period = form.period()
    figures = programme_figures(period)
    desk = helpdesk_figures(starts_at=period.starts_at, ends_before=period.ends_before, months=period.months)
    labels = _month_labels(period.months)
    context = {
        "form": form,
        "period": period,
        "figures": figures,
        "desk": desk,
        "month_labels": labels,
        **_programme_charts(figures, labels),
        **_helpdesk_charts(desk, labels),
    }
    if user_can_read_health_data(request.user):  # who reads health data is for coordinators
        threshold = settings.UNUSUAL_HEALTH_READS_PER_DAY
        context["unusual_reads"] = unusual_health_reads(period, threshold=threshold)
        context["unusual_threshold"] = threshold
    return render(request, "staff/dashboard.html", context)
