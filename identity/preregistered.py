"""Pre-registered people: reading the administrator's CSV file, and comparing facts.

The file has a header line naming its columns (in any order; ``,`` or ``;`` separated,
UTF-8 with or without BOM): ``reference`` (8 digits), ``date_naissance`` (``AAAA-MM-JJ``
or ``JJ/MM/AAAA``), ``sexe`` (``F`` or ``M``), ``fait`` (the extra fact, e.g. the centre
of the first visit) and, optionally, ``courriel``. Every line is checked; a file with an
error is refused whole, with every error and its line number, so that importing the
corrected file (or the same one again) updates people rather than duplicating them.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The names a column may have in the header; the first one is the documented name.
COLUMNS = {
    "reference": ("reference", "numero", "numero_de_reference", "numero_reference"),
    "birth_date": ("date_naissance", "date_de_naissance", "birth_date"),
    "sex": ("sexe", "sex"),
    "extra_fact": ("fait", "fait_complementaire", "extra_fact", "centre"),
    "email": ("courriel", "email", "adresse_electronique"),
}
REQUIRED = ("reference", "birth_date", "sex", "extra_fact")
SEXES = {"f": "F", "feminin": "F", "femme": "F", "m": "M", "masculin": "M", "homme": "M"}
REFERENCE = re.compile(r"^\d{8}$")
FACT_MAX_LENGTH = 200


@dataclass(frozen=True)
class Row:
    line: int
    reference: str
    birth_date: date
    sex: str
    extra_fact: str
    email: str


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self):
        return _("Ligne %(line)d : %(message)s") % {"line": self.line, "message": self.message}


def _plain(value: str) -> str:
    """Lower case, no accents, runs of anything else than letters and digits as one space."""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", " ", letters.casefold()).strip()


def fact_normalise(value: str) -> str:
    """How an extra fact is compared: « Centre de Lyon » matches « centre de lyon »."""
    return _plain(value)


def reference_normalise(value: str) -> str:
    """A reference as typed, without spaces (« 1234 5678 » is 12345678)."""
    return re.sub(r"\s+", "", value or "")


def _column(name: str) -> str | None:
    key = _plain(name).replace(" ", "_")
    return next((column for column, names in COLUMNS.items() if key in names), None)


def _birth_date(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if not date(1900, 1, 1) <= parsed <= timezone.localdate():
            raise ValueError(
                _("la date de naissance %(value)s n'est pas plausible") % {"value": value}
            )
        return parsed
    raise ValueError(
        _("la date de naissance « %(value)s » n'est pas au format AAAA-MM-JJ ou JJ/MM/AAAA")
        % {"value": value}
    )


def _row(line: int, values: dict[str, str]) -> tuple[Row | None, list[Problem]]:
    problems = []
    reference = reference_normalise(values.get("reference", ""))
    if not REFERENCE.match(reference):
        problems.append(_("le numéro de référence doit avoir 8 chiffres"))
    birth_date = None
    try:
        birth_date = _birth_date(values.get("birth_date", "").strip())
    except ValueError as error:
        problems.append(str(error))
    sex = SEXES.get(_plain(values.get("sex", "")))
    if sex is None:
        problems.append(_("le sexe doit être F ou M"))
    extra_fact = " ".join(values.get("extra_fact", "").split())
    if not extra_fact:
        problems.append(_("le fait complémentaire est vide"))
    elif len(extra_fact) > FACT_MAX_LENGTH:
        problems.append(
            _("le fait complémentaire dépasse %(n)d caractères") % {"n": FACT_MAX_LENGTH}
        )
    email = values.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("l'adresse électronique « %(value)s » n'est pas valide") % {"value": email}
            )
    if problems:
        return None, [Problem(line, message) for message in problems]
    return Row(line, reference, birth_date, sex, extra_fact, email), []


def parse(lines) -> tuple[list[Row], list[Problem]]:
    """Read the CSV file (an iterable of text lines). Returns the rows, or the problems."""
    lines = iter(lines)
    try:
        return _parse(lines)
    except UnicodeDecodeError:
        return [], [Problem(1, _("le fichier n'est pas en UTF-8 : enregistrez-le en CSV UTF-8"))]


def _parse(lines) -> tuple[list[Row], list[Problem]]:
    first = next(lines, "").lstrip("\ufeff")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(_chain(first, lines), delimiter=delimiter)
    header = next(reader, [])
    columns = [_column(name) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        expected = ", ".join(COLUMNS[name][0] for name in missing)
        return [], [Problem(1, _("colonnes manquantes : %(names)s") % {"names": expected})]
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
        row, row_problems = _row(line, values)
        problems += row_problems
        if row is None:
            continue
        if row.reference in seen:
            problems.append(
                Problem(
                    line,
                    _("le numéro %(reference)s figure déjà ligne %(first)d")
                    % {"reference": row.reference, "first": seen[row.reference]},
                )
            )
            continue
        seen[row.reference] = line
        rows.append(row)
    if problems:
        return [], problems
    return rows, []


def _chain(first: str, rest):
    yield first
    yield from rest


def import_summary(counts) -> str:
    """What an import did, in words (admin message and command output)."""
    parts = [
        ngettext("%(n)d personne ajoutée", "%(n)d personnes ajoutées", counts.created)
        % {"n": counts.created},
        ngettext("%(n)d mise à jour", "%(n)d mises à jour", counts.updated) % {"n": counts.updated},
        ngettext("%(n)d inchangée", "%(n)d inchangées", counts.unchanged) % {"n": counts.unchanged},
    ]
    return _("Import terminé : %(parts)s.") % {"parts": ", ".join(parts)}
