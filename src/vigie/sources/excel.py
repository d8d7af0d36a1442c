"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) with python-calamine: one table per sheet.

Calamine reads the cached value of a formula cell and never evaluates anything. Title
rows above a sheet's table are skipped (`sniff.preamble_length`); the next row is its
header when `sniff.looks_like_header` says so (otherwise columns are column_1..N). Cells become strings: integral numbers without
".0" (a NIR or a phone stored as a number keeps its digits), dates in ISO 8601.
The workbook zip is checked against the archive bomb limits before calamine opens it.
Calamine holds one sheet's cells in memory while it is read: a sheet is at most
1,048,576 rows, so this is bounded, but it is the one reader that is not streaming.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Iterator

import pyarrow as pa
from python_calamine import CalamineWorkbook

from vigie.errors import InputError
from vigie.sources.base import BATCH_ROWS, Source, SourceInfo, Table
from vigie.sources.limits import check_columns
from vigie.sources.sniff import column_names, looks_like_header, preamble_length

_HEADER_SAMPLE = 200
_WORKBOOK_MEMBERS = ("xl/workbook.xml", "xl/workbook.bin")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def is_workbook_zip(path: Path) -> bool:
    """A zip that is an Office Open XML or OpenDocument spreadsheet."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if names & set(_WORKBOOK_MEMBERS):
                return True
            return "mimetype" in names and zf.read("mimetype").strip() == _ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def cell_text(value: object) -> str | None:
    """A cell as text: '' -> None, 12.0 -> '12', dates ISO."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def open_excel(path: Path, label: str) -> Source:
    """Open a workbook; each non-empty sheet is a table named after the sheet."""
    if zipfile.is_zipfile(path):
        from vigie.sources.archive import zip_limits
        try:
            with zipfile.ZipFile(path) as zf:
                zip_limits(zf, label)
        except zipfile.BadZipFile:
            raise InputError(label, "unreadable workbook (corrupt zip)") from None
    workbook = _workbook(path, label)
    try:
        sheet_names = list(workbook.sheet_names)
    finally:
        workbook.close()
    tables = [t for t in (_sheet_table(path, label, name) for name in sheet_names) if t]
    info = SourceInfo(path=label, format="excel", bytes=path.stat().st_size)
    return Source(info, lambda: iter(tables))


def _workbook(path: Path, label: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine's errors carry no input values
        raise InputError(label, f"unreadable workbook ({type(exc).__name__})") from None


def _rows(path: Path, label: str, sheet_name: str) -> Iterator[list[str | None]]:
    """Non-empty rows of a sheet as text, opening the workbook afresh (re-readable)."""
    workbook = _workbook(path, label)
    try:
        for row in workbook.get_sheet_by_name(sheet_name).iter_rows():
            cells = [cell_text(v) for v in row]
            if any(c is not None for c in cells):
                yield cells
    except Exception as exc:  # noqa: BLE001 - calamine's own types, no input values
        raise InputError(f"{label}!{sheet_name}",
                         f"unreadable sheet ({type(exc).__name__})") from None
    finally:
        workbook.close()


def _sheet_table(path: Path, label: str, sheet_name: str) -> Table | None:
    sample: list[list] = []
    rows, width = 0, 0
    for cells in _rows(path, label, sheet_name):
        if len(sample) < _HEADER_SAMPLE:
            sample.append(["" if c is None else c for c in cells])
        rows += 1
        width = max(width, len(cells))
    if rows == 0:
        return None
    check_columns(f"{label}!{sheet_name}", width)
    preamble = preamble_length([sum(1 for c in row if c) for row in sample])
    header = looks_like_header(sample[preamble:])
    columns = column_names(sample[preamble] if header else [], width)
    origin = f"{label}!{sheet_name}"
    skip = preamble + int(header)

    def batches() -> Iterator[pa.RecordBatch]:
        buffer: list[list[str | None]] = [[] for _ in columns]
        for number, cells in enumerate(_rows(path, label, sheet_name)):
            if number < skip:
                continue
            for index, column in enumerate(buffer):
                column.append(cells[index] if index < len(cells) else None)
            if len(buffer[0]) == BATCH_ROWS:
                yield _batch(buffer, columns)
                buffer = [[] for _ in columns]
        if buffer[0]:
            yield _batch(buffer, columns)

    return Table(name=sheet_name, columns=columns, rows=rows - skip, origin=origin,
                 batches=batches)


def _batch(buffer: list[list[str | None]], columns: list[str]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array(v, pa.string()) for v in buffer], names=columns)
