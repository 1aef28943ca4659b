"""Compile the translation catalogues (``locale/*/LC_MESSAGES/*.po``) into ``.mo`` files.

Run by ``make install`` (so ``make run`` and ``make test`` always serve compiled
catalogues) with Babel, which is a Python dependency: a fresh machine needs no GNU
gettext. Extracting new strings (``make messages``) still needs GNU gettext.

    python -m config.catalogues                  # every catalogue under locale/
    python -m config.catalogues path/to/x.po ... # only these

It deliberately does not load Django settings: it must work before any configuration
exists (a build step, a fresh clone).

A catalogue that Babel finds broken — a placeholder missing or added in a translation,
a wrong number of plural forms — stops the compilation with the message and line, instead
of shipping a translation that raises at render time. Fuzzy entries are never compiled
(the text falls back to the French source), and a fuzzy header is refused: Babel would
otherwise skip the whole catalogue without a word.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# The language the code's strings are written in: its catalogue translates each string to
# itself. A string missing from the first catalogue is looked up in every installed app's
# catalogue in turn (26 of them), which made each French string cost twice a translated one.
SOURCE_LANGUAGE = "fr"


class CatalogueError(Exception):
    """A catalogue that must not be compiled as it is."""


def read_catalogue(po_path: Path):
    """Parse a .po file; the locale is its ``locale/<lang>/LC_MESSAGES`` folder name."""
    with po_path.open("rb") as handle:
        return read_po(handle, locale=po_path.parent.parent.name, abort_invalid=True)


def check_catalogue(po_path: Path, catalog) -> list[str]:
    """Problems that make the compiled catalogue wrong, as ``path:line: message``."""
    problems = []
    if catalog.fuzzy:
        problems.append(f"{po_path}: the header is marked fuzzy; remove the flag")
    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{po_path}:{message.lineno}: {error} (msgid {message.id!r})")
    return problems


def compile_catalogue(po_path: Path) -> Path:
    """Write ``<name>.mo`` beside ``po_path``; raise CatalogueError if it is broken.

    The file is replaced atomically so an interrupted run never leaves a truncated .mo
    that ``make`` would then consider up to date.
    """
    po_path = Path(po_path)
    catalog = read_catalogue(po_path)
    problems = check_catalogue(po_path, catalog)
    if problems:
        raise CatalogueError("\n".join(problems))
    if catalog.locale and str(catalog.locale) == SOURCE_LANGUAGE:
        _translate_to_itself(catalog)
    mo_path = po_path.with_suffix(".mo")
    fd, tmp_name = tempfile.mkstemp(dir=mo_path.parent, prefix=".", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(tmp_name, mo_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return mo_path


def _translate_to_itself(catalog) -> None:
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string):
                forms = catalog.num_plurals
                message.string = tuple(message.id[min(n, 1)] for n in range(forms))
        elif not message.string:
            message.string = message.id


def all_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or all_catalogues()
    failed = False
    for po_path in paths:
        try:
            mo_path = compile_catalogue(po_path)
        except CatalogueError as error:
            print(error, file=sys.stderr)
            failed = True
        else:
            print(f"compiled {mo_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
