"""Mentions as bit masks, so ground truth is unioned across fields with one vector OR.

Bit i stands for vigie.kinds.MENTIONS[i]; `mask_lists` turns masks back into the
list<string> columns of the population tables.
"""

import numpy as np
import pyarrow as pa

from vigie.kinds import MENTIONS

_BIT = {mention: 1 << index for index, mention in enumerate(MENTIONS)}


def mask_of(mentions: list[str]) -> int:
    """OR of the bits of named mentions; an unknown name raises KeyError (a typo in data)."""
    mask = 0
    for mention in mentions:
        mask |= _BIT[mention]
    return mask


def bit(mention: str) -> int:
    return _BIT[mention]


def mask_lists(masks: np.ndarray) -> pa.ListArray:
    """list<string> per row, mentions in MENTIONS order (empty list for mask 0)."""
    unique, inverse = np.unique(masks, return_inverse=True)
    table = pa.array([[m for m in MENTIONS if int(value) & _BIT[m]] for value in unique],
                     type=pa.list_(pa.string()))
    return table.take(pa.array(inverse.ravel()))
