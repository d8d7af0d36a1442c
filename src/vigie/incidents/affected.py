"""Read DIR/affected.csv (from `vigie assess --registry`) into minimal register rows.

Streams the file (csv module, one row at a time) and keeps only what the register may
hold: HMAC(registry id), the exposed personal kinds (record ids and event dates say
nothing to a patient), the match probability and the controller group. Every bad row is an InputError naming the file and line, never the value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from vigie.errors import InputError
from vigie.incidents.keys import person_key
from vigie.kinds import EXPOSED_NAMES, meaning

REQUIRED = ("registry_id", "match_probability", "exposed_kinds")
VOCABULARY = frozenset(EXPOSED_NAMES)
MAX_FIELD = 1 << 20


def open_csv_input(path: Path) -> TextIO:
    """Open a UTF-8 CSV that Vigie wrote or a user gave (affected.csv, a registry, a
    manifest): fields up to MAX_FIELD, and an unreadable file is one InputError naming it."""
    csv.field_size_limit(MAX_FIELD)
    try:
        return open(path, newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot open ({exc.strerror})") from None


def read_affected(path: Path, key: bytes) -> Iterator[dict]:
    """Yield {person_key, kinds, match_probability, grp} per affected person."""
    with open_csv_input(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(path, "empty file", line=1)
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise InputError(path, f"missing column(s): {', '.join(missing)}", line=1)
            at = {name: header.index(name) for name in header}
            for row in reader:
                line = reader.line_num
                if not row:
                    continue
                if len(row) != len(header):
                    raise InputError(path, f"expected {len(header)} fields, found {len(row)}",
                                     line=line)
                registry_id = row[at["registry_id"]].strip()
                if not registry_id:
                    raise InputError(path, "empty registry_id", line=line)
                try:
                    probability = float(row[at["match_probability"]])
                except ValueError:
                    raise InputError(path, "match_probability is not a number", line=line) from None
                if not 0.0 <= probability <= 1.0:
                    raise InputError(path, "match_probability outside [0, 1]", line=line)
                kinds = [k for k in row[at["exposed_kinds"]].split("|") if k]
                unknown = [k for k in kinds if k not in VOCABULARY]
                if unknown:
                    raise InputError(path, "exposed_kinds holds a name outside the kinds "
                                           "vocabulary", line=line)
                group = row[at["group"]].strip() if "group" in at else ""
                personal = {k for k in kinds if meaning(k).personal}
                yield {"person_key": person_key(key, registry_id),
                       "kinds": "|".join(sorted(personal)),
                       "match_probability": probability, "grp": group}
        except csv.Error:
            raise InputError(path, "malformed CSV", line=reader.line_num) from None
        except UnicodeDecodeError:
            raise InputError(path, "not UTF-8 text", line=reader.line_num + 1) from None
