"""Many moments of one page written in the language's format, prepared once.

``date_format(localtime(moment), "DATETIME_FORMAT")`` looks up the format, the time zone and,
for each month name, the translation again for every date, and reads the format letter by
letter each time: a ticket's conversation of twenty messages spent half a millisecond there.
``MomentFormat`` does those lookups once and writes each date in a few string operations; the
letters it does not know are left to Django's ``DateFormat``, so the text is the same.
"""

from collections.abc import Callable
from datetime import datetime
import functools

from django.utils import dateformat, timezone, translation
from django.utils.dates import MONTHS, MONTHS_AP
from django.utils.formats import get_format

# The letters of Django's date formats written here (those of the portal's languages' own
# formats, in their usual forms); any other letter is Django's.
_DIGITS: dict[str, Callable[[datetime], str]] = {
    "j": lambda moment: str(moment.day),
    "d": lambda moment: f"{moment.day:02d}",
    "n": lambda moment: str(moment.month),
    "m": lambda moment: f"{moment.month:02d}",
    "Y": lambda moment: str(moment.year),
    "G": lambda moment: str(moment.hour),
    "H": lambda moment: f"{moment.hour:02d}",
    "i": lambda moment: f"{moment.minute:02d}",
}


def _django_letter(letter: str) -> Callable[[datetime], str]:
    return lambda moment: str(getattr(dateformat.DateFormat(moment), letter)())


def _literal(text: str) -> Callable[[datetime], str]:
    return lambda _moment: text


@functools.lru_cache(maxsize=32)
def _parts(language: str | None, format_string: str) -> tuple[Callable[[datetime], str], ...]:
    """The format read once per language: a writer for each letter and each text between."""
    with translation.override(language):
        months = {number: str(month) for number, month in MONTHS.items()}
        short_months = {number: str(month) for number, month in MONTHS_AP.items()}
    letters = {
        **_DIGITS,
        "F": lambda moment: months[moment.month],
        "N": lambda moment: short_months[moment.month],
    }
    return tuple(
        (letters.get(piece) or _django_letter(piece))
        if n % 2
        else _literal(dateformat.re_escaped.sub(r"\1", piece))
        for n, piece in enumerate(dateformat.re_formatchars.split(format_string))
        if piece
    )


class MomentFormat:
    """Writes aware datetimes as ``date_format(localtime(value), name)`` does, in the language
    and time zone active when it is made."""

    def __init__(self, name: str = "DATETIME_FORMAT"):
        self.zone = timezone.get_current_timezone()
        self.parts = _parts(translation.get_language(), str(get_format(name)))

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def write(self, local: datetime) -> str:
        """A moment already in the time zone (``local``), written in the format."""
        return "".join(part(local) for part in self.parts)

    def __call__(self, moment: datetime) -> str:
        """The moment in the active time zone, written in the format."""
        return self.write(self.local(moment))
