"""Canary patients: fabricated identities, unique to one export, that name it when found.

Each canary is assembled from the source's own values (HoneyGen-style, from a sample of
real rows): a first name given to someone of the same sex, a surname pair, a date of
birth moved by a few weeks, a real postcode with its city, a real-looking street; then a
NIR built to agree with that sex and date of birth (valid key, a birthplace taken from a
real NIR), a valid mobile number and a beacon e-mail address at the organisation's own
domain whose local part carries a keyed token (40 bits): the beacon cannot occur by chance.
Every other column (clinical values included) is copied from some real row, so a canary
looks like any other row. A candidate is redrawn if any of its identity keys (NIR, name +
date of birth, e-mail) equals one of a real person of the source (`too_close`); the caller
then scores the survivors with the linkage model (vigie.trace.distance) and drops those
the model would link to a real patient.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Callable

import numpy as np
import phonenumbers
from stdnum.fr import nir as stdnum_nir

from vigie.errors import VigieError
from vigie.detect.recognisers.dates import parse_date
from vigie.detect.recognisers.nir import nir_form, normalise_nir
from vigie.refdata.normalise import strip_accents
from vigie.trace.identity import ColumnRoles, SURNAME_KINDS, row_identity_keys
from vigie.trace.keys import keyed_token

DOB_SHIFT_DAYS = 45
MAX_ATTEMPTS = 50
_LOCAL_PART = re.compile(r"[^a-z0-9]+")


def canary_count(rows: int, density: float, floor: int, cap: int) -> int:
    """ceil(rows × density), at least `floor`, never above `cap` (the cap wins)."""
    return min(cap, max(floor, math.ceil(rows * density)))


def make_canaries(sample: list[dict], roles: ColumnRoles, count: int, key: bytes,
                  beacon_domain: str, id_column: str, too_close: Callable[[dict], bool],
                  rng: np.random.Generator, *, first_index: int = 0,
                  used: set | None = None) -> list[dict]:
    """`count` canary rows (column -> string): none `too_close` to a real person, none
    sharing an identity key or id with another canary. Drawing again for replacements:
    pass the next `first_index` (it keys the beacon token) and the same `used` set."""
    made: list[dict] = []
    used = set() if used is None else used
    for index in range(first_index, first_index + count):
        for _attempt in range(MAX_ATTEMPTS):
            row = _draw(sample, roles, key, beacon_domain, id_column, index, rng)
            keys = set(row_identity_keys(row, roles)) | {("id", row.get(id_column))}
            if not keys & used and not too_close(row):
                used |= keys
                made.append(row)
                break
        else:
            raise VigieError("could not draw a canary far enough from every exported person "
                             "(too few distinct values in the source?)")
    return made


def _pick(sample: list[dict], rng: np.random.Generator) -> dict:
    return sample[int(rng.integers(len(sample)))]


def _draw(sample: list[dict], roles: ColumnRoles, key: bytes, beacon_domain: str,
          id_column: str, index: int, rng: np.random.Generator) -> dict:
    """One candidate canary row."""
    row = {column: _pick(sample, rng).get(column) for column in sample[0]}
    sex_column = next(iter(roles.columns_of("sex")), None)
    first_column = next(iter(roles.columns_of("first_name")), None)
    nir_column = next(iter(roles.columns_of("nir")), None)
    donor = _pick(sample, rng)
    female = _is_female(donor, sex_column, nir_column, rng)
    if sex_column:
        same_sex = [r for r in sample if r.get(sex_column) == donor.get(sex_column)] or sample
        row[sex_column] = donor.get(sex_column)
    else:
        same_sex = sample
    if first_column:
        row[first_column] = _pick(same_sex, rng).get(first_column)
    surname_donor = _pick(sample, rng)
    for column in roles.columns_of(*SURNAME_KINDS):
        row[column] = surname_donor.get(column)
    born = _birth_date(sample, roles, rng)
    for column in roles.columns_of("date_of_birth"):
        row[column] = born.isoformat()
    for column in roles.columns_of("age"):
        row[column] = str((date.today() - born).days // 365)
    place_donor = _pick(sample, rng)
    for column in roles.columns_of("postcode", "city"):
        row[column] = place_donor.get(column)
    if nir_column:
        row[nir_column] = _nir(female, born, _pick(sample, rng).get(nir_column), rng)
    for column in roles.columns_of("phone"):
        row[column] = _mobile(rng)
    first = (row.get(first_column) if first_column else None) or "contact"
    surname = next((v for v in (row.get(c) for c in roles.columns_of(*SURNAME_KINDS)) if v),
                   "patient")
    token = keyed_token(key, f"canary|{index}", 8)
    for column in roles.columns_of("email"):
        row[column] = f"{_local(first)}.{_local(surname)}.{token}@{beacon_domain}"
    row[id_column] = _like(row.get(id_column) or "C0000000", rng)
    return row


def _is_female(donor: dict, sex_column: str | None, nir_column: str | None,
               rng: np.random.Generator) -> bool:
    sex = (donor.get(sex_column) or "").strip().upper() if sex_column else ""
    if sex:
        return sex[0] in "F2"
    nir = (donor.get(nir_column) if nir_column else None) or ""
    return nir[:1] == "2" if nir else bool(rng.integers(2))


def _birth_date(sample: list[dict], roles: ColumnRoles, rng: np.random.Generator) -> date:
    """A real date of birth from the sample moved by up to DOB_SHIFT_DAYS, never in the future."""
    for column in roles.columns_of("date_of_birth"):
        value = _pick(sample, rng).get(column)
        parsed = parse_date(value) if value else None
        if parsed:
            shifted = parsed.day + timedelta(days=int(rng.integers(-DOB_SHIFT_DAYS,
                                                                   DOB_SHIFT_DAYS + 1)))
            return min(shifted, date.today() - timedelta(days=1))
    return date(1950, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 55)))


def _nir(female: bool, born: date, donor_nir: str | None, rng: np.random.Generator) -> str:
    """A NIR agreeing with sex and date of birth; birthplace digits from a real NIR."""
    place = "75056"
    if donor_nir and nir_form(donor_nir):
        place = normalise_nir(donor_nir)[5:10]
    body = (("2" if female else "1") + f"{born.year % 100:02d}{born.month:02d}" + place
            + f"{int(rng.integers(1, 1000)):03d}")
    return body + stdnum_nir.calc_check_digits(body)


def _mobile(rng: np.random.Generator) -> str:
    """A valid French mobile number (06/07), as phonenumbers judges validity."""
    while True:
        number = f"0{int(rng.integers(6, 8))}{int(rng.integers(0, 10**8)):08d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number, "FR")):
            return number


def _local(text: str) -> str:
    return _LOCAL_PART.sub("-", strip_accents(text).lower()).strip("-") or "x"


def _like(template: str, rng: np.random.Generator) -> str:
    """An identifier shaped like `template`: every digit redrawn, letters kept."""
    return "".join(str(int(rng.integers(10))) if ch.isdigit() else ch for ch in template)
