"""Write the linkage results: DIR/affected.csv and DIR/review.csv, both 0600.

The list of affected patients is personal data in itself, so both files are created
private from their first byte (vigie.paths.write_private). Cells that a spreadsheet would
run as a formula are neutralised with a leading quote (CSV injection).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from vigie.link.linkage import LinkResult
from vigie.paths import write_private

AFFECTED_COLUMNS = ("registry_id", "match_probability", "leak_rows", "exposed_kinds")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_csv(path: Path, header: list[str], rows) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    write_private(path, buffer.getvalue())
    return path


def write_affected(result: LinkResult, out_dir: Path, *, with_group: bool = False) -> Path:
    """One row per affected registry person; lists joined by '|'. Returns the file's path."""
    table = result.affected
    header = list(AFFECTED_COLUMNS) + (["group"] if with_group else [])
    columns = [table.column(c).to_pylist() for c in ("registry_id", "match_probability",
                                                     "leak_rows", "exposed_kinds", "grp")]
    rows = ([rid, f"{p:.6f}", "|".join(map(str, leak_rows)), "|".join(kinds)]
            + ([group] if with_group else [])
            for rid, p, leak_rows, kinds, group in zip(*columns))
    return _write_csv(Path(out_dir) / "affected.csv", header, rows)


def write_review(result: LinkResult, out_dir: Path) -> Path:
    """Borderline pairs for a human, fields side by side, already masked by the linkage."""
    table = result.review
    return _write_csv(Path(out_dir) / "review.csv", table.column_names,
                      zip(*(table.column(c).to_pylist() for c in table.column_names)))
