"""Who the patients are: sex and age like France's population, names of their birth decade.

Age pyramid: INSEE population estimates at 1 January 2025 by five-year band (thousands,
rounded) with the female share of each band, which rises with age.
"""

from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.refdata import names
from vigie.synth.arrays import pick, take

REFERENCE_DATE = date(2026, 1, 1)
EPOCH = date(1970, 1, 1)
# (first age of band, thousands of people, share of women)
AGE_BANDS = (
    (0, 3450, 0.488), (5, 3850, 0.488), (10, 4150, 0.488), (15, 4200, 0.489),
    (20, 3900, 0.497), (25, 3800, 0.506), (30, 4050, 0.512), (35, 4250, 0.514),
    (40, 4200, 0.512), (45, 4300, 0.508), (50, 4400, 0.511), (55, 4400, 0.516),
    (60, 4200, 0.524), (65, 3950, 0.532), (70, 3700, 0.541), (75, 2950, 0.566),
    (80, 2000, 0.598), (85, 1350, 0.650), (90, 650, 0.720), (95, 190, 0.790), (100, 30, 0.840),
)


def sexes_and_ages(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Boolean is_female and integer ages (0-104) following the pyramid."""
    starts = np.array([band[0] for band in AGE_BANDS])
    people = np.array([band[1] for band in AGE_BANDS], dtype=np.float64)
    female_share = np.array([band[2] for band in AGE_BANDS])
    band = pick(people / people.sum(), size, rng)
    ages = starts[band] + rng.integers(0, 5, size=size)
    return rng.random(size) < female_share[band], ages


def dates_of_birth(ages: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Days since 1970-01-01 of a birth date giving each age on REFERENCE_DATE."""
    reference = (REFERENCE_DATE - EPOCH).days
    days_back = np.floor((ages + rng.random(len(ages))) * 365.2425).astype(np.int64)
    return reference - 1 - days_back


def birth_years(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def birth_months(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def first_names(is_female: np.ndarray, years: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """First names drawn from the INSEE list of each person's sex and birth decade."""
    decades = np.clip((years - 1) // 10 * 10 + 1, 1901, 2011)  # the INSEE bands of refdata.names
    pieces, positions = [], []
    for sex, female in (("F", True), ("M", False)):
        for decade in np.unique(decades):
            rows = np.flatnonzero((is_female == female) & (decades == decade))
            if rows.size == 0:
                continue
            vocabulary = pa.array(names.first_names(sex, int(decade)))
            picks = pick(names.first_name_weights(sex, int(decade)), rows.size, rng)
            pieces.append(take(vocabulary, picks))
            positions.append(rows)
    order = np.argsort(np.concatenate(positions), kind="stable")
    return take(pa.concat_arrays(pieces), order)


def surnames(size: int, rng: np.random.Generator) -> pa.Array:
    """Surnames by INSEE rank frequency, upper case as French records write a NOM."""
    return take(_upper_surnames(), pick(names.surname_weights(), size, rng))


@lru_cache(maxsize=1)
def _upper_surnames() -> pa.Array:
    return pc.utf8_upper(pa.array(names.surnames()))
