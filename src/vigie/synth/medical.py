"""Health data: conditions per patient, blood group, and the visits with their lab exams,
results, diagnoses, prescriptions and notes, each carrying its disclosure ground truth.

Prevalences are enriched over French figures (HIV ~0.3 % in France, 3 % here) so that a
few thousand patients already give tests and demos countable cases.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth.arrays import (GroupedSampler, concat, french_decimal, join_skipping_nulls,
                                pick, take, zero_padded)
from vigie.synth.mentions import bit, mask_lists, mask_of
from vigie.synth.people import EPOCH
from vigie.synth.vocab import Texts, conditions, grouped_texts, medical

# French blood group frequencies (Établissement français du sang), in percent.
BLOOD_GROUPS = {"O+": 36, "A+": 37, "B+": 9, "AB+": 3, "O-": 6, "A-": 7, "B-": 1, "AB-": 1}
FIRST_VISIT_DAY = (date(2019, 1, 1) - EPOCH).days
LAST_VISIT_DAY = (date(2025, 12, 31) - EPOCH).days
NULL_STRING = pa.scalar(None, pa.string())


def condition_masks(is_female: np.ndarray, ages: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """Bit mask of conditions() per patient (bit i = conditions()[i]), by age and sex."""
    size = len(ages)
    adult = ages >= 15
    prevalence = {
        "hiv": np.where(adult, 0.03, 0.003),
        "pregnancy": np.where(is_female & (ages >= 15) & (ages <= 45), 0.10, 0.0),
        "hepatitis": np.where(adult, 0.03, 0.002),
        "diabetes": np.select([ages < 20, ages < 45, ages < 65], [0.005, 0.03, 0.09], 0.18),
        "cancer": np.select([ages < 40, ages < 65], [0.005, 0.04], 0.10),
        "mental_health": np.where(ages >= 12, 0.08, 0.01),
    }
    masks = np.zeros(size, dtype=np.int64)
    for index, name in enumerate(conditions()):
        masks |= (rng.random(size) < prevalence[name]).astype(np.int64) << index
    return masks


def condition_lists(masks: np.ndarray) -> pa.ListArray:
    """list<string> of condition names per patient."""
    return mask_lists(_condition_to_mention_masks(masks))


def _condition_to_mention_masks(masks: np.ndarray) -> np.ndarray:
    out = np.zeros(len(masks), dtype=np.int64)
    for index, name in enumerate(conditions()):
        out |= np.where((masks >> index) & 1 == 1, bit(name), 0)
    return out


def blood_groups(size: int, rng: np.random.Generator) -> pa.Array:
    weights = np.array(list(BLOOD_GROUPS.values()), dtype=np.float64)
    return take(pa.array(list(BLOOD_GROUPS)), pick(weights / weights.sum(), size, rng))


@dataclass(frozen=True, eq=False)
class Exams:
    """Every exam of medical.json in one set of arrays; group 0 = routine, 1..k = follow-up
    of conditions()[g-1], k+1 = screening."""
    name: pa.Array
    name_id: np.ndarray  # same id for entries sharing a name (NFS routine / NFS follow-up)
    mask: np.ndarray
    numeric: np.ndarray
    label: pa.Array
    unit: pa.Array               # '' for qualitative results and unitless ones (INR)
    unit_suffix: pa.Array
    low: np.ndarray
    high: np.ndarray
    decimals: np.ndarray
    text_start: np.ndarray
    text_count: np.ndarray
    texts: pa.Array
    screened_condition: np.ndarray  # index into conditions(), -1 when none
    by_group: GroupedSampler         # weighted pick of an exam within a group


@lru_cache(maxsize=1)
def exams() -> Exams:
    data = medical()
    names = conditions()
    entries = [(0, exam) for exam in data["routine_exams"]]
    for index, name in enumerate(names, start=1):
        entries += [(index, exam) for exam in data["condition_exams"].get(name, [])]
    entries += [(len(names) + 1, exam) for exam in data["screening_exams"]]
    texts: list[str] = []
    starts, counts = [], []
    for _, exam in entries:
        variants = exam["result"].get("texts", [])
        starts.append(len(texts))
        counts.append(len(variants))
        texts += variants
    results = [exam["result"] for _, exam in entries]
    return Exams(
        name=pa.array([exam["name"] for _, exam in entries]),
        name_id=np.unique([exam["name"] for _, exam in entries], return_inverse=True)[1],
        mask=np.array([mask_of(exam["mentions"]) for _, exam in entries], dtype=np.int64),
        numeric=np.array(["texts" not in result for result in results]),
        label=pa.array([result.get("label", "") for result in results]),
        unit=pa.array([result.get("unit", "") for result in results]),
        unit_suffix=pa.array([" " + result["unit"] if result.get("unit") else ""
                              for result in results]),
        low=np.array([float(result.get("low", 0)) for result in results]),
        high=np.array([float(result.get("high", 0)) for result in results]),
        decimals=np.array([int(result.get("decimals", 0)) for result in results]),
        text_start=np.array(starts),
        text_count=np.array(counts),
        texts=pa.array(texts, type=pa.string()),
        screened_condition=np.array([names.index(exam["condition"])
                                     if exam.get("condition") else -1 for _, exam in entries]),
        by_group=GroupedSampler(np.array([group for group, _ in entries]),
                                np.array([float(exam["weight"]) for _, exam in entries]),
                                len(names) + 2),
    )


@dataclass(frozen=True)
class ExamSlot:
    """One exam position of a visit: what was done, its result, what it discloses; the
    result's value alone and its unit ('' when none), as a long results table holds them."""
    test: pa.Array
    result: pa.Array
    mask: np.ndarray
    value: pa.Array
    unit: pa.Array


def _slot(chosen: np.ndarray, rng: np.random.Generator) -> ExamSlot:
    """Name, formatted result and mentions of exam `chosen[i]` (-1 = no exam in this slot)."""
    catalogue = exams()
    absent = chosen < 0
    index = np.where(absent, 0, chosen)
    indices = pa.array(index, mask=absent)
    value = catalogue.low[index] + rng.random(len(index)) * (catalogue.high[index] -
                                                             catalogue.low[index])
    number = french_decimal(value, catalogue.decimals[index])
    numeric = concat(catalogue.label.take(indices), " ", number,
                     catalogue.unit_suffix.take(indices))
    text_row = catalogue.text_start[index] + (
        rng.random(len(index)) * catalogue.text_count[index]).astype(np.int64)
    qualitative = catalogue.texts.take(pa.array(np.minimum(text_row, len(catalogue.texts) - 1),
                                                mask=absent | catalogue.numeric[index]))
    is_numeric = pa.array(catalogue.numeric[index])
    result = pc.if_else(is_numeric, numeric, qualitative)
    unit = pc.if_else(is_numeric, catalogue.unit.take(indices), pc.if_else(absent, NULL_STRING, ""))
    return ExamSlot(catalogue.name.take(indices), result,
                    np.where(absent, 0, catalogue.mask[index]),
                    pc.if_else(is_numeric, pc.if_else(absent, NULL_STRING, number), qualitative),
                    unit)


def _focus_conditions(masks: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Per visit: 0 for a routine visit, else 1 + index of one of the patient's conditions,
    chosen uniformly among them; a patient with conditions has `share` of focused visits."""
    count = len(conditions())
    table = np.full((1 << count, count), -1)
    popcount = np.zeros(1 << count, dtype=np.int64)
    for mask in range(1 << count):
        bits = [i for i in range(count) if mask >> i & 1]
        table[mask, :len(bits)] = bits
        popcount[mask] = len(bits)
    slot = (rng.random(len(masks)) * np.maximum(popcount[masks], 1)).astype(np.int64)
    focused = (popcount[masks] > 0) & (rng.random(len(masks)) < share)
    return np.where(focused, table[masks, slot] + 1, 0)


def _lab_slots(focus: np.ndarray, masks: np.ndarray, eligible_pregnancy: np.ndarray,
               rng: np.random.Generator) -> list[ExamSlot]:
    """Up to three routine exams, one follow-up exam of the focus condition, one screening."""
    catalogue = exams()
    size = len(focus)
    routine = [catalogue.by_group.pick(np.zeros(size, dtype=np.int64), rng) for _ in range(3)]
    routine[1] = np.where((rng.random(size) < 0.55) & (routine[1] != routine[0]), routine[1], -1)
    routine[2] = np.where((rng.random(size) < 0.25) & (routine[2] != routine[0])
                          & (routine[2] != routine[1]), routine[2], -1)
    follow_up = np.where((focus > 0) & (rng.random(size) < 0.85),
                         catalogue.by_group.pick(focus, rng), -1)
    screening_group = len(conditions()) + 1
    screening = catalogue.by_group.pick(np.full(size, screening_group), rng)
    screened = catalogue.screened_condition[screening]
    already_known = (screened >= 0) & ((masks >> np.maximum(screened, 0)) & 1 == 1)
    pregnancy = conditions().index("pregnancy")
    not_eligible = (screened == pregnancy) & ~eligible_pregnancy
    screening = np.where((rng.random(size) < 0.08) & ~already_known & ~not_eligible,
                         screening, -1)
    same_name = catalogue.name_id[np.maximum(follow_up, 0)]
    for index, chosen in enumerate(routine):
        duplicate = (follow_up >= 0) & (catalogue.name_id[np.maximum(chosen, 0)] == same_name)
        routine[index] = np.where(duplicate, -1, chosen)
    return [_slot(chosen, rng) for chosen in (*routine, follow_up, screening)]


def _texts(texts: Texts, focus: np.ndarray, focus_share: float, null_share: float,
           rng: np.random.Generator) -> tuple[pa.Array, np.ndarray]:
    """A text about the focus condition (focus_share of focused visits) or a neutral one."""
    size = len(focus)
    group = np.where((focus > 0) & (rng.random(size) < focus_share), focus, 0)
    rows = texts.pick(group, rng)
    absent = rng.random(size) < null_share
    chosen = texts.texts.take(pa.array(rows, mask=absent))
    return chosen, np.where(absent, 0, texts.masks[rows])


def visits(patient_ids: pa.Array, masks: np.ndarray, is_female: np.ndarray,
           birth_days: np.ndarray, visits_per_patient: tuple[int, int],
           rng: np.random.Generator) -> pa.Table:
    """The visits table (schema in vigie.synth.population)."""
    low, high = visits_per_patient
    counts = rng.integers(low, high + 1, size=len(masks))
    patient = np.repeat(np.arange(len(masks)), counts)
    size = len(patient)
    masks, birth = masks[patient], birth_days[patient]
    first_day = np.maximum(FIRST_VISIT_DAY, birth)
    day = first_day + (rng.random(size) * (LAST_VISIT_DAY - first_day + 1)).astype(np.int64)
    focus = _focus_conditions(masks, 0.7, rng)
    age_at_visit = (day - birth) / 365.2425
    # A woman 15-45 today was younger at a 2019 visit: no pregnancy follow-up before 15.
    too_young = (focus == conditions().index("pregnancy") + 1) & (age_at_visit < 15)
    focus = np.where(too_young, 0, focus)
    eligible = is_female[patient] & (age_at_visit >= 15) & (age_at_visit <= 50)
    slots = _lab_slots(focus, masks, eligible, rng)
    diagnosis, diagnosis_mask = _texts(grouped_texts("diagnoses"), focus, 0.8, 0.45, rng)
    medication, medication_mask = _texts(grouped_texts("drugs"), focus, 0.8, 0.4, rng)
    notes = grouped_texts("notes")
    main_note, main_mask = _texts(notes, focus, 0.75, 0.3, rng)
    extra_note, extra_mask = _texts(notes, np.zeros(size, dtype=np.int64), 0.0, 0.7, rng)
    # A second fragment only follows a first one.
    no_main = main_note.is_null().to_numpy(zero_copy_only=False)
    note = join_skipping_nulls([main_note, pc.if_else(pa.array(no_main), NULL_STRING,
                                                      extra_note)], " ")
    note_mask = main_mask | np.where(no_main, 0, extra_mask)
    # Drawn last, so that every column above stays as it was before they existed.
    reason, reason_mask = _texts(grouped_texts("reasons"), focus, 0.6, 0.0, rng)
    serology, serology_mask = _serology(slots, rng)
    width = max(8, len(str(size)))
    return pa.table({
        "visit_id": concat("V", zero_padded(np.arange(1, size + 1), width)),
        "patient_id": take(patient_ids, patient),
        "visit_date": pa.array(day.astype(np.int32), type=pa.date32()),
        "lab_test": join_skipping_nulls([slot.test for slot in slots], "|"),
        "lab_result": join_skipping_nulls([slot.result for slot in slots], "; "),
        "lab_values": join_skipping_nulls([slot.value for slot in slots], "|"),
        "lab_units": join_skipping_nulls([slot.unit for slot in slots], "|"),
        "reason": reason,
        "serology": serology,
        "diagnosis": diagnosis,
        "medication": medication,
        "note": note,
        "note_mentions": mask_lists(note_mask),
        "lab_test_mentions": mask_lists(np.bitwise_or.reduce([slot.mask for slot in slots])),
        "diagnosis_mentions": mask_lists(diagnosis_mask),
        "medication_mentions": mask_lists(medication_mask),
        "reason_mentions": mask_lists(reason_mask),
        "serology_mentions": mask_lists(serology_mask),
    })


SLOT_NAMES = {"follow_up": 3, "screening": 4}     # positions in _lab_slots' list


def _serology(slots: list[ExamSlot], rng: np.random.Generator) -> tuple[pa.Array, np.ndarray]:
    """A serology result column as a workbook keeps it beside the results: empty unless the
    visit had a serology of medical.json's "serology" list, then its short result ("Toxo
    immunisée", "VIH négatif"; several joined by '; '), with what that text states."""
    size = len(slots[0].test)
    parts, mask = [], np.zeros(size, dtype=np.int64)
    for entry in medical()["serology"]:
        slot = slots[SLOT_NAMES[entry["slot"]]]
        done = pc.fill_null(pc.equal(slot.test, entry["exam"]), False).to_numpy(zero_copy_only=False)
        texts = pa.array(entry["texts"])
        chosen = (rng.random(size) * len(texts)).astype(np.int64)
        parts.append(texts.take(pa.array(chosen, mask=~done)))
        mask |= np.where(done, mask_of(entry["mentions"]), 0)
    return join_skipping_nulls(parts, "; "), mask
