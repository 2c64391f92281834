"""Translations: the German catalog is complete and current, pages are German by default and
switch to English with ?lang=en (remembered in a cookie), placeholders survive translation.

msgids are English, so there is no English catalog. When a test here fails after you added UI
text, run (see docs/translations.md)::

    .venv/bin/pybabel extract -F babel.cfg -o messages.pot .
    .venv/bin/pybabel update -i messages.pot -d translations

and translate the new entries in translations/de/LC_MESSAGES/messages.po.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("de",)  # one catalog per UI language that is not English

#: printf-style placeholders: %(name)s, %(n)d, %s … (not "%%", which is a literal percent sign)
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


def load_catalog(lang: str):
    path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"missing catalog {path.relative_to(ROOT)}"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=lang)


def msgid_key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture
def client(app):
    return app.test_client()


def get(client, url: str):
    """GET ``url`` with the locale chosen afresh: the ``app`` fixture keeps one app context (and
    so one ``g``, where Flask-Babel caches the locale) pushed for all requests of a test."""
    from flask_babel import refresh

    refresh()
    return client.get(url)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What `pybabel extract -F babel.cfg` finds in the code right now (msgid -> message)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(BABEL_CFG), "-o", str(pot), "--no-location", str(ROOT)]
    )
    with pot.open("rb") as pot_file:
        catalog = read_po(pot_file)
    messages = {msgid_key(m): m for m in catalog if m.id}
    assert len(messages) > 50, "the extractor found almost nothing: check babel.cfg"
    return messages


# --- (1) the catalog is complete and current ---------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_no_untranslated_fuzzy_or_obsolete_entries(lang):
    catalog = load_catalog(lang)
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(s and s.strip() for s in strings):
            untranslated.append(msgid_key(message))
        if message.fuzzy:
            fuzzy.append(msgid_key(message))
    assert not untranslated, f"untranslated in {lang}: {untranslated}"
    assert not fuzzy, f"fuzzy (skipped when compiling) in {lang}: {fuzzy}"
    assert not catalog.obsolete, f"obsolete (#~) entries in {lang}: {list(catalog.obsolete)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_in_the_code_is_in_the_catalog(lang, extracted):
    catalog = load_catalog(lang)
    known = {msgid_key(m) for m in catalog if m.id}
    missing = sorted(set(extracted) - known)
    assert not missing, (
        f"{len(missing)} string(s) in the code are not in translations/{lang}: run pybabel extract + "
        f"update (docs/translations.md) and translate them: {missing}"
    )
    for msgid, message in extracted.items():
        entry = catalog.get(message.id)
        if isinstance(message.id, tuple):
            assert isinstance(entry.id, tuple) and entry.id[1] == message.id[1], f"plural form changed: {msgid!r}"


def test_extraction_finds_strings_of_every_source_kind(extracted):
    # Python (gettext as _), forms (lazy_gettext as _l), the browser strings and Jinja templates
    for msgid in ("E-mail or password is wrong.", "Your name (optional)", "Cluster chain", "Join a workshop"):
        assert msgid in extracted


# --- (2) the pages speak German by default, English on request ---------------------------------


def test_start_page_is_german_by_default(app, client):
    assert app.config["BABEL_DEFAULT_LOCALE"] == "de"
    html = get(client, "/").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Workshop beitreten" in html
    assert "Veranstalten und moderieren" in html
    assert "Join a workshop" not in html


def test_language_choice_switches_to_english_and_sticks(client):
    response = get(client, "/?lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Join a workshop" in html
    assert "Workshop beitreten" not in html
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "en"

    html = get(client, "/").get_data(as_text=True)  # no parameter: the cookie decides
    assert "Join a workshop" in html

    get(client, "/?lang=de")
    assert client.get_cookie("lang").value == "de"
    html = get(client, "/").get_data(as_text=True)
    assert "Workshop beitreten" in html


def test_unknown_language_falls_back_to_german(client):
    html = get(client, "/?lang=xx").get_data(as_text=True)
    assert "Workshop beitreten" in html
    assert client.get_cookie("lang") is None


def test_browser_strings_on_the_projector_are_german(clients, workshop):
    """The strings handed to the browser modules (core.i18n.js_strings) are translated."""
    screen = clients.http("screen")

    def strings(url):
        html = get(screen, url).get_data(as_text=True)
        match = re.search(r'<script type="application/json" id="i18n">(.*?)</script>', html, re.S)
        assert match, "the page lacks the i18n strings"
        return json.loads(match.group(1))

    german = strings(f"/w/{workshop.code}/screen")
    assert german["kind.break"] == "Pause"
    assert german["kind.blitzlicht"] == "Blitzlicht"
    assert german["continues_at"] == "Weiter um %(time)s mit: %(title)s"
    english = strings(f"/w/{workshop.code}/screen?lang=en")
    assert english["kind.break"] == "Break"


# --- (3) placeholders survive translation ------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_kept(lang):
    catalog = load_catalog(lang)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        wanted = set().union(*(placeholders(i) for i in ids))
        for translated in strings:
            lost = wanted - set(placeholders(translated))
            extra = set(placeholders(translated)) - wanted
            if lost or extra:
                problems.append(f"{msgid_key(message)!r} -> {translated!r}: lost {sorted(lost)}, extra {sorted(extra)}")
    # Babel's own checks (python-format placeholders, plural counts) as a second opinion
    for message, errors in catalog.check():
        problems.extend(f"{msgid_key(message)!r}: {error}" for error in errors)
    assert not problems, "\n".join(problems)


def test_translations_are_used_when_rendering(app):
    from flask_babel import gettext, refresh

    with app.test_request_context("/?lang=de"):
        refresh()
        assert gettext("Join a workshop") == "Workshop beitreten"
        assert gettext("%(n)s minutes left", n=3) == "Noch 3 Minuten"
    with app.test_request_context("/?lang=en"):
        refresh()  # the fixture's app context (and its g, where the locale is cached) is shared
        assert gettext("%(n)s minutes left", n=3) == "3 minutes left"
