"""The patients' doctors: a pool of GPs with RPPS numbers, each practising in a department.

RPPS numbers are 11 digits: the '10' prefix of physicians, 8 digits, and a Luhn check
digit (computed with python-stdnum). A patient's doctor practises in the patient's
department when the pool has one there.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import luhn

from vigie.refdata import names
from vigie.synth.arrays import GroupedSampler, concat, pick, random_digits, take
from vigie.synth.geography import Communes
from vigie.synth.people import surnames

PATIENTS_PER_PHYSICIAN = 400


def rpps_numbers(size: int, rng: np.random.Generator) -> pa.Array:
    bodies = concat("10", random_digits(size, 8, rng)).to_pylist()
    return pa.array([body + luhn.calc_check_digit(body) for body in bodies])


def physicians(patient_departments: np.ndarray, places: Communes,
               rng: np.random.Generator) -> tuple[pa.Array, pa.Array]:
    """(physician 'Dr Prénom NOM', RPPS) per patient, given each patient's department index."""
    pool_size = max(20, len(patient_departments) // PATIENTS_PER_PHYSICIAN)
    is_female = rng.random(pool_size) < 0.5
    first = pc.if_else(
        pa.array(is_female),
        take(pa.array(names.first_names("F", 1975)), pick(names.first_name_weights("F", 1975),
                                                          pool_size, rng)),
        take(pa.array(names.first_names("M", 1975)), pick(names.first_name_weights("M", 1975),
                                                          pool_size, rng)))
    label = concat("Dr ", first, " ", surnames(pool_size, rng))
    rpps = rpps_numbers(pool_size, rng)
    department = np.sort(places.department_index[places.pick(pool_size, rng)])
    pool = GroupedSampler(department, np.ones(pool_size), len(places.departments))
    local = pool.has_rows(patient_departments)
    chosen = rng.integers(0, pool_size, len(patient_departments))
    chosen[local] = pool.pick(patient_departments[local], rng)
    return take(label, chosen), take(rpps, chosen)
