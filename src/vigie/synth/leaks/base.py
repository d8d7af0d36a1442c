"""The leak-shape registry: every realistic way a leak of patient data arrives.

A *shape* is one such way (a lab's ';' export, a web app's user table, a MongoDB export,
a SQL dump...). Each shape is a function registered with `@shape(name, description)`:

    fn(pop: Population, out_dir: Path, rng: random.Random) -> dict   # the ground truth

It writes its files into `out_dir` and returns the truth that `vigie assess` is scored
against, built with `truth_builder` (see vigie.synth.truth for the format).
`write_leak` runs a shape and writes `truth.json` beside the files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from vigie.synth.truth import TableTruth, TruthBuilder, truth_builder, write_truth

if TYPE_CHECKING:
    from vigie.synth.population import Population

__all__ = ["SHAPES", "LeakWritten", "Shape", "TableTruth", "TruthBuilder", "shape",
           "truth_builder", "write_leak", "write_truth"]

ShapeWriter = Callable[["Population", Path, random.Random], dict]


@dataclass(frozen=True)
class Shape:
    """A registered leak shape: its CLI name, a one-line description and its writer."""

    name: str
    description: str
    write: ShapeWriter


@dataclass
class LeakWritten:
    """What `write_leak` produced: the leak files (not the truth) and the truth itself."""

    files: list[Path]
    truth: dict
    truth_path: Path


SHAPES: dict[str, Shape] = {}


def shape(name: str, description: str) -> Callable[[ShapeWriter], ShapeWriter]:
    """Register a shape writer under `name` (the CLI's --shape value)."""

    def register(fn: ShapeWriter) -> ShapeWriter:
        if name in SHAPES:
            raise ValueError(f"leak shape {name!r} registered twice")
        SHAPES[name] = Shape(name, description, fn)
        return fn

    return register


def write_leak(name: str, pop: "Population", out_dir: Path, seed: int) -> LeakWritten:
    """Run shape `name` into out_dir with an rng derived from seed, then write truth.json.

    The rng is seeded from (shape, seed) so two shapes of one population vary differently
    while each stays deterministic.
    """
    if name not in SHAPES:
        raise KeyError(name)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{name}:{seed}")
    truth = SHAPES[name].write(pop, out_dir, rng)
    truth_path = write_truth(out_dir, truth)
    return LeakWritten([out_dir / f for f in truth["files"]], truth, truth_path)
