"""Shared helpers of the medical recognisers: lexicon look-ups on one value, and the SQL
folding that mirrors `vigie.detect.lexicons.normal.fold` in DuckDB."""

from __future__ import annotations

import re

from vigie.detect.lexicons.normal import TOKEN_SEPARATORS, tokens

# DuckDB's strip_accents + lower, tokens separated by one space: the SQL twin of `tokens`
# (β-HCG and ligatures aside, which do not occur in the structured values counted in SQL).
FOLDED_SQL = ("trim(regexp_replace(strip_accents(lower({col})), '" + TOKEN_SEPARATORS
              + "', ' ', 'g'))")
# Separators of a list of items in one cell: "NFS|CRP", "NFS; CRP", "NFS, CRP", "NFS + CRP".
ITEM_SEPARATORS = re.compile(r"\s*[|;,+/\n]\s*")
ITEM_SEPARATORS_SQL = r"\s*[|;,+/\n]\s*"


def folded_key(text: str) -> str:
    """The lexicon key of a phrase: its folded tokens joined by one space."""
    return " ".join(tokens(text))


def sql_string_list(items) -> str:
    """A DuckDB list literal of strings: ['a', 'b']."""
    return "[" + ", ".join("'" + i.replace("'", "''") + "'" for i in sorted(items)) + "]"
