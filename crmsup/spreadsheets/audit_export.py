"""Exporting the audit trail to `.xlsx` or `.csv` for an auditor's own tools.

The format follows the file's suffix. The file appears whole or not at all (written to a temp
file beside it, fsync'd, renamed; 0600), and only once the export is recorded in the trail
("audit.export"). Cells are written as values, never as formulas: a text that begins with
`=` stays text in Excel, and in the CSV it is prefixed with an apostrophe (OWASP's advice
against formula injection).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.audit_trail.query import EXPORT, AuditFilter, AuditRow, reading
from crmsup.records.checkpoints import replacing
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed

HEADERS = (
    "sequence",
    "at (UTC)",
    "actor",
    "workstation",
    "action",
    "entity type",
    "entity id",
    "outcome",
    "details",
)
SHEET_TITLE = "Audit trail"
_COLUMN_WIDTHS = (10, 22, 16, 18, 22, 14, 38, 10, 60)
#: Characters an .xlsx cell cannot hold (openpyxl refuses them).
_NOT_IN_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")
#: Leading characters a spreadsheet may read as the start of a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SheetFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    format: SheetFormat
    count: int


def format_for(path: Path) -> SheetFormat:
    """The format the file name asks for; ValidationFailed for any other suffix."""
    suffix = path.suffix.lower().lstrip(".")
    try:
        return SheetFormat(suffix)
    except ValueError:
        raise ValidationFailed(
            f"cannot export to {path.name}: name the file .xlsx (Excel) or .csv"
        ) from None


def _cells(row: AuditRow) -> tuple[int, datetime, str, str, str, str, str, str, str]:
    return (
        row.sequence,
        row.at,
        row.actor or "",
        row.workstation,
        row.action,
        row.entity_type or "",
        row.entity_id or "",
        row.outcome,
        json.dumps(row.details, sort_keys=True, ensure_ascii=False) if row.details else "",
    )


def write_xlsx(rows: Sequence[AuditRow], path: Path) -> None:
    """One sheet: a frozen header row, then one row per entry; times are real datetimes
    (UTC, without a zone, which Excel does not keep; Excel keeps milliseconds)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append(list(HEADERS))

    def text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, _NOT_IN_XLSX.sub("\ufffd", value))
        cell.data_type = "s"  # a value, never a formula
        return cell

    for row in rows:
        sequence, at, *texts = _cells(row)
        date = WriteOnlyCell(sheet, at.replace(tzinfo=None))
        date.number_format = "yyyy-mm-dd hh:mm:ss"
        sheet.append([sequence, date, *(text(value) for value in texts)])
    book.save(path)


def _csv_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_csv(rows: Sequence[AuditRow], path: Path) -> None:
    """UTF-8 with a byte-order mark (so that Excel reads accents right), one header row;
    times as the trail hashes them (ISO-8601 UTC with microseconds)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            sequence, at, *texts = _cells(row)
            writer.writerow([sequence, audit.iso(at), *(_csv_text(value) for value in texts)])


def write_rows(rows: Sequence[AuditRow], path: Path, sheet_format: SheetFormat) -> None:
    if sheet_format is SheetFormat.XLSX:
        write_xlsx(rows, path)
    else:
        write_csv(rows, path)


def export_entries(
    db: Database, actor: Actor, target: Path, filters: AuditFilter | None = None
) -> ExportResult:
    """Write the entries `filters` selects to `target` (.xlsx or .csv) for a reader of the
    trail; recorded as "audit.export" with the format and the number of entries."""
    sheet_format = format_for(target)
    filters = filters or AuditFilter()
    with (
        replacing(target) as temp,
        reading(db, actor, filters, EXPORT, {"format": sheet_format.value}) as rows,
    ):
        write_rows(rows, temp, sheet_format)
    return ExportResult(target, sheet_format, len(rows))
