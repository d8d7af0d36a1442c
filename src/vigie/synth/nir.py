"""NIR (numéro de sécurité sociale) consistent with sex, birth date and birthplace.

Layout (15 characters): sex 1/2, year (2), month (2), place (5: department + commune, or
99 + INSEE country code for a birth abroad), order number (3), key (2). Rules kept:
Corsica births before 1976 carry department 20 (2A/2B after), overseas departments take
three digits (974 + commune 11 = 97411), and a birth month unknown to the civil registry is
written 20-42 or 50-99. The key comes from python-stdnum, the reference the tests check.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.fr import nir as stdnum_nir

from vigie.synth.arrays import concat, zero_padded

CORSICA_SPLIT_YEAR = 1976
# Month codes used when the birth month is unknown (INSEE practice for some foreign births).
UNKNOWN_MONTH_CODES = np.concatenate([np.arange(20, 43), np.arange(50, 100)])


def nir_place(place_codes: pa.Array, years: np.ndarray) -> pa.Array:
    """The 5 NIR place characters: the commune/country code, '20xxx' for old Corsica births."""
    corsican = pc.or_(pc.starts_with(place_codes, "2A"), pc.starts_with(place_codes, "2B"))
    before_split = pa.array(years < CORSICA_SPLIT_YEAR)
    old_form = concat("20", pc.utf8_slice_codeunits(place_codes, 2))
    return pc.if_else(pc.and_(corsican, before_split), old_form, place_codes)


def nirs(is_female: np.ndarray, years: np.ndarray, months: np.ndarray, place_codes: pa.Array,
         unknown_month: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Full 15-character NIRs; `unknown_month` rows get a 20-42/50-99 month code."""
    size = len(years)
    month_codes = np.where(unknown_month, rng.choice(UNKNOWN_MONTH_CODES, size=size), months)
    prefix = concat(
        pa.array(np.where(is_female, "2", "1")),
        zero_padded(years % 100, 2),
        zero_padded(month_codes, 2),
        nir_place(place_codes, years),
    )
    body = concat(prefix, zero_padded(order_numbers(prefix, rng), 3))
    keys = pa.array([stdnum_nir.calc_check_digits(number) for number in body.to_pylist()])
    return concat(body, keys)


def order_numbers(prefixes: pa.Array, rng: np.random.Generator) -> np.ndarray:
    """Order numbers 001-999, distinct among people sharing the other ten characters.

    Two people never share a NIR: within each (sex, year, month, place) group the numbers
    run on from a random start, in random order of the group's members (a group larger
    than 999 would wrap, as no real register allows either).
    """
    groups = pc.dictionary_encode(prefixes).indices.to_numpy(zero_copy_only=False)
    order = np.lexsort((rng.random(len(groups)), groups))      # group by group, shuffled
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])
    rank = np.arange(len(groups)) - np.repeat(starts, sizes)
    offset = rng.integers(0, 999, size=int(groups.max()) + 1 if len(groups) else 0)
    numbers = np.empty(len(groups), dtype=np.int64)
    numbers[order] = (offset[sorted_groups] + rank) % 999 + 1
    return numbers
