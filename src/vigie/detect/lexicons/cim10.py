"""CIM-10 (French ICD-10) codes and labels, and the mention each chapter block discloses.

Data: `data/cim10.csv.gz` (code,label), the ATIH "à usage PMSI" list shipped by edsnlp 0.23.0
(BSD-3-Clause), extracted by scripts/extract_medical_lexicons.py. Codes are stored without
the dot ("E119"); text writes them "E11.9", "E11 .9" or "E119".
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib.resources import files

# Code blocks (first three characters, inclusive ranges) -> mention. WHO ICD-10 chapters.
BLOCK_MENTIONS: tuple[tuple[str, str, str], ...] = (
    ("B20", "B24", "hiv"), ("Z21", "Z21", "hiv"), ("R75", "R75", "hiv"),
    ("B15", "B19", "hepatitis"),
    ("O00", "O99", "pregnancy"), ("Z32", "Z37", "pregnancy"), ("Z39", "Z39", "pregnancy"),
    ("E10", "E14", "diabetes"), ("O24", "O24", "diabetes"),
    ("C00", "D09", "cancer"),
    ("F00", "F09", "mental_health"), ("F20", "F99", "mental_health"),
    ("X60", "X84", "mental_health"),
    ("F10", "F19", "addiction"),
    ("A50", "A64", "sti"),
)


@cache
def labels() -> dict[str, str]:
    """CIM-10 code (no dot, upper case) -> French label."""
    raw = files("vigie.detect.lexicons").joinpath("data", "cim10.csv.gz").read_bytes()
    with io.TextIOWrapper(io.BytesIO(gzip.decompress(raw)), encoding="utf-8") as text:
        rows = csv.reader(text)
        header = next(rows)
        code, label = header.index("code"), header.index("label")
        return {row[code]: row[label] for row in rows}


def normalise_code(text: str) -> str:
    """'e11.9 ' -> 'E119'."""
    return text.strip().upper().replace(".", "").replace(" ", "")


def is_code(text: str) -> bool:
    """True when `text` is a CIM-10 code of the list, with or without its dot."""
    return normalise_code(text) in labels()


def mentions_of(code: str) -> frozenset[str]:
    """Mentions a (valid or not) code discloses from its block: 'B20.1' -> {'hiv'}."""
    block = normalise_code(code)[:3]
    return frozenset(m for low, high, m in BLOCK_MENTIONS if low <= block <= high)


@cache
def code_mentions() -> dict[str, frozenset[str]]:
    """Folded code token -> mentions, for every listed code in a mention block.

    Both the three-character block ("e11") and the full dotless code ("e119") are keys, so
    "E11.9" (tokens "e11", "9") and "E119" both match.
    """
    table: dict[str, frozenset[str]] = {}
    by_block: dict[str, frozenset[str]] = {}      # 42 k codes, 2 k blocks
    for code in labels():
        block = code[:3]
        if block not in by_block:
            by_block[block] = mentions_of(block)
        found = by_block[block]
        if found:
            table[code.lower()] = found
            table[code[:3].lower()] = found
    return table
