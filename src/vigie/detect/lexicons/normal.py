"""One folding and one tokenisation for lexicon terms and scanned text, in Python and Arrow.

Terms and text must be cut the same way or a term silently never matches, so both paths
live here side by side: `fold` / `tokens` for one string (lexicon terms, small samples), and
`fold_array` for a whole Arrow column (vectorised Arrow compute kernels, no Python loop per
cell). Folding = lower case, accents dropped, ligatures and Greek letters of lab notation
spelled out (œ -> oe, β -> b as in "β-HCG" = "b-hcg"). A token is a maximal run of
[a-z0-9]; everything else (spaces, punctuation, "|" of exam lists, hyphens, apostrophes) only
separates tokens, which is what makes matching word-bounded: "vih" never matches "vihuela".
"""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc

# Characters NFKD does not decompose to ASCII but that French clinical text uses.
SPELLED = {"œ": "oe", "æ": "ae", "ß": "ss", "β": "b", "µ": "u", "μ": "u", "ø": "o", "ł": "l"}
TOKEN_SEPARATORS = "[^a-z0-9]+"
_SEPARATORS_RE = re.compile(TOKEN_SEPARATORS)
_MARKS = r"\p{Mn}+"


def fold(text: str) -> str:
    """'Sérologie VIH Négative' -> 'serologie vih negative'."""
    text = text.lower()
    if text.isascii():      # nothing to spell out or strip
        return text
    for char, spelled in SPELLED.items():
        text = text.replace(char, spelled)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded tokens of one string: "Ag HBs+|β-HCG" -> ['ag', 'hbs', 'b', 'hcg']."""
    return [t for t in _SEPARATORS_RE.split(fold(text)) if t]


def fold_array(values: pa.Array) -> pa.Array:
    """`fold` over a whole string column with Arrow kernels (nulls stay null)."""
    folded = pc.utf8_lower(values)
    for char, spelled in SPELLED.items():
        folded = pc.replace_substring(folded, char, spelled)
    folded = pc.utf8_normalize(folded, form="NFKD")
    return pc.replace_substring_regex(folded, _MARKS, "")


def token_lists(values: pa.Array) -> pa.ListArray:
    """Folded tokens of every cell, as one Arrow list array (one list per row).

    The leading/trailing separators of a cell give empty tokens at its edges; they match
    no term and are harmless.
    """
    return pc.split_pattern_regex(fold_array(values), TOKEN_SEPARATORS)
