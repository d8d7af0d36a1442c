"""Write an export in the format its file name asks for, one batch at a time.

CSV (pyarrow), Excel (xlsxwriter in constant-memory mode; every cell written as a string,
so nothing is ever read as a formula), JSON lines, Parquet (with the source's column types,
see vigie.trace.types). Memory stays bounded by one batch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import pyarrow.compute as pc

from vigie.errors import InputError, UsageError

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".parquet": "parquet"}
EXCEL_MAX_ROWS = 1_048_575


def format_of(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise UsageError(f"{path}: export format must be one of "
                         f"{', '.join(sorted(FORMATS))} (from the file extension)") from None


class BatchWriter:
    """Context manager: `write(data)` appends rows given as text, column by column.

    Text formats get the text; Parquet gets each column cast to `types[column]` (text when
    absent), `source` naming the file in the error when a value does not fit its type."""

    def __init__(self, path: Path, columns: list[str],
                 types: dict[str, pa.DataType] | None = None, source: str = ""):
        self.path, self.columns, self.format = path, columns, format_of(path)
        self.source = source
        self.schema = pa.schema([pa.field(c, pa.string()) for c in columns])
        self.typed = pa.schema([pa.field(c, (types or {}).get(c, pa.string()))
                                for c in columns])
        self.rows = 0

    def __enter__(self) -> "BatchWriter":
        if self.format == "csv":
            self._writer = pacsv.CSVWriter(str(self.path), self.schema)
        elif self.format == "parquet":
            self._writer = pq.ParquetWriter(str(self.path), self.typed)
        elif self.format == "jsonl":
            self._writer = open(self.path, "w", encoding="utf-8")
        else:
            import xlsxwriter
            self._book = xlsxwriter.Workbook(str(self.path), {"constant_memory": True,
                                                              "strings_to_formulas": False,
                                                              "strings_to_numbers": False,
                                                              "strings_to_urls": False})
            self._sheet = self._book.add_worksheet("export")
            for col, name in enumerate(self.columns):
                self._sheet.write_string(0, col, name)
        return self

    def write(self, data: dict[str, list[str | None]]) -> None:
        table = pa.table({c: pa.array(data[c], pa.string()) for c in self.columns},
                         schema=self.schema)
        if self.format == "csv":
            self._writer.write_table(table)
        elif self.format == "parquet":
            self._writer.write_table(self._cast(table))
        elif self.format == "jsonl":
            for row in table.to_pylist():
                self._writer.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            if self.rows + table.num_rows > EXCEL_MAX_ROWS:
                raise UsageError(f"{self.path}: too many rows for one Excel sheet")
            for offset, row in enumerate(zip(*(data[c] for c in self.columns))):
                for col, value in enumerate(row):
                    if value is not None:
                        self._sheet.write_string(self.rows + offset + 1, col, value)
        self.rows += table.num_rows

    def _cast(self, table: pa.Table) -> pa.Table:
        columns = []
        for field in self.typed:
            try:
                columns.append(pc.cast(table.column(field.name), field.type))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                raise InputError(self.source, f"column {field.name}: a value does not fit "
                                 f"its declared type {field.type}") from None
        return pa.Table.from_arrays(columns, schema=self.typed)

    def __exit__(self, *exc) -> None:
        if self.format == "xlsx":
            self._book.close()
        else:
            self._writer.close()
