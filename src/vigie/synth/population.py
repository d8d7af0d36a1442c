"""The synthetic patient population: one call builds the patients and visits tables.

Schemas (other modules code against these names and types):

patients: patient_id, sex ('F'/'M'), first_name, last_name (usage name), birth_name,
    date_of_birth (date32), birth_place_code (INSEE commune code, or 99xxx country code),
    birth_place, nir (15 characters, valid key), address, postcode, city, commune_code,
    phone (compact national), email (nullable), insurer (nullable), insurance_number
    (nullable), blood_group, physician ('Dr Prénom NOM'), physician_rpps (11 digits),
    iban (nullable), conditions (list<string>).
visits: visit_id, patient_id, visit_date (date32), lab_test ('|'-joined), lab_result
    ('; '-joined), lab_values and lab_units (the results' values alone and their units,
    '' for none, '|'-joined in lab_test's order), diagnosis, medication, note, reason (why
    the visit was booked: "Prise de sang", "Suivi VIH - charge virale"), serology (a short
    serology result, null on most visits) (each nullable), and the ground truth
    note_mentions, lab_test_mentions, diagnosis_mentions, medication_mentions,
    reason_mentions, serology_mentions (list<string> of vigie.kinds.MENTIONS disclosed by
    that field's text).

Everything is drawn from one numpy Generator seeded by `seed`: same arguments, same tables.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth import care, contact, coverage, medical, nir, people
from vigie.synth.arrays import concat, pick, take, zero_padded
from vigie.synth.geography import Communes, communes
from vigie.synth.vocab import read_rows

ABROAD_SHARE_ADULTS = 0.085     # with 0.03 for minors: ~7 % of everyone born abroad
ABROAD_SHARE_MINORS = 0.03
UNKNOWN_MONTH_SHARE_ABROAD = 0.05
BORN_IN_HOME_DEPARTMENT = 0.5
BORN_IN_HOME_DEPARTMENT_OVERSEAS = 0.75
MARRIED_NAME_SHARE = 0.45       # women of 25 and over using a spouse's name


@dataclass(frozen=True)
class Population:
    patients: pa.Table
    visits: pa.Table


def generate_population(n_patients: int, seed: int, *,
                        visits: tuple[int, int] = (1, 4)) -> Population:
    """`n_patients` synthetic French patients and 1-4 (by default) lab visits each."""
    if n_patients < 1:
        raise ValueError("n_patients must be at least 1")
    if not 0 <= visits[0] <= visits[1]:
        raise ValueError("visits must be (low, high) with 0 <= low <= high")
    rng = np.random.default_rng(seed)
    places = communes()
    is_female, ages = people.sexes_and_ages(n_patients, rng)
    birth_days = people.dates_of_birth(ages, rng)
    years, months = people.birth_years(birth_days), people.birth_months(birth_days)

    home = places.pick(n_patients, rng)
    home_department = places.department_index[home]
    birth_code, birth_name_of_place, abroad = _birthplaces(home_department, ages, places, rng)

    birth_name = people.surnames(n_patients, rng)
    married = is_female & (ages >= 25) & (rng.random(n_patients) < MARRIED_NAME_SHARE)
    last_name = pc.if_else(pa.array(married), people.surnames(n_patients, rng), birth_name)
    first_name = people.first_names(is_female, years, rng)
    unknown_month = abroad & (rng.random(n_patients) < UNKNOWN_MONTH_SHARE_ABROAD)
    insurer, insurance_number = coverage.insurers(n_patients, rng)
    physician, rpps = care.physicians(home_department, places, rng)
    condition_masks = medical.condition_masks(is_female, ages, rng)
    patient_ids = concat("P", zero_padded(np.arange(1, n_patients + 1),
                                          max(7, len(str(n_patients)))))
    patients = pa.table({
        "patient_id": patient_ids,
        "sex": pa.array(np.where(is_female, "F", "M")),
        "first_name": first_name,
        "last_name": last_name,
        "birth_name": birth_name,
        "date_of_birth": pa.array(birth_days.astype(np.int32), type=pa.date32()),
        "birth_place_code": birth_code,
        "birth_place": birth_name_of_place,
        "nir": nir.nirs(is_female, years, months, birth_code, unknown_month, rng),
        "address": contact.addresses(n_patients, rng),
        "postcode": places.pick_postcode(home, rng),
        "city": take(places.city, home),
        "commune_code": take(places.code, home),
        "phone": contact.phones(places.departement[home], places.region[home], rng),
        "email": contact.emails(first_name, last_name, ages, years, rng),
        "insurer": insurer,
        "insurance_number": insurance_number,
        "blood_group": medical.blood_groups(n_patients, rng),
        "physician": physician,
        "physician_rpps": rpps,
        "iban": coverage.ibans(ages, rng),
        "conditions": medical.condition_lists(condition_masks),
    })
    visit_table = medical.visits(patient_ids, condition_masks, is_female, birth_days, visits,
                                 rng)
    return Population(patients, visit_table)


def _birthplaces(home_department: np.ndarray, ages: np.ndarray, places: Communes,
                 rng: np.random.Generator
                 ) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """(place code, place name, born abroad) per person: abroad by country of origin, else
    often in the department they live in, else anywhere by population."""
    size = len(ages)
    abroad = rng.random(size) < np.where(ages >= 18, ABROAD_SHARE_ADULTS, ABROAD_SHARE_MINORS)
    overseas_home = np.char.startswith(places.departments[home_department], "97")
    stays = rng.random(size) < np.where(overseas_home, BORN_IN_HOME_DEPARTMENT_OVERSEAS,
                                        BORN_IN_HOME_DEPARTMENT)
    commune = places.pick_birth(size, rng)
    commune[stays] = places.pick_in(home_department[stays], rng)
    countries = read_rows("birth_countries.csv")
    weights = np.array([float(row["weight"]) for row in countries])
    country = pick(weights / weights.sum(), size, rng)
    abroad_mask = pa.array(abroad)
    code = pc.if_else(abroad_mask, take(pa.array([row["code"] for row in countries]), country),
                      take(places.code, commune))
    name = pc.if_else(abroad_mask, take(pa.array([row["name"] for row in countries]), country),
                      take(places.name, commune))
    return code, name, abroad
