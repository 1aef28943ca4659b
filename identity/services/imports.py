"""Reading the CSV files administrators import (organisations, OTP cards)."""

import csv
import io
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """What an import did: rows created, rows left alone (already there), refused rows."""

    created: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def csv_rows(data: bytes | str):
    """(line number, cells) of a CSV file (comma or semicolon), header line skipped when
    its first cell is not what a data row starts with (checked by the caller)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [cell.strip() for cell in cells]
        if any(cells):
            yield number, cells
