"""Vectorised building blocks: weighted picks within groups and Arrow string assembly.

The generator never loops over patients in Python: every column is built from numpy index
arrays and pyarrow.compute kernels, which is what makes a million patients take seconds.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


class GroupedSampler:
    """Weighted choice of a row within a group, for many draws at once.

    Rows must be sorted by group. Picking inside group g inverts the cumulative weights on
    the slice of g only, so "a commune of department 35, by population" costs one
    searchsorted per draw however many groups there are.
    """

    def __init__(self, group_of_row: np.ndarray, weights: np.ndarray, n_groups: int):
        if np.any(np.diff(group_of_row) < 0):
            raise ValueError("rows must be sorted by group")
        self._cumulative = np.cumsum(weights, dtype=np.float64)
        starts = np.searchsorted(group_of_row, np.arange(n_groups), side="left")
        ends = np.searchsorted(group_of_row, np.arange(n_groups), side="right")
        before = np.concatenate([[0.0], self._cumulative])
        self._low = before[starts]
        self._high = before[ends]
        self._ends = ends
        self.sizes = ends - starts

    def has_rows(self, groups: np.ndarray) -> np.ndarray:
        """True where the group has at least one row of positive weight."""
        return self._high[groups] > self._low[groups]

    def pick(self, groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Row index per element of `groups` (each group must have rows: see has_rows)."""
        low, high = self._low[groups], self._high[groups]
        target = low + rng.random(len(groups)) * (high - low)
        rows = np.searchsorted(self._cumulative, target, side="right")
        return np.minimum(rows, self._ends[groups] - 1)


def pick(probabilities: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` indices drawn with the given probabilities."""
    return rng.choice(len(probabilities), size=size, p=probabilities)


def take(values: pa.Array, indices: np.ndarray) -> pa.Array:
    return values.take(pa.array(indices, type=pa.int64()))


def zero_padded(numbers: np.ndarray, width: int) -> pa.Array:
    """Non-negative integers as fixed-width digit strings (7 -> '007')."""
    return pc.utf8_lpad(pc.cast(pa.array(numbers, type=pa.int64()), pa.string()), width, "0")


def random_digits(size: int, width: int, rng: np.random.Generator) -> pa.Array:
    """`size` strings of `width` random digits (width <= 18)."""
    return zero_padded(rng.integers(0, 10 ** width, size=size, dtype=np.int64), width)


def concat(*parts) -> pa.Array:
    """Element-wise concatenation of string arrays and scalars; null if any part is null."""
    return pc.binary_join_element_wise(*parts, "")


def join_skipping_nulls(parts: list[pa.Array], separator: str) -> pa.Array:
    """Element-wise join that leaves null parts out; null where every part is null.

    (pyarrow's own null_handling="skip" drops all-null rows from its output in pyarrow 26,
    so the join is folded pairwise with coalesce instead.)
    """
    joined = parts[0]
    for part in parts[1:]:
        joined = pc.coalesce(pc.binary_join_element_wise(joined, part, separator), joined, part)
    return joined


def french_decimal(values: np.ndarray, decimals: np.ndarray) -> pa.Array:
    """French decimal comma, decimals per row: (13.24, 1) -> '13,2', (140.2, 0) -> '140'."""
    written = pa.array([], pa.string())
    for width in np.unique(decimals):
        scale = 10 ** int(width)
        scaled = np.rint(values * scale).astype(np.int64)
        text = pc.cast(pa.array(scaled // scale), pa.string())
        if width > 0:
            text = concat(text, ",", zero_padded(scaled % scale, int(width)))
        if len(written):
            text = pc.if_else(pa.array(decimals == width), text, written)
        written = text
    return written

