"""Exports through the real views and the real Celery task (eager in tests): the file holds
the list as shown, carries no formula, and types its cells."""

import csv
import html
import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case
from tests.support.factories import CaseFactory
from tests.support.filing import AID_ANSWERS
from workflows.models import Export

pytestmark = pytest.mark.django_db

# What an applicant can type to smuggle a formula into an instructor's spreadsheet.
FORMULAS = {
    "prenom": '=HYPERLINK("http://pirate.example";"Cliquez")',
    "nom": "+1+2",
    "adresse__street": "-2+3 rue des Lilas",
    "adresse__city": "@SUM(1+1)*cmd|' /C calc'!A0",
}
# Form fields strip leading whitespace; an answer can still carry it (older versions,
# imports): the export must not trust what the form did.
WHITESPACE = {"situation": "\t=1+1", "chauffage": "\r=1+1"}


def export(client, export_format: str, **shown) -> Export:
    """Ask for the export of the list as shown, then fetch the file it produced."""
    before = set(Export.objects.values_list("pk", flat=True))
    response = client.post("/instruction/exports/", {"format": export_format, **shown})
    assert response.status_code == 302
    made = Export.objects.exclude(pk__in=before).get()
    assert made.state == Export.State.READY
    return made


def export_from_screen(client, export_format: str, **shown) -> tuple[list, Export]:
    """Open the list with ``shown`` (tab, filters), press "Exporter en …" with what its
    export form holds; returns the rows on screen and the export."""
    response = client.get("/instruction/", shown)
    page = response.content.decode()
    form = page[page.index('id="exports-titre"') :]
    form = form[: form.index("</form>")]
    data = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
        if name != "csrfmiddlewaretoken"
    }
    return list(response.context["rows"]), export(client, export_format, **data)


def download(client, made: Export):
    response = client.get(f"/instruction/exports/{made.pk}/")
    assert response.status_code == 200
    return response, b"".join(response)


def csv_rows(client, made: Export) -> list[list[str]]:
    _, content = download(client, made)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_sheet(client, made: Export):
    _, content = download(client, made)
    return load_workbook(io.BytesIO(content)).active


def test_the_export_holds_the_tab_and_filters_shown_with_the_instructor(
    instructor, instructor_client
):
    cases = [
        *CaseFactory.create_batch(2, in_instruction=True, taken=True, instructor=instructor),
        CaseFactory(in_instruction=True),
    ]

    shown, made = export_from_screen(instructor_client, "csv", onglet="mes_dossiers")
    assert len(shown) == 2
    rows = csv_rows(instructor_client, made)
    header, body = rows[0], rows[1:]
    assert "Instructeur" in header
    assert sorted(r[0] for r in body) == sorted(c.display_number for c in shown)
    assert {r[header.index("Instructeur")] for r in body} == {"Alice Durand"}

    # A filter on top of the tab narrows the file as it narrows the screen.
    wanted = cases[1].display_number
    shown, made = export_from_screen(instructor_client, "csv", onglet="mes_dossiers", q=wanted)
    assert [c.display_number for c in shown] == [wanted]
    assert [r[0] for r in csv_rows(instructor_client, made)[1:]] == [wanted]

    _, made = export_from_screen(instructor_client, "xlsx", onglet="a_traiter")
    sheet = xlsx_sheet(instructor_client, made)
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [row[0] for row in values[1:]] == [cases[2].display_number]
    assert values[1][values[0].index("Instructeur")] is None  # nobody has taken it


def planted_case() -> Case:
    case = CaseFactory(in_instruction=True, answers={**AID_ANSWERS, **FORMULAS})
    case.answers.update(WHITESPACE)
    Case.objects.filter(pk=case.pk).update(answers=case.answers)
    return case


def test_csv_cells_that_start_a_formula_are_neutralised_and_readable(instructor_client):
    case = planted_case()
    made = export(instructor_client, "csv", onglet="tous", procedure=case.procedure_id)
    rows = csv_rows(instructor_client, made)
    cells = [cell for row in rows for cell in row]
    typed = [*FORMULAS.values(), *WHITESPACE.values()]
    for value in typed:
        assert any(value in cell for cell in cells), value
    assert {value[0] for value in typed} == {"=", "+", "-", "@", "\t", "\r"}
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)
    for value in (FORMULAS["prenom"], FORMULAS["nom"], *WHITESPACE.values()):
        assert "'" + value in cells, value
    assert "'" + FORMULAS["adresse__street"] in " ".join(cells)


def test_xlsx_has_no_formula_and_typed_dates_and_numbers(instructor_client):
    case = planted_case()
    made = export(instructor_client, "xlsx", onglet="tous", procedure=case.procedure_id)
    sheet = xlsx_sheet(instructor_client, made)
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    row = dict(zip(header, rows[1], strict=True))
    assert all(c.data_type != "f" for r in rows for c in r)

    assert row["Prénom"].value == FORMULAS["prenom"]
    assert row["Prénom"].data_type == "s"
    assert row["Nom"].value == FORMULAS["nom"]
    assert row["Situation familiale"].value.lstrip("\t") == "=1+1"

    submitted = row["Déposée le"]
    assert submitted.is_date
    assert submitted.value.date() == timezone.localtime(case.submitted_at).date()
    assert row["Date de naissance"].is_date
    assert row["Date de naissance"].value.date() == date(1985, 4, 12)
    for label, expected in (
        ("Revenu fiscal de référence (en euros)", 18500),
        ("Nombre de personnes au foyer", 3),
    ):
        assert row[label].data_type == "n", label
        assert row[label].value == expected
    assert row["Numéro"].value == case.display_number
    assert row["État"].value == "En instruction"


def test_the_file_is_named_in_paris_time(instructor_client):
    CaseFactory(in_instruction=True)
    # 21:30 in UTC is 23:30 in Paris in summer.
    with time_machine.travel(datetime(2026, 7, 14, 21, 30, tzinfo=UTC), tick=False):
        made = export(instructor_client, "csv", onglet="tous")
    response, _ = download(instructor_client, made)
    assert re.search(r"demandes-20260714-2330\.csv", response["Content-Disposition"])


def test_export_states_are_in_staff_words(instructor, instructor_client):
    CaseFactory(awaiting_applicant=True, instructor=instructor)
    for export_format in ("csv", "xlsx"):
        _, made = export_from_screen(instructor_client, export_format, onglet="attente")
        if export_format == "csv":
            header, row = csv_rows(instructor_client, made)
        else:
            header, row = ([c.value for c in r] for r in xlsx_sheet(instructor_client, made).rows)
        assert row[header.index("État")] == "En attente de l'usager", export_format
