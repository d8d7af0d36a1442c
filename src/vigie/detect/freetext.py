"""Free-text scanner: which rows of a column mention HIV, a pregnancy, a cancer... and which
identifiers hide inside a text.

API (what `vigie.assess` and the column classifier call)
--------------------------------------------------------
- `scan_mentions(values) -> dict[str, pa.BooleanArray]`: for a whole column (an Arrow string
  array, chunked array or list of str/None), one boolean per row for every mention of
  `vigie.kinds.MENTIONS`. Nulls are False.
- `column_mentions(con, table_sql, column, *, batch_rows=...) -> pa.Table`: the same over a
  DuckDB relation, streamed in record batches (memory stays bounded): columns `row_number`
  (0-based position of the row in `SELECT ... FROM table_sql`, no ORDER BY: DuckDB keeps the
  insertion order of a table) and one bool column per mention. Register it back with
  `con.register(...)` to count distinct persons per mention in SQL.
- `mention_counts(values) -> dict[str, int]`: rows per mention.
- `sample_is_medical(values) -> bool`: does a sample of a free-text column read like
  clinical writing (for the classifier's `medical_free_text` decision).
- `scan_identifiers(text) -> list[Finding]`: NIR, phone, email, date of birth and names
  after a title ("M.", "Mme", "Patient", "Dr") inside one text, with offsets.

How it is fast: never a Python loop per cell. The column is folded (lower case, no accents)
and cut into tokens by Arrow kernels; tokens are looked up in the lexicon's hash tables with
`pyarrow.compute.index_in` (unigrams, then bigrams..4-grams built only where a token can start
a term), the few regex-shaped tokens ("12sa", "g2p1") go through Arrow's RE2, and hits are
folded back to rows with numpy (`bitwise_or.at` on the list parent indices). Measured on this
2-core machine on 1,000,000 synthetic clinical notes (81 MB): this path takes about 4.6 s
(~215,000 cells/s, one core), against 13.7 s for the other candidate, DuckDB `regexp_matches`
(RE2, both cores) with one alternation per mention (bench/bench_freetext.py and the
docstring of `_duckdb_regex_seconds` there give the method).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.detect.lexicons import (CLINICAL_BIT, MAX_NGRAM, MENTION_BIT, NUMBER_TOKEN,
                                   mention_lexicon)
from vigie.detect.lexicons.normal import token_lists
from vigie.kinds import MENTIONS

# A free-text sample reads as clinical when at least this share of its non-empty cells uses
# clinical vocabulary or discloses a mention.
MEDICAL_SAMPLE_SHARE = 0.2
DEFAULT_BATCH_ROWS = 200_000


# -- mentions over whole columns ---------------------------------------------------------

def _as_string_array(values: pa.Array | pa.ChunkedArray | Sequence[str | None]) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if not isinstance(values, pa.Array):
        values = pa.array(list(values), type=pa.string())
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = pc.cast(values, pa.string())
    return values


def row_bits(values: pa.Array | pa.ChunkedArray | Sequence[str | None]) -> np.ndarray:
    """One uint16 bit mask per row (bit = `MENTION_BIT[m]` or `CLINICAL_BIT`)."""
    array = _as_string_array(values)
    n_rows = len(array)
    bits = np.zeros(n_rows, dtype=np.uint16)
    if n_rows == 0:
        return bits
    lists = token_lists(array)
    flat = lists.flatten()
    if len(flat) == 0:
        return bits
    parent = pc.list_parent_indices(lists).to_numpy()
    lexicon = mention_lexicon()
    is_number = pc.match_substring_regex(flat, r"^[0-9]+$")
    keys = pc.if_else(is_number, NUMBER_TOKEN, flat)

    token_bits = np.zeros(len(flat), dtype=np.uint16)
    _lookup(keys, lexicon.ngrams[1], token_bits, np.arange(len(flat)))
    for bit, patterns in lexicon.patterns.items():
        pattern = "^(?:" + "|".join(patterns) + ")$"
        hit = pc.match_substring_regex(flat, pattern).to_numpy(zero_copy_only=False)
        token_bits[hit] |= np.uint16(bit)
    for n in range(2, MAX_NGRAM + 1):
        _ngram_hits(keys, parent, n, lexicon.ngrams[n], lexicon.first_tokens(n), token_bits)

    hit_positions = np.flatnonzero(token_bits)
    np.bitwise_or.at(bits, parent[hit_positions], token_bits[hit_positions])
    return bits


def _lookup(keys: pa.Array, table: dict[str, int], out: np.ndarray, positions: np.ndarray) -> None:
    """OR into out[positions] the bit masks of `keys` found in `table` (hash lookup)."""
    terms = list(table)
    masks = np.array([table[t] for t in terms], dtype=np.uint16)
    index = pc.index_in(keys, value_set=pa.array(terms, type=pa.string()))
    index_np = index.to_numpy(zero_copy_only=False)
    found = ~np.isnan(index_np) if index_np.dtype.kind == "f" else index_np >= 0
    if not found.any():
        return
    out[positions[found]] |= masks[index_np[found].astype(np.int64)]


def _ngram_hits(keys: pa.Array, parent: np.ndarray, n: int, table: dict[str, int],
                starters: frozenset[str], out: np.ndarray) -> None:
    """Mark at their first token the n-grams of `table` (tokens of one row only)."""
    if not table:
        return
    start_mask = pc.is_in(keys, value_set=pa.array(sorted(starters), type=pa.string()))
    starts = np.flatnonzero(start_mask.to_numpy(zero_copy_only=False))
    starts = starts[starts + n - 1 < len(keys)]
    if len(starts) == 0:
        return
    same_row = parent[starts + n - 1] == parent[starts]
    starts = starts[same_row]
    if len(starts) == 0:
        return
    parts = [keys.take(pa.array(starts + k)) for k in range(n)]
    joined = pc.binary_join_element_wise(*parts, " ")
    _lookup(joined, table, out, starts)


def scan_mentions(values: pa.Array | pa.ChunkedArray | Sequence[str | None]
                  ) -> dict[str, pa.BooleanArray]:
    """For every mention of `MENTIONS`, one boolean per row: does the cell disclose it."""
    bits = row_bits(values)
    return {m: pa.array((bits & MENTION_BIT[m]) != 0) for m in MENTIONS}


def mention_counts(values: pa.Array | pa.ChunkedArray | Sequence[str | None]) -> dict[str, int]:
    """Number of rows disclosing each mention."""
    bits = row_bits(values)
    return {m: int(np.count_nonzero(bits & MENTION_BIT[m])) for m in MENTIONS}


def column_mentions(con, table_sql: str, column: str, *,
                    batch_rows: int = DEFAULT_BATCH_ROWS) -> pa.Table:
    """Scan one column of a DuckDB relation in bounded batches.

    `table_sql` is a FROM-clause item (a table name or a parenthesised query); `column` a
    column name (quoted here). Returns `row_number` (int64, 0-based) and one bool per
    mention. Only rows with at least one mention are returned, which keeps the table small
    (most notes disclose nothing); a row absent from it mentions nothing.
    """
    quoted = '"' + column.replace('"', '""') + '"'
    reader = con.execute(f"SELECT CAST({quoted} AS VARCHAR) AS v FROM {table_sql}"
                         ).fetch_record_batch(batch_rows)
    pieces: list[pa.Table] = []
    offset = 0
    mention_mask = np.uint16(sum(MENTION_BIT.values()))
    for batch in reader:
        bits = row_bits(batch.column(0)) & mention_mask
        rows = np.flatnonzero(bits)
        kept = bits[rows]
        columns = {"row_number": pa.array(rows + offset, type=pa.int64())}
        columns.update({m: pa.array((kept & MENTION_BIT[m]) != 0) for m in MENTIONS})
        pieces.append(pa.table(columns))
        offset += batch.num_rows
    if not pieces:
        return pa.table({"row_number": pa.array([], pa.int64()),
                         **{m: pa.array([], pa.bool_()) for m in MENTIONS}})
    return pa.concat_tables(pieces)


def sample_is_medical(values: Iterable[str | None]) -> bool:
    """True when a free-text sample reads like clinical writing or discloses health facts.

    Clinical vocabulary (patient, bilan, ordonnance, lab exams...) or any mention in at least
    `MEDICAL_SAMPLE_SHARE` of the non-empty cells.
    """
    cells = [v for v in values if v is not None and str(v).strip()]
    if not cells:
        return False
    bits = row_bits([str(v) for v in cells])
    hits = np.count_nonzero(bits)
    return hits >= 2 and hits / len(cells) >= MEDICAL_SAMPLE_SHARE


# -- identifiers inside one text ---------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """An identifier found in a text: its kind (from `vigie.kinds`) and character span.

    Deliberately no value: callers mask `text[start:end]` if they must show it.
    """

    kind: str
    start: int
    end: int
