"""Safe, typed cells for the CSV and XLSX exports.

Applicants write the emails and answers an export carries. A text starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by spreadsheet
programs (OWASP "CSV injection"):

- in CSV, such a text gets a leading apostrophe: the spreadsheet shows it as text and the
  value stays readable (``'=1+2``);
- in XLSX, every text is written as a string cell (never a formula, whatever it starts
  with) and such a text also carries Excel's "quote prefix" style, the XLSX form of the
  typed apostrophe, so editing the cell does not turn it into a formula either.

Dates and numbers stay typed in XLSX (date cells in French format, numeric cells).
"""

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"


def is_risky(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """The text as a CSV cell no spreadsheet evaluates."""
    return "'" + text if is_risky(text) else text


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | Decimal | float):
        return str(value).replace(".", ",")  # French spreadsheets read "12,5"
    return neutralise(str(value))


def to_csv(header: Iterable[str], rows: Iterable[Iterable]) -> tuple[bytes, int]:
    """UTF-8 with BOM, ``;``-separated (what French spreadsheets open directly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_csv_value(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def _xlsx_cell(sheet, value):
    if value is None:
        return None
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    text = str(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
    if is_risky(text):
        cell.quotePrefix = True
    return cell


def to_xlsx(title: str, header: Iterable[str], rows: Iterable[Iterable]) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([_xlsx_cell(sheet, h) for h in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
