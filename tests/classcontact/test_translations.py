"""The French catalogue is complete and safe, and the portal speaks French by default.

The .po files are read with a small parser here, so the checks need neither gettext nor polib.
After `make messages`, translate every new entry and commit both the .po and the compiled .mo.
"""

from dataclasses import dataclass, field
import gettext
from pathlib import Path
import re

from django.conf import settings
from django.test import Client
import pytest

LOCALE = Path(settings.BASE_DIR) / "locale"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
FRENCH_MO = LOCALE / "fr" / "LC_MESSAGES" / "django.mo"
ENGLISH_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ENGLISH_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"

# Python-format placeholders: %(name)s, %s, %d… and the escaped percent sign %%. Only entries
# flagged python-format are formatted at run time; in the others only %(name)s is looked for.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGcoa%]")
NAMED_PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGcoa]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a quoted string: {text!r}"
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") included, in file order."""
    return _PoReader(path).read()


class _PoReader:
    """Reads a .po file line by line; ``target`` is the keyword (and plural index) being written."""

    KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")\s*$")

    def __init__(self, path: Path):
        self.path = path
        self.entries: list[Entry] = []
        self.current: Entry | None = None
        self.target: tuple[str, int | None] | None = None

    def read(self) -> list[Entry]:
        for number, raw in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.strip()
            obsolete = line.startswith("#~")
            if obsolete:
                line = line[2:].strip()
            if not line:
                self.finish()
            elif line.startswith("#"):
                self.comment(line, number)
            elif match := self.KEYWORD.match(line):
                self.keyword(match, number, obsolete)
            else:
                assert line.startswith('"') and self.current is not None and self.target is not None, (
                    f"{self.path}:{number}: {raw!r}"
                )
                self.extend(unquote(line))
        self.finish()
        return self.entries

    def finish(self) -> None:
        if self.current is not None and (self.current.msgid or self.current.msgstr):
            self.entries.append(self.current)
        self.current, self.target = None, None

    def comment(self, line: str, number: int) -> None:
        if self.current is not None and self.target is not None:  # a comment starts the next entry
            self.finish()
        if self.current is None:
            self.current = Entry(line=number)
        if line.startswith("#,"):
            self.current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())

    def keyword(self, match: re.Match, number: int, obsolete: bool) -> None:
        name, index, value = match.groups()
        after_msgstr = self.target is not None and self.target[0] == "msgstr"
        if self.current is None or (name in ("msgctxt", "msgid") and after_msgstr):
            self.finish()
            self.current = Entry(line=number)
        self.current.obsolete = self.current.obsolete or obsolete
        self.target = (name, int(index) if index is not None else None)
        text = unquote(value)
        if name == "msgstr":
            self.current.msgstr[self.target[1] or 0] = text
        else:
            setattr(self.current, name, text)

    def extend(self, text: str) -> None:
        """A continuation line: more text for the keyword being written."""
        name, index = self.target
        if name == "msgstr":
            self.current.msgstr[index or 0] += text
        else:
            setattr(self.current, name, getattr(self.current, name) + text)


def messages(path: Path) -> list[Entry]:
    return [entry for entry in parse_po(path) if entry.msgid and not entry.obsolete]


def header(path: Path) -> Entry:
    first = parse_po(path)[0]
    assert first.msgid == "", "the catalogue starts with its header"
    return first


def placeholders(text: str, python_format: bool = True) -> list[str]:
    return sorted((PLACEHOLDER if python_format else NAMED_PLACEHOLDER).findall(text))


def edges(text: str) -> tuple[str, str]:
    """The whitespace a message starts and ends with (newlines in e-mail bodies, say); the
    no-break space French puts before a punctuation mark is part of the text, not an edge."""
    ordinary = " \t\n\r"
    return text[: len(text) - len(text.lstrip(ordinary))], text[len(text.rstrip(ordinary)) :]


def heading(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert match, "the page has a heading"
    return match.group(1).strip()


def test_the_parser_reads_plurals_contexts_flags_and_continuation_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgctxt "verb"\nmsgid ""\n"Open %(name)s\\n"\n"now"\n'
        'msgstr "Ouvrir %(name)s\\n"\n"maintenant"\n\n'
        '#, fuzzy\nmsgid "%(counter)s kit"\nmsgid_plural "%(counter)s kits"\n'
        'msgstr[0] "%(counter)s kit"\nmsgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n',
        encoding="utf-8",
    )
    head, opened, kits, gone = parse_po(po)
    assert head.msgid == "" and "Language: fr" in head.msgstr[0]
    assert (opened.msgctxt, opened.msgid, opened.msgstr) == (
        "verb",
        "Open %(name)s\nnow",
        {0: "Ouvrir %(name)s\nmaintenant"},
    )
    assert opened.flags == {"python-format"}
    assert kits.msgid_plural == "%(counter)s kits" and kits.msgstr == {0: "%(counter)s kit", 1: ""}
    assert "fuzzy" in kits.flags
    assert gone.obsolete and gone.msgstr == {0: "Parti"}
    assert [e.msgid for e in messages(po)] == ["Open %(name)s\nnow", "%(counter)s kit"]


def test_both_catalogues_exist_and_are_compiled():
    for path in (FRENCH_PO, FRENCH_MO, ENGLISH_PO, ENGLISH_MO):
        assert path.is_file(), f"{path} is missing: run `make messages`"
    assert "Language: fr" in header(FRENCH_PO).msgstr[0]
    assert "nplurals=2; plural=(n > 1);" in header(FRENCH_PO).msgstr[0]
    assert len(messages(FRENCH_PO)) > 100


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    assert "fuzzy" not in header(FRENCH_PO).flags
    entries = messages(FRENCH_PO)
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    untranslated = [
        e.label
        for e in entries
        if not e.msgstr
        or any(not text.strip() for text in e.msgstr.values())
        or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    assert not fuzzy, f"{len(fuzzy)} fuzzy French entries: {fuzzy[:10]}"
    assert not untranslated, f"{len(untranslated)} untranslated French entries: {untranslated[:10]}"


def test_english_catalogue_is_the_source():
    """English is the source language: its catalogue exists and translates nothing differently."""
    changed = [
        e.label
        for e in messages(ENGLISH_PO)
        if any(text and text not in (e.msgid, e.msgid_plural) for text in e.msgstr.values())
    ]
    assert not changed


def test_french_placeholders_tags_and_edges_match_the_source():
    problems = []
    for entry in messages(FRENCH_PO):
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            python_format = "python-format" in entry.flags
            if placeholders(text, python_format) != placeholders(source, python_format):
                problems.append(
                    f"{entry.label}: {placeholders(source)} became {placeholders(text)} in {text!r}"
                )
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(source)):
                problems.append(f"{entry.label}: HTML tags differ in {text!r}")
            if edges(text) != edges(source):
                problems.append(f"{entry.label}: leading or trailing whitespace differs in {text!r}")
    assert not problems, "\n".join(problems[:20])


def test_compiled_french_catalogue_matches_the_po_file():
    """A .po edited without `compilemessages` would not reach the portal."""
    with FRENCH_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("language") == "fr"
    stale = []
    for entry in messages(FRENCH_PO):
        if entry.msgid_plural is None:
            found = [
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else compiled.gettext(entry.msgid)
            ]
        else:
            # French: plural=(n > 1), so 1 picks msgstr[0] and 2 picks msgstr[1].
            found = [
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt is not None
                else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
        if found != [entry.msgstr[i] for i in range(len(found))]:
            stale.append(entry.label)
    assert not stale, f"{len(stale)} entries differ in django.mo: run compilemessages. {stale[:5]}"


def test_the_portal_default_language_is_french():
    """What the ``french`` tests below stand on (other tests switch the language to English)."""
    from classcontact import settings as project_settings

    assert project_settings.LANGUAGE_CODE == "fr"
    assert [code for code, _name in project_settings.LANGUAGES] == ["fr", "en"]


# The page tests run with the portal's own default language: the ``french`` marker.
@pytest.mark.django_db
@pytest.mark.french
@pytest.mark.parametrize("headers", [{}, {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}], ids=["none", "german"])
def test_login_page_is_in_french_by_default(headers):
    response = Client(**headers).get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert heading(page) == "Connexion"
    assert "Mot de passe oublié" in page
    assert "Adresse e-mail" in page
    assert "Log in" not in page
    assert "Forgotten password?" not in page


@pytest.mark.django_db
@pytest.mark.french
def test_login_page_is_in_english_when_the_browser_asks_for_it():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/")
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert heading(page) == "Log in"
    assert "Forgotten password?" in page
    assert "Connexion" not in page


@pytest.mark.django_db
@pytest.mark.french
def test_the_language_cookie_wins_over_the_browser():
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert heading(page) == "Log in" and "Forgotten password?" in page

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/accounts/login/").content.decode()
    # "Connexion" alone could come from Django's own admin catalogue; the link is ours.
    assert heading(page) == "Connexion" and "Mot de passe oublié" in page


# French puts a no-break space before : ; ! ? and inside « » (none is left out or ordinary).
FRENCH_SPACING = re.compile(r"( [:;!?](?=\s|$|[»)\"'])|[\w»)][;!?](?=\s|$)|« | »)")
NOT_PROSE = re.compile(r"%\([^)]*\)[sd]|[a-z]+://\S*|\{[^}]*\}|\d{1,2}:\d{2}")


def test_french_punctuation_takes_a_no_break_space():
    problems = [
        f"{entry.label}: {text!r}"
        for entry in messages(FRENCH_PO)
        for text in entry.msgstr.values()
        if FRENCH_SPACING.search(NOT_PROSE.sub("", text))
    ]
    assert not problems, "\n".join(problems[:20])


def test_a_label_and_its_value_are_joined_by_the_language_s_colon():
    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load i18n portal %}{% translate "Status" %}{% colon %} ok')
    with translation.override("fr"):
        assert template.render(Context()) == "Statut\u00a0: ok"
    with translation.override("en"):
        assert template.render(Context()) == "Status: ok"
    # No template writes the colon itself after a translated label.
    glued = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.*")
        if re.search(r'\{% translate "[^"]+" %\}:', path.read_text(encoding="utf-8"))
    ]
    assert not glued, glued
