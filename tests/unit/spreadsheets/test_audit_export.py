"""Exporting the trail to .xlsx and .csv: read back, nothing half-written, nothing personal."""

from __future__ import annotations

import csv
import io
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crmsup.records.audit_trail.query import AuditFilter, AuditRow, list_entries
from crmsup.records.audit_trail.service import verify
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.people.associates import get_associate
from crmsup.spreadsheets import audit_export
from crmsup.spreadsheets.audit_export import HEADERS, SheetFormat, export_entries, format_for
from tests.factories import Org, add_associate

PERSONAL = ("Ørjan", "Bøe", "orjan.boe@example.org", "Storgata", "+47 22 33 44 55")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the exports (the SQLite database lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _busy(org: Org) -> None:
    add_associate(org)
    get_associate(org.db, org.sup_a, "E100")


def _xlsx_text(path: Path) -> str:
    """Every XML part of the workbook, decompressed."""
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def _read_xlsx(path: Path) -> tuple[list[object], list[list[object]], str | None]:
    book = load_workbook(path)
    try:
        sheet = book[audit_export.SHEET_TITLE]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        return rows[0], rows[1:], sheet.freeze_panes
    finally:
        book.close()


def test_xlsx_export_reads_back_with_real_dates_and_a_frozen_header(org: Org, out: Path) -> None:
    _busy(org)
    target = out / "trail.xlsx"
    result = export_entries(org.db, org.hr, target)
    assert (result.format, result.path) == (SheetFormat.XLSX, target)
    header, rows, frozen = _read_xlsx(target)
    assert header == list(HEADERS)
    assert frozen == "A2"
    assert len(rows) == result.count
    assert [r[0] for r in rows] == list(range(1, result.count + 1))
    assert all(isinstance(r[1], datetime) for r in rows)
    assert {"associate.create", "associate.view", "login"} <= {r[4] for r in rows}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = _xlsx_text(target)
    for secret in PERSONAL:
        assert secret not in text
    assert [p.name for p in out.iterdir()] == ["trail.xlsx"]


def test_csv_export_is_utf8_with_a_bom_and_filtered(org: Org, out: Path) -> None:
    _busy(org)
    target = out / "views.CSV"
    result = export_entries(org.db, org.hr, target, AuditFilter(action="associate.view"))
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    for secret in PERSONAL:
        assert secret.encode() not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(HEADERS)
    assert result.count == 1
    assert [(r[2], r[4]) for r in rows[1:]] == [("sup-a", "associate.view")]
    assert rows[1][1].endswith("Z")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_export_is_recorded_with_format_and_count(org: Org, out: Path) -> None:
    export_entries(org.db, org.hr, out / "a.csv", AuditFilter(limit=4))
    export_entries(org.db, org.hr, out / "b.xlsx")
    recorded = list_entries(org.db, org.admin, action="audit.export")
    assert [(r.actor, r.details["format"], r.details["count"]) for r in recorded[:1]] == [
        ("hr", "csv", 4)
    ]
    assert recorded[1].details["format"] == "xlsx"
    assert verify(org.db).ok


@pytest.mark.parametrize("name", ["trail.txt", "trail", "trail.xls", "trail.csv.gz"])
def test_another_suffix_is_refused_before_anything_is_written(
    org: Org, out: Path, name: str
) -> None:
    with pytest.raises(ValidationFailed, match=r"\.xlsx .* \.csv"):
        export_entries(org.db, org.hr, out / name)
    assert list(out.iterdir()) == []
    assert list_entries(org.db, org.admin, action="audit.export") == []


def test_a_supervisor_may_not_export_and_nothing_is_written(org: Org, out: Path) -> None:
    target = out / "trail.csv"
    with pytest.raises(PermissionDenied):
        export_entries(org.db, org.sup_a, target)
    assert list(out.iterdir()) == []
    refused = list_entries(org.db, org.admin, action="audit.export")
    assert [(r.actor, r.outcome) for r in refused] == [("sup-a", "denied")]


def test_a_failed_write_leaves_the_previous_file_and_records_nothing(
    org: Org, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = out / "trail.xlsx"
    target.write_bytes(b"the previous export")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit_export, "write_rows", disk_full)
    with pytest.raises(ValidationFailed, match="No space left"):
        export_entries(org.db, org.hr, target)
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in out.iterdir()] == ["trail.xlsx"]
    assert list_entries(org.db, org.admin, action="audit.export") == []


def _row(workstation: str, details: dict[str, object]) -> AuditRow:
    at = datetime(2026, 11, 23, 9, 30, 15, 250000, tzinfo=UTC)
    return AuditRow(1, at, "hr", workstation, "login", "user", "u1", "ok", details)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    rows = [_row('=HYPERLINK("http://x")', {}), _row("+1", {"f": ["a"]}), _row("ws\x07", {})]
    audit_export.write_xlsx(rows, tmp_path / "t.xlsx")
    audit_export.write_csv(rows, tmp_path / "t.csv")
    _, cells, _ = _read_xlsx(tmp_path / "t.xlsx")
    assert [c[3] for c in cells] == ['=HYPERLINK("http://x")', "+1", "ws\ufffd"]
    book = load_workbook(tmp_path / "t.xlsx")
    try:
        assert book[audit_export.SHEET_TITLE]["D2"].data_type == "s"
    finally:
        book.close()
    assert cells[0][1] == datetime(2026, 11, 23, 9, 30, 15, 250000)
    lines = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text("utf-8-sig"))))
    assert [line[3] for line in lines[1:]] == ['\'=HYPERLINK("http://x")', "'+1", "ws\x07"]
    assert lines[1][1] == "2026-11-23T09:30:15.250000Z"
    assert lines[2][8] == '{"f": ["a"]}'


def test_format_follows_the_suffix_whatever_its_case() -> None:
    assert format_for(Path("a.XLSX")) is SheetFormat.XLSX
    assert format_for(Path("dir.v2/a.csv")) is SheetFormat.CSV
