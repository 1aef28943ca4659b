"""The FR/EN interface catalogues: complete, current, compiled, and served in English.

The source language is French (msgids are French). See docs/translations.md for the
workflow these tests enforce.
"""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.utils import translation

from config.catalogues import (
    CatalogueError,
    all_catalogues,
    compile_catalogue,
    read_catalogue,
)
from tests.support.client import page_text
from tests.support.services import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
ENGLISH = sorted((LOCALE / "en" / "LC_MESSAGES").glob("*.po"))
# What `make messages` does not scan (its --ignore options), plus the catalogues themselves.
NOT_SCANNED = {".git", ".venv", "var", "static", "locale"}

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _key(message):
    return (message.context, message.id)


def _forms(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _entries(po_path: Path):
    return [message for message in read_catalogue(po_path) if message.id]


def test_the_repository_ships_french_and_english_catalogues(settings):
    assert LOCALE in [Path(path) for path in settings.LOCALE_PATHS]
    assert (LOCALE / "fr" / "LC_MESSAGES" / "django.po").is_file()
    assert "django.po" in [path.name for path in ENGLISH]


@pytest.mark.parametrize("po_path", ENGLISH, ids=lambda path: path.name)
def test_the_english_catalogue_translates_every_string(po_path):
    missing = [
        message.id
        for message in _entries(po_path)
        if not all(form.strip() for form in _forms(message.string))
    ]
    assert not missing, (
        f"{len(missing)} strings have no English translation in {po_path}; translate them "
        f"(docs/translations.md): {missing[:20]}"
    )


@pytest.mark.parametrize("po_path", all_catalogues(), ids=lambda path: str(path.parent.parent.name))
def test_no_catalogue_ships_fuzzy_entries(po_path):
    catalog = read_catalogue(po_path)
    assert not catalog.fuzzy, f"{po_path}: the header is marked fuzzy"
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert not fuzzy, (
        f"{po_path}: fuzzy entries are guesses by msgmerge and are never compiled; check the "
        f"translation, then remove the fuzzy flag: {fuzzy[:20]}"
    )


@pytest.mark.parametrize("po_path", ENGLISH, ids=lambda path: path.name)
def test_english_translations_keep_placeholders_markup_and_end_line_breaks(po_path):
    problems = []
    for message in _entries(po_path):
        sources = _forms(message.id)
        for index, translated in enumerate(_forms(message.string)):
            if not translated:
                continue  # reported by the completeness test
            source = sources[min(index, len(sources) - 1)]
            problems += _differences(source, translated)
            found = set(PLACEHOLDER.findall(translated))
            if message.pluralizable and index == 0:
                # A singular may leave out the count ("One file…") but nothing else.
                if (
                    not set(PLACEHOLDER.findall(sources[0]))
                    <= found
                    <= set(PLACEHOLDER.findall(sources[1]))
                ):
                    problems.append(f"placeholders differ: {sources!r} -> {translated!r}")
            elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                problems.append(f"placeholders differ: {source!r} -> {translated!r}")
    assert not problems, "\n".join(problems)


def _differences(source: str, translated: str) -> list[str]:
    problems = []
    if sorted(TAG.findall(source)) != sorted(TAG.findall(translated)):
        problems.append(f"HTML tags differ: {source!r} -> {translated!r}")
    for end in (str.startswith, str.endswith):
        if end(source, "\n") != end(translated, "\n"):
            problems.append(f"line breaks at the ends differ: {source!r}")
    return problems


def test_every_catalogue_compiles_and_french_keeps_its_plural_rule(tmp_path, settings):
    locale = _compiled_copy(tmp_path)
    settings.LOCALE_PATHS = [locale]
    singular, plural = (
        "Il vous reste %(n)s code de secours.",
        "Il vous reste %(n)s codes de secours.",
    )
    with translation.override("fr"):
        # French uses the singular for 0 and 1; the empty French entry compiles as identity.
        assert translation.ngettext(singular, plural, 0) == singular
        assert translation.ngettext(singular, plural, 2) == plural
    with translation.override("en"):
        assert translation.ngettext(singular, plural, 0) == "You have %(n)s backup codes left."
        assert translation.ngettext(singular, plural, 1) == "You have %(n)s backup code left."


def test_the_french_catalogue_answers_its_own_strings(tmp_path):
    """A French string found in the project's own catalogue is not looked up again in the
    catalogue of every installed app (each page translates a few hundred strings)."""
    import gettext

    locale = _compiled_copy(tmp_path)
    with (locale / "fr" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        french = gettext.GNUTranslations(handle)
    assert french._catalog["Mes démarches"] == "Mes démarches"
    plural = ("Il vous reste %(n)s code de secours.", "Il vous reste %(n)s codes de secours.")
    assert french.ngettext(*plural, 2) == plural[1]
    assert (plural[0], 0) in french._catalog


def test_a_broken_translation_stops_the_compilation(tmp_path):
    po_path = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    po_path.write_text(
        header + '#, python-format\nmsgid "Demande %(number)s"\nmsgstr "Application %(numero)s"\n'
    )
    with pytest.raises(CatalogueError, match="numero"):
        compile_catalogue(po_path)
    assert not po_path.with_suffix(".mo").exists()

    po_path.write_text("#, fuzzy\n" + header)
    with pytest.raises(CatalogueError, match="fuzzy"):
        compile_catalogue(po_path)


def test_the_catalogues_list_every_string_of_the_code_and_no_other(tmp_path):
    """Fails when a string was added or changed in the code without `make messages`."""
    if shutil.which("xgettext") is None:
        if REQUIRE_SERVICES:
            pytest.fail(
                "GNU gettext is not installed; CI must install it (apt-get install gettext)"
            )
        pytest.skip("GNU gettext is not installed: sudo apt-get install gettext")
    extracted = _extract_into(tmp_path)
    for language in ("fr", "en"):
        for po_path in sorted((LOCALE / language / "LC_MESSAGES").glob("*.po")):
            current = {
                _key(m) for m in _entries(extracted / language / "LC_MESSAGES" / po_path.name)
            }
            shipped = {_key(m) for m in _entries(po_path)}
            missing, extra = sorted(current - shipped, key=str), sorted(shipped - current, key=str)
            assert not missing, (
                f"{po_path} lacks strings of the code; run `make messages` and translate the "
                f"new English entries (docs/translations.md): {missing[:20]}"
            )
            assert not extra, (
                f"{po_path} has strings no longer used; run `make messages`: {extra[:20]}"
            )


@pytest.fixture
def english_catalogue(tmp_path, settings):
    settings.LOCALE_PATHS = [_compiled_copy(tmp_path)]


@pytest.fixture
def help_centre(db):
    from cms import demo

    demo.seed(StringIO())


def test_the_login_page_is_in_english_for_a_browser_asking_for_english(
    client, english_catalogue, db
):
    body = page_text(client.get("/compte/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"))
    assert '<html lang="en"' in body
    assert "Forgotten your password?" in body
    assert "Identifier (email address)" in body
    assert "Mot de passe oublié" not in body
    assert "Mot de passe" not in body


def test_the_home_page_header_follows_the_language_cookie(
    client, english_catalogue, help_centre, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page_text(client.get("/"))
    assert "Your procedures and documents, in one place" in body
    assert "Frequently asked questions" in body
    assert "Legal notice" in body
    assert "Questions fréquentes" not in body

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Questions fréquentes" in page_text(client.get("/"))


def test_the_english_switch_translates_the_procedure_list(client, english_catalogue, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/faire-une-demarche/"})
    body = page_text(client.get("/faire-une-demarche/"))
    assert "Choose the procedure you want to start." in body
    assert "Choisissez la démarche" not in body


def _compiled_copy(tmp_path: Path) -> Path:
    """The shipped catalogues compiled with Babel into a copy, independent of any stale .mo."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
    for po_path in all_catalogues(locale):
        compile_catalogue(po_path)
    return locale


def _extract_into(tmp_path: Path) -> Path:
    """Run makemessages as `make messages` does, on a linked copy of the sources.

    The copy keeps the repository's catalogues untouched: its top-level entries are
    symbolic links and the catalogues are written under ``tmp_path`` only (a settings
    module that points LOCALE_PATHS there).
    """
    sources = tmp_path / "src"
    sources.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in NOT_SCANNED:
            (sources / entry.name).symlink_to(entry)
    locale = tmp_path / "locale"
    locale.mkdir()
    (tmp_path / "catalogue_settings.py").write_text(
        f"from config.settings.test import *  # noqa: F403\nLOCALE_PATHS = [{str(locale)!r}]\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "catalogue_settings",
    }
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "-l", "en"]
    subprocess.run(
        [*command, "--symlinks", "--no-obsolete"],
        cwd=sources,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return locale


def test_the_document_locker_shows_english_numbers_and_units(
    client, english_catalogue, django_user_model, settings
):
    client.force_login(django_user_model.objects.create_user("alex@example.org", "Pass-2026!xyz"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page_text(client.get("/porte-documents/"))
    assert "0\u00a0B used out of 235\u00a0MB" in body
    assert not re.search(r"\d\s(?:o|Ko|Mo)\b", body)


def test_the_activity_timeline_reads_dates_and_events_in_english(
    client, english_catalogue, django_user_model, settings
):
    from identity.models import SecurityEvent

    user = django_user_model.objects.create_user("alex@example.org", "Pass-2026!xyz")
    SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.LOGIN)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page_text(client.get("/activite/"))
    assert re.search(r"\d\d/\d\d/\d{4} at \d\d:\d\d", body)
    assert "Login" in body
    assert " à " not in body
