"""Contact details: street address, French phone number and e-mail address.

No street-level reference data exists offline (see research/reference-data.md gap 2), so
addresses are "number + type of way + name" from data/streets.csv, in a real commune with
one of its real postcodes. Phones follow the ARCEP numbering plan: mobiles 06/07, landlines
01-05 by region, 09 for internet boxes, and the overseas prefixes of each DROM.
"""

from functools import lru_cache

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from vigie.refdata.normalise import strip_accents
from vigie.synth.arrays import concat, pick, random_digits, take, zero_padded
from vigie.synth.vocab import Weighted, read_weighted_csv, read_rows

MOBILE_SHARE = 0.70
BOX_SHARE_OF_LANDLINES = 0.12
# Landline zone per region (INSEE region code); Occitanie is split by department below.
REGION_ZONE = {"11": "01", "24": "02", "28": "02", "52": "02", "53": "02", "27": "03",
               "32": "03", "44": "03", "84": "04", "93": "04", "94": "04", "75": "05",
               "76": "05"}
OCCITANIE_ZONE_04 = {"11", "30", "34", "48", "66"}
# Overseas department -> (phonenumbers region, landline prefix, mobile prefixes): ARCEP plan.
OVERSEAS_PREFIXES = {"971": ("GP", "0590", ("0690", "0691")),
                     "972": ("MQ", "0596", ("0696", "0697")),
                     "973": ("GF", "0594", ("0694",)),
                     "974": ("RE", "0262", ("0692", "0693")),
                     "976": ("YT", "0269", ("0639",))}


@lru_cache(maxsize=1)
def _streets() -> dict[str, Weighted]:
    rows = read_rows("streets.csv")
    parts = {}
    for part in ("type", "name", "suffix"):
        chosen = [row for row in rows if row["part"] == part]
        weights = np.array([float(row["weight"]) for row in chosen])
        parts[part] = Weighted(pa.array([row["value"] for row in chosen]), weights / weights.sum())
    return parts


def addresses(size: int, rng: np.random.Generator) -> pa.Array:
    """'12 rue des Lilas', '3 bis avenue Jean Jaurès': small house numbers are commoner."""
    streets = _streets()
    numbers = np.minimum(np.floor(rng.pareto(1.2, size) * 8).astype(np.int64) + 1, 350)
    return concat(
        pc.cast(pa.array(numbers), pa.string()),
        take(streets["suffix"].values, pick(streets["suffix"].probabilities, size, rng)), " ",
        take(streets["type"].values, pick(streets["type"].probabilities, size, rng)), " ",
        take(streets["name"].values, pick(streets["name"].probabilities, size, rng)))


def _landline_zone(department: str, region: str) -> str:
    if region == "76":
        return "04" if department in OCCITANIE_ZONE_04 else "05"
    return REGION_ZONE.get(region, "01")


@lru_cache(maxsize=None)
def _valid_blocks(leading: str, region: str, block_length: int) -> tuple[str, ...]:
    """Number blocks ('0612', '069200') under `leading` that phonenumbers calls valid for region.

    The numbering plan has holes (0690-0697 and 0639 are overseas, 059x too); asking the
    library which blocks are in service keeps every generated number valid by construction.
    """
    blocks = []
    for extension in range(10 ** (block_length - len(leading))):
        block = leading + str(extension).zfill(block_length - len(leading))
        samples = (block + fill * (10 - block_length) for fill in "059")
        if all(phonenumbers.is_valid_number(phonenumbers.parse(s, region)) for s in samples):
            blocks.append(block)
    return tuple(blocks)


def _categories() -> list[tuple[str, tuple[str, ...]]]:
    """(category key, valid blocks): 'mobile', 'box', landline zones, then overseas ones."""
    metro = [("mobile", _valid_blocks("06", "FR", 4) + _valid_blocks("07", "FR", 4)),
             ("box", _valid_blocks("09", "FR", 4))]
    metro += [(zone, _valid_blocks(zone, "FR", 4)) for zone in ("01", "02", "03", "04", "05")]
    overseas = []
    for department, (region, landline, mobiles) in OVERSEAS_PREFIXES.items():
        overseas.append((f"{department}/landline", _valid_blocks(landline, region, 6)))
        overseas.append((f"{department}/mobile",
                         sum((_valid_blocks(m, region, 6) for m in mobiles), ())))
    return metro + overseas


def phones(departments: np.ndarray, regions: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Compact national numbers ('0612345678') for people living in those departments."""
    size = len(departments)
    mobile = rng.random(size) < MOBILE_SHARE
    box = rng.random(size) < BOX_SHARE_OF_LANDLINES
    category = np.where(mobile, "mobile", np.where(box, "box", _zones(departments, regions)))
    for department in OVERSEAS_PREFIXES:
        overseas = departments == department
        category[overseas] = np.where(mobile[overseas], f"{department}/mobile",
                                      f"{department}/landline")
    categories = _categories()
    keys = np.array([key for key, _ in categories])
    sizes = np.array([len(blocks) for _, blocks in categories])
    all_blocks = pa.array([block for _, blocks in categories for block in blocks])
    group = np.searchsorted(keys, category, sorter=np.argsort(keys))
    group = np.argsort(keys)[group]
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    block_index = first[group] + (rng.random(size) * sizes[group]).astype(np.int64)
    blocks = take(all_blocks, block_index)
    tail = random_digits(size, 6, rng)
    # Metro blocks have 4 digits, overseas ones 6: keep the first 10 characters.
    return pc.utf8_slice_codeunits(concat(blocks, tail), 0, 10)


def _zones(departments: np.ndarray, regions: np.ndarray) -> np.ndarray:
    """Landline zone per person, computed once per distinct (department, region)."""
    pairs, inverse = np.unique(np.char.add(np.char.add(departments, "/"), regions),
                               return_inverse=True)
    zones = np.array([_landline_zone(*pair.split("/")) for pair in pairs], dtype=object)
    return zones[inverse]


EMAIL_ABSENT_SHARE = 0.12


def _fold(values: pa.Array, keep_hyphen: bool) -> pa.Array:
    """Lower-case ASCII form for an e-mail local part ('Hélène' -> 'helene', "D'ALMEIDA" ->
    'dalmeida'), computed once per distinct name."""
    encoded = pc.dictionary_encode(values)
    removed = " '’" if keep_hyphen else " '’-"
    folded = [strip_accents(name).lower().translate({ord(c): None for c in removed})
              for name in encoded.dictionary.to_pylist()]
    return pa.array(folded).take(encoded.indices)


def emails(first: pa.Array, last: pa.Array, ages: np.ndarray, years: np.ndarray,
           rng: np.random.Generator) -> pa.Array:
    """Addresses derived from the names, in the patterns people pick; null for most children
    and many of the very old, who seldom give one."""
    size = len(ages)
    fn, ln = _fold(first, keep_hyphen=True), _fold(last, keep_hyphen=False)
    providers = read_weighted_csv("email_providers.csv", "domain")
    domain = take(providers.values, pick(providers.probabilities, size, rng))
    two_digits = zero_padded(rng.integers(1, 100, size), 2)
    year = pc.cast(pa.array(years), pa.string())
    initial = pc.utf8_slice_codeunits(fn, 0, 1)
    patterns = [
        (0.34, concat(fn, ".", ln)), (0.10, concat(initial, ".", ln)), (0.08, concat(fn, ln)),
        (0.08, concat(ln, ".", fn)), (0.12, concat(fn, ".", ln, two_digits)),
        (0.06, concat(fn, "_", ln)), (0.10, concat(fn, year)), (0.06, concat(initial, ln)),
        (0.06, concat(fn, ".", ln, ".", year)),
    ]
    weights = np.array([weight for weight, _ in patterns])
    chosen = pick(weights / weights.sum(), size, rng)
    local = patterns[0][1]
    for index, (_, pattern) in enumerate(patterns[1:], start=1):
        local = pc.if_else(pa.array(chosen == index), pattern, local)
    absent_share = np.where(ages < 15, 0.85, np.where(ages >= 80, 0.5, EMAIL_ABSENT_SHARE))
    absent = rng.random(size) < absent_share
    return pc.if_else(pa.array(absent), pa.scalar(None, pa.string()), concat(local, "@", domain))
