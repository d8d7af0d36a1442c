"""Loads the curated generation vocabularies of data/ into Arrow arrays, once per process.

Texts become Arrow string arrays so the generator can pick millions of rows with `take`;
the mentions of each text become a bit mask (see mentions.py) for the same reason.
"""

import csv
import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pyarrow as pa

from vigie.synth.mentions import mask_of

_PLACEHOLDER = re.compile(r"\{n:(\d+)-(\d+)\}")


@dataclass(frozen=True)
class Weighted:
    """Values with sampling probabilities (summing to 1)."""
    values: pa.Array
    probabilities: np.ndarray


@dataclass(frozen=True)
class Texts:
    """Texts with their mention masks, in groups of templates.

    Template t's expanded variants are rows variant_starts[t]:variant_ends[t]; group g (0 =
    'none', then one per condition) holds templates group_starts[g]:group_ends[g].
    """
    texts: pa.Array
    masks: np.ndarray
    variant_starts: np.ndarray
    variant_ends: np.ndarray
    group_starts: np.ndarray
    group_ends: np.ndarray

    def pick(self, groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Row index per element of `groups`: a template uniformly, then one of its variants.

        Drawing the template first keeps a template with a wide placeholder range from
        crowding out the others. Every group used must be non-empty.
        """
        first, last = self.group_starts[groups], self.group_ends[groups]
        template = first + (rng.random(len(groups)) * (last - first)).astype(np.int64)
        low, high = self.variant_starts[template], self.variant_ends[template]
        return low + (rng.random(len(groups)) * (high - low)).astype(np.int64)


def _data_path(name: str):
    return files("vigie.synth").joinpath("data", name)


def read_weighted_csv(name: str, column: str) -> Weighted:
    """A value column and its 'weight' column from data/NAME."""
    with _data_path(name).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    weights = np.array([float(row["weight"]) for row in rows])
    return Weighted(pa.array([row[column] for row in rows]), weights / weights.sum())


def read_rows(name: str) -> list[dict[str, str]]:
    with _data_path(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expand_placeholders(text: str) -> list[str]:
    """'G{n:1-2}P{n:0-1}' -> ['G1P0', 'G1P1', 'G2P0', 'G2P1'] (every combination)."""
    ranges = [range(int(low), int(high) + 1) for low, high in _PLACEHOLDER.findall(text)]
    if not ranges:
        return [text]
    pieces = _PLACEHOLDER.split(text)[::3]
    return ["".join(itertools.chain.from_iterable(
        itertools.zip_longest(pieces, map(str, combo), fillvalue="")))
        for combo in itertools.product(*ranges)]


@lru_cache(maxsize=1)
def medical() -> dict:
    with _data_path("medical.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def conditions() -> tuple[str, ...]:
    """Condition names in bit order of the patients' condition masks."""
    return tuple(medical()["conditions"])


@lru_cache(maxsize=None)
def grouped_texts(section: str) -> Texts:
    """The section's entries, one group per name of ('none', *conditions())."""
    groups = medical()[section]
    texts: list[str] = []
    masks: list[int] = []
    variant_starts: list[int] = []
    variant_ends, group_starts, group_ends = [], [], []
    for name in ("none", *conditions()):
        group_starts.append(len(variant_starts))
        for entry in groups.get(name, []):
            variant_starts.append(len(texts))
            for text in expand_placeholders(entry["text"]):
                texts.append(text)
                masks.append(mask_of(entry["mentions"]))
            variant_ends.append(len(texts))
        group_ends.append(len(variant_starts))
    return Texts(pa.array(texts), np.array(masks, dtype=np.int64),
                 np.array(variant_starts), np.array(variant_ends),
                 np.array(group_starts), np.array(group_ends))
