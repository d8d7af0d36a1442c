"""Leak writers: realistic files a leak of patient data arrives as, with their ground truth.

Importing this package registers every shape in `SHAPES` (see base.py).
"""

from vigie.synth.leaks.base import (SHAPES, LeakWritten, Shape, TableTruth, TruthBuilder,
                                    shape, truth_builder, write_leak, write_truth)

__all__ = ["SHAPES", "LeakWritten", "Shape", "TableTruth", "TruthBuilder", "shape",
           "truth_builder", "write_leak", "write_truth"]

# Shape modules register themselves on import (one line per module).
from vigie.synth.leaks import flat  # noqa: E402,F401
from vigie.synth.leaks import webapp  # noqa: E402,F401
from vigie.synth.leaks import documents  # noqa: E402,F401
from vigie.synth.leaks import office  # noqa: E402,F401
from vigie.synth.leaks import sqlitedb  # noqa: E402,F401
from vigie.synth.leaks import archives  # noqa: E402,F401
from vigie.synth.leaks import catalogue  # noqa: E402,F401
from vigie.synth.leaks import messy  # noqa: E402,F401
from vigie.synth.leaks import sqldumps  # noqa: E402,F401
