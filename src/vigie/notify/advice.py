"""The advice library (advice.json, versioned data): the advice blocks a patient gets for
the kinds that leaked about them, each with its authority source. Which kinds get which
block, and how each kind is named in French, is the kinds table's (vigie.kinds)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from vigie.kinds import KINDS, MENTIONS, meaning, wording_digest

DATA = Path(__file__).with_name("advice.json")
# Documents list kinds in the vocabulary's order: identity first, health mentions last.
ORDER = {k: i for i, k in enumerate(KINDS + MENTIONS)}


def kind_order(kind: str) -> tuple[int, str]:
    """Sort key of a kind in that order; a kind outside the vocabulary goes last, by name."""
    return ORDER.get(kind, len(ORDER)), kind


@cache
def library() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def version() -> str:
    """The library's version and the digest of the kinds table's wording: a changed block
    or a changed label is a new version."""
    return f"{library()['version']}.{wording_digest()}"


def label(kind: str) -> str:
    """Plain-French name of a kind, as a patient reads it."""
    return meaning(kind).label or kind


def blocks_for(kinds: list[str]) -> list[dict]:
    """The 'always' block first, then each block one of the kinds calls for (library order)."""
    wanted = {block for k in kinds for block in meaning(k).advice}
    lib = library()
    return [lib["always"]] + [b for b in lib["blocks"] if b["id"] in wanted]


def category(kind: str) -> str:
    """Category of a kind; free-text mentions count as health."""
    return meaning(kind).category


def consequences_for(kinds: list[str]) -> list[str]:
    """Likely consequences (art. 33(3)(c), 34(2)) derived from the advice blocks' risks."""
    return [b["risk"] for b in blocks_for(kinds)]
