"""Dates written once-prepared read exactly as Django's ``date`` filter writes them."""

from datetime import UTC, datetime, timedelta

from django.template import Context, Template
from django.utils import timezone, translation
import pytest

from classcontact.moments import MomentFormat

# Every month, both sides of the summer-time changes, midnight and noon (English says
# "midnight" and "noon"), single-digit days and hours.
MOMENTS = [datetime(2026, month, 1 + month, month, 4 * month, tzinfo=UTC) for month in range(1, 13)] + [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 6, 30, 22, 0, tzinfo=UTC),  # midnight in Brussels, the next day
    datetime(2026, 6, 30, 10, 0, tzinfo=UTC),  # noon in Brussels
    datetime(2027, 1, 9, 8, 7, tzinfo=UTC),
]


def _filter(moment: datetime, name: str) -> str:
    return Template(f'{{{{ moment|date:"{name}" }}}}').render(Context({"moment": moment}))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "name", ["DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATETIME_FORMAT", r"l j \d\e F Y à H\hi"]
)
def test_each_moment_reads_as_the_date_filter_writes_it(language, name):
    with translation.override(language):
        written = MomentFormat(name)
        for moment in MOMENTS:
            assert written(moment) == _filter(moment, name), moment


def test_the_month_names_follow_the_language_active_when_prepared():
    moment = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)
    with translation.override("fr"):
        french = MomentFormat()
    with translation.override("en"):
        english = MomentFormat()
    assert french(moment) == "3 août 2026 11:00"
    assert english(moment) == "Aug. 3, 2026, 11 a.m."


def test_the_time_zone_is_the_one_active_when_prepared():
    moment = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    with translation.override("fr"), timezone.override("America/Montreal"):
        written = MomentFormat()
        assert written.local(moment).utcoffset() == -timedelta(hours=5)
    assert written(moment) == "15 janvier 2026 18:30"
