"""Delimiter and header detection for delimited text, from a decoded head sample.

Written by hand on top of the csv module because DuckDB's `sniff_csv` silently picks a
wrong dialect on the files leaks are made of (measured with DuckDB 2.0: a ';' file with
one short row is read as a single ','-column; mixed CRLF/LF line endings make it fail),
and assumes a header whenever every column is text, so a headerless export of names
would lose its first person. The reading itself stays with DuckDB (see csv.py).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass

DELIMITERS = (";", ",", "\t", "|")
SAMPLE_ROWS = 2000
_DIGIT = re.compile(r"\d")
_NUMBER_LIKE = re.compile(r"[\d\s.,/:+\-()]*\d[\d\s.,/:+\-()]*")


PREAMBLE_ROWS = 10


@dataclass
class Dialect:
    delimiter: str
    header: bool
    columns: list[str]     # unique names, in order (header or column_1..column_N)
    skip_lines: int = 0    # title lines before the table ("Export du 12/03/2024")


def _rows(sample: str, delimiter: str, complete: bool) -> tuple[list[list[str]], list[int]]:
    """Non-blank records of the sample and the line each one starts on (1-based)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"',
                        strict=False)
    rows, starts, previous = [], [], 0
    try:
        for row in reader:
            if row:
                rows.append(row)
                starts.append(previous + 1)
            previous = reader.line_num
            if len(rows) > SAMPLE_ROWS:
                break
    except csv.Error:
        pass
    if not complete and len(rows) <= SAMPLE_ROWS and rows:
        rows.pop()          # the sample may end mid-record
    return rows[:SAMPLE_ROWS], starts[:SAMPLE_ROWS]


def preamble_length(counts: list[int]) -> int:
    """How many leading rows are a title above the table ("Export du 12/03/2024"): rows
    (at most PREAMBLE_ROWS) with a single field, above a table of 3 or more columns.
    Kept that strict because a skipped row is lost: a short first record of a ragged
    headerless file must not be taken for a title."""
    if not counts:
        return 0
    usual = Counter(counts).most_common(1)[0][0]
    skip = 0
    while usual >= 3 and skip < min(PREAMBLE_ROWS, len(counts) - 1) and counts[skip] <= 1:
        skip += 1
    return skip


def padded_title_length(rows: list[list[str]]) -> int:
    """Title rows padded with delimiters to the table's width ("Export du 12/03/2024;;;"):
    one filled field, the rest empty. Skipped only when the row after them reads as a
    header, since a data row with one filled field must never be lost."""
    skip = 0
    while (skip < min(PREAMBLE_ROWS, len(rows) - 2) and len(rows[skip]) >= 3
           and sum(1 for field in rows[skip] if field.strip()) <= 1):
        skip += 1
    return skip if skip and looks_like_header(rows[skip:]) else 0


def _score(rows: list[list[str]]) -> float:
    """Share of rows with the modal field count, weighted by log of that count (0 if < 2):
    a ',' inside ';'-separated values also splits rows evenly, into fewer fields."""
    if not rows:
        return 0.0
    width, hits = Counter(len(r) for r in rows).most_common(1)[0]
    if width < 2:
        return 0.0
    return hits / len(rows) * math.log(width)


def sniff_dialect(sample: str, complete: bool) -> Dialect:
    """Pick the delimiter whose field count is the most regular, then decide the header."""
    best, best_score = ",", 0.0
    for delimiter in DELIMITERS:
        score = _score(_rows(sample, delimiter, complete)[0])
        if score > best_score:
            best, best_score = delimiter, score
    rows, starts = _rows(sample, best, complete)
    if not rows:
        rows, starts = [[""]], [1]
    skip = preamble_length([len(r) for r in rows[:SAMPLE_ROWS]])
    skip += padded_title_length(rows[skip:])
    rows = rows[skip:]
    width = max(Counter(len(r) for r in rows).most_common(1)[0][0], len(rows[0]))
    header = looks_like_header(rows)
    names = rows[0] if header else []
    return Dialect(best, header, column_names(names, width), skip_lines=starts[skip] - 1)


def column_names(header: list[str], width: int) -> list[str]:
    """Header names made unique (ignoring case, as SQL does) and non-empty; missing ones
    are column_N (1-based)."""
    names, seen = [], set()
    for index in range(width):
        name = header[index].strip() if index < len(header) else ""
        name = name or f"column_{index + 1}"
        base, suffix = name, 2
        while name.casefold() in seen:
            name, suffix = f"{base}_{suffix}", suffix + 1
        seen.add(name.casefold())
        names.append(name)
    return names


def _shape(value: str) -> str:
    """empty, number (digits and separators: numbers, dates, phones, NIRs), email,
    mixed (letters and digits) or text."""
    value = value.strip()
    if not value:
        return "empty"
    if "@" in value:
        return "email"
    if _NUMBER_LIKE.fullmatch(value):
        return "number"
    return "mixed" if _DIGIT.search(value) else "text"


def looks_like_header(rows: list[list[str]]) -> bool:
    """True when the first row names the columns rather than holding a record.

    Votes per column: a number or an email in the first row is data (no header is
    one); a word (or 'Q1') above a column that is mostly numbers, dates or emails is a
    header. Without votes (all-text columns), a first-row value that reappears below is
    data (a name), otherwise the first row is taken as a header.
    """
    if not rows:
        return False
    first, rest = rows[0], rows[1:]
    if not rest:
        return all(_shape(v) in ("text", "mixed") for v in first)
    header_votes = data_votes = 0
    for index, value in enumerate(first):
        shape = _shape(value)
        if shape in ("number", "email"):
            data_votes += 1
            continue
        below = [_shape(r[index]) for r in rest if index < len(r) and r[index].strip()]
        if not below:
            continue
        dominant, count = Counter(below).most_common(1)[0]
        if count >= 0.8 * len(below) and (
                dominant in ("number", "email") or (shape == "text" and dominant == "mixed")):
            header_votes += 1
    if header_votes or data_votes:
        return header_votes > data_votes
    repeated = sum(1 for index, value in enumerate(first)
                   if value.strip() and any(index < len(r) and r[index] == value for r in rest))
    return repeated == 0
