"""The advice library (advice.json, versioned data): French labels per kind and the advice
blocks a patient gets for the kinds that leaked about them, each with its authority source."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from vigie.kinds import KIND_CATEGORY, KINDS, MENTIONS

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
    return library()["version"]


def label(kind: str) -> str:
    """Plain-French name of a kind, as a patient reads it."""
    return library()["labels"].get(kind, kind)


def blocks_for(kinds: list[str]) -> list[dict]:
    """The 'always' block first, then each block one of whose kinds leaked (library order)."""
    present = set(kinds)
    lib = library()
    return [lib["always"]] + [b for b in lib["blocks"] if present.intersection(b["kinds"])]


def category(kind: str) -> str:
    """Category of a kind; free-text mentions count as health."""
    return "health" if kind in MENTIONS else KIND_CATEGORY.get(kind, "none")


def consequences_for(kinds: list[str]) -> list[str]:
    """Likely consequences (art. 33(3)(c), 34(2)) derived from the advice blocks' risks."""
    return [b["risk"] for b in blocks_for(kinds)]
