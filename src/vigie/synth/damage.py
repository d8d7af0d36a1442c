"""Registry/leak pairs with known truth, to measure the registry linkage (issue 4).

From a synthetic population (`vigie.synth.population`), the registry is every patient but
a set of strangers; the leak holds some registry patients plus strangers (people NOT in
the registry, who must stay unmatched), each on one or more rows, damaged the way real
leaks are: names re-typed with typos, upper-cased, accents stripped, first and last names
swapped, a married woman under her birth name, dates in many notations with day and month
sometimes swapped, the NIR missing for about half the rows (spaced, keyless or with a
one-digit error otherwise), phones in every notation, and since the registry was written
some people moved or changed phone numbers. The truth maps each leak row to its
registry patient id, or None for a stranger.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pyarrow as pa

SITES = ("LAB-NORD", "LAB-SUD", "LAB-EST", "LAB-OUEST")

REGISTRY_COLUMNS = ("patient_id", "sex", "first_name", "last_name", "birth_name", "date_of_birth",
                    "nir", "address", "postcode", "city", "phone", "email")
REGISTRY_MAPPING = {"sex": "sex", "first_name": "first_name", "last_name": "last_name",
                    "birth_name": "birth_name", "date_of_birth": "date_of_birth", "nir": "nir",
                    "address": "address", "postcode": "postcode", "city": "city",
                    "phone": "phone", "email": "email"}
# A lab export's headers, as the leak's columns.
LEAK_MAPPING = {"NOM": "last_name", "PRENOM": "first_name", "DDN": "date_of_birth", "NSS": "nir",
                "ADRESSE": "address", "CP": "postcode", "VILLE": "city", "TEL": "phone",
                "MAIL": "email", "GRP_SANGUIN": "blood_group"}

_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d", "%d/%m/%y")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class LinkagePair:
    """A registry, a damaged leak (all strings, French headers), and the truth."""

    registry: pa.Table
    leak: pa.Table
    truth: dict[int, str | None]        # 1-based leak data row -> registry patient_id or None
    registry_mapping: dict[str, str]
    leak_mapping: dict[str, str]


@lru_cache(maxsize=200_000)
def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: substitution, deletion, insertion or transposition."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return text[:i] + rng.choice(_LETTERS) + text[i + 1:]
    if slip == 1:
        return text[:i] + text[i + 1:]
    if slip == 2:
        return text[:i] + rng.choice(_LETTERS) + text[i:]
    return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]


def _retype(rng: random.Random, text: str | None, typo_rate: float) -> str | None:
    if text is None:
        return None
    if rng.random() < typo_rate:
        text = _typo(rng, text)
    if rng.random() < 0.3:
        text = text.replace("-", " ")
    if rng.random() < 0.4:
        text = _strip_accents(text)
    roll = rng.random()
    return text.upper() if roll < 0.5 else text.lower() if roll < 0.6 else text


def _date_text(rng: random.Random, born: date | None) -> str | None:
    if born is None or rng.random() < 0.02:
        return None
    if rng.random() < 0.02 and born.day <= 12 and born.day != born.month:
        born = born.replace(day=born.month, month=born.day)          # day/month swapped
    elif rng.random() < 0.01:
        day = born.day + rng.choice((-1, 1))                          # one-digit slip
        born = born.replace(day=day if 1 <= day <= 28 else born.day)
    return born.strftime(rng.choice(_DATE_FORMATS))


def _nir_text(rng: random.Random, nir: str | None) -> str | None:
    if nir is None or rng.random() < 0.5:
        return None
    if rng.random() < 0.01:
        i = rng.randrange(7, 13)                                      # digits only
        nir = nir[:i] + str((int(nir[i]) + rng.randrange(1, 10)) % 10) + nir[i + 1:]
    roll = rng.random()
    if roll < 0.3:
        return " ".join((nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))
    if roll < 0.4:
        return nir[:13]
    return nir


def _phone_text(rng: random.Random, phone: str | None) -> str | None:
    if phone is None or rng.random() < 0.3:
        return None
    pairs = [phone[i:i + 2] for i in range(0, 10, 2)]
    return rng.choice((
        phone, " ".join(pairs), ".".join(pairs), "+33 " + phone[1] + " " + " ".join(pairs[1:]),
        "+33" + phone[1:], "0033 " + phone[1:]))


def leak_row(rng: random.Random, person: dict, other: dict) -> dict:
    """One leaked row of `person` (a patients-table row: last_name, birth_name, first_name,
    date_of_birth as a date, nir, address, postcode, city, phone, email), under the headers
    of LEAK_MAPPING; `other` (another patient) lends a postcode or phone number when the
    person has moved or changed numbers since the registry was written."""
    married = person["birth_name"] and person["birth_name"] != person["last_name"]
    surname = person["birth_name"] if married and rng.random() < 0.5 else person["last_name"]
    last = _retype(rng, surname, 0.08)
    first = _retype(rng, person["first_name"], 0.06)
    if rng.random() < 0.04:
        first, last = last, first
    roll = rng.random()
    postcode = None if roll < 0.1 else other["postcode"] if roll < 0.15 else person["postcode"]
    phone = other["phone"] if rng.random() < 0.05 else person["phone"]
    email = person["email"]
    roll = rng.random()
    if email is not None and roll < 0.4:
        email = None
    elif email is not None and roll < 0.5:
        email = email.upper()
    elif email is not None and roll < 0.53:
        email = _typo(rng, email)
    return {"NOM": last, "PRENOM": first, "DDN": _date_text(rng, person["date_of_birth"]),
            "NSS": _nir_text(rng, person["nir"]), "ADRESSE": person["address"], "CP": postcode,
            "VILLE": person["city"], "TEL": _phone_text(rng, phone), "MAIL": email,
            "GRP_SANGUIN": person.get("blood_group")}


def make_linkage_pair(patients: pa.Table, *, registry_size: int, leak_persons: int,
                      stranger_share: float = 0.1, max_rows_per_person: int = 3,
                      seed: int = 0) -> LinkagePair:
    """Split a population into a registry and strangers, and draw a damaged leak.

    `patients` needs at least registry_size + leak_persons * stranger_share rows. The leak
    holds `leak_persons` people, `stranger_share` of them strangers, each on 1 to
    `max_rows_per_person` rows, shuffled.
    """
    strangers = round(leak_persons * stranger_share)
    if patients.num_rows < registry_size + strangers:
        raise ValueError("population too small for this registry and number of strangers")
    rng = random.Random(seed)
    registry = patients.slice(0, registry_size).select(list(REGISTRY_COLUMNS))
    registry = registry.append_column("site", pa.array([SITES[rng.randrange(len(SITES))]
                                                        for _ in range(registry_size)]))
    chosen = rng.sample(range(registry_size), leak_persons - strangers)
    chosen += range(registry_size, registry_size + strangers)
    people = patients.select([*REGISTRY_COLUMNS, "blood_group"]).take(chosen).to_pylist()
    rows: list[tuple[dict, str | None]] = []
    for index, person in zip(chosen, people):
        truth = person["patient_id"] if index < registry_size else None
        for _ in range(rng.randint(1, max_rows_per_person)):
            rows.append((leak_row(rng, person, people[rng.randrange(len(people))]), truth))
    rng.shuffle(rows)
    leak = pa.table({column: pa.array([r[column] for r, _ in rows], pa.string())
                     for column in LEAK_MAPPING})
    return LinkagePair(registry=registry, leak=leak,
                       truth={i + 1: t for i, (_, t) in enumerate(rows)},
                       registry_mapping=dict(REGISTRY_MAPPING), leak_mapping=dict(LEAK_MAPPING))
