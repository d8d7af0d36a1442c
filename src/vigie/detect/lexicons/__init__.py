"""Offline medical lexicons, compiled into one n-gram table for the free-text scanner.

Sources (see data/SOURCES.md): hand-written French mention vocabulary (`mentions.py`) and
lab exams (`labs.py`); drug names (edsnlp / Romedi, plus hand-listed HIV and hepatitis
antivirals, `drugs.py`); CIM-10 codes (edsnlp / ATIH, `cim10.py`).

`mention_lexicon()` turns them into what `vigie.detect.freetext` needs: for n = 1..4, a map
from a space-joined folded token n-gram to a bit mask of mentions (bit i = `MENTIONS[i]`,
plus `CLINICAL_BIT` for general clinical vocabulary), and per mention the single-token
regexes of `mentions.TOKEN_PATTERNS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pyarrow as pa

from vigie.detect.lexicons import cim10, drugs, labs, mentions
from vigie.detect.lexicons.normal import fold, tokens
from vigie.kinds import MENTIONS

MENTION_BIT: dict[str, int] = {m: 1 << i for i, m in enumerate(MENTIONS)}
CLINICAL_BIT = 1 << 15    # masks are uint16: room for 15 mentions
assert len(MENTIONS) < 15, "mention masks are uint16; widen them before adding mentions"
MAX_NGRAM = 4
NUMBER_TOKEN = "#"        # stands for any all-digit token in a term


@dataclass(frozen=True)
class MentionLexicon:
    """Compiled lexicon. `ngrams[n]` maps "tok1 tok2" to a bit mask; `patterns` maps a
    mention bit to single-token regexes (RE2/`re` compatible, fullmatch)."""

    ngrams: dict[int, dict[str, int]]
    patterns: dict[int, tuple[str, ...]]

    def first_tokens(self, n: int) -> frozenset[str]:
        """Tokens that start some n-gram term (cheap pre-filter before joining n-grams)."""
        return frozenset(key.split(" ", 1)[0] for key in self.ngrams[n])

    @cached_property
    def arrow_tables(self) -> dict[int, tuple[pa.Array, np.ndarray, pa.Array, bool]]:
        """Per n: the terms as an Arrow value set, their bit masks (aligned), the Arrow
        value set of first tokens (large_string, like the scanned text), and whether some term holds `NUMBER_TOKEN`; built once
        for `pyarrow.compute.index_in`."""
        built = {}
        for n, table in self.ngrams.items():
            terms = list(table)
            built[n] = (pa.array(terms, type=pa.large_string()),
                        np.array([table[t] for t in terms], dtype=np.uint16),
                        pa.array(sorted(self.first_tokens(n)), type=pa.large_string()),
                        any(NUMBER_TOKEN in t.split(" ") for t in terms))
        return built


def _add(table: dict[int, dict[str, int]], term: str, bits: int) -> None:
    toks = [t for w in term.split() for t in ([w] if w == NUMBER_TOKEN else tokens(w))]
    if not toks or len(toks) > MAX_NGRAM:
        return
    key = " ".join(toks)
    table[len(toks)][key] = table[len(toks)].get(key, 0) | bits


@cache
def mention_lexicon() -> MentionLexicon:
    """Every mention term, drug, CIM-10 code and clinical word, compiled once per process."""
    table: dict[int, dict[str, int]] = {n: {} for n in range(1, MAX_NGRAM + 1)}
    for mention, terms in mentions.MENTION_TERMS.items():
        for term in terms:
            _add(table, term, MENTION_BIT[mention])
    for name, found in drugs.drug_mentions().items():
        _add(table, name, _bits(found))
    for code, found in cim10.code_mentions().items():
        _add(table, code, _bits(found))
    for term in mentions.CLINICAL_TERMS + labs.LAB_EXAMS:
        _add(table, term, CLINICAL_BIT)
    patterns = {MENTION_BIT[m]: tuple(fold(p) for p in ps)
                for m, ps in mentions.TOKEN_PATTERNS.items()}
    return MentionLexicon(ngrams=table, patterns=patterns)


def _bits(found: frozenset[str]) -> int:
    bits = 0
    for mention in found:
        bits |= MENTION_BIT[mention]
    return bits


def mentions_of_bits(bits: int) -> list[str]:
    """The mention names set in a bit mask, in `MENTIONS` order."""
    return [m for m in MENTIONS if bits & MENTION_BIT[m]]
