"""Document-store leaks: a MongoDB export (NDJSON, nested) and a REST API dump (JSON array).

Records are built as Arrow structs (and lists of structs for a patient's appointments)
and serialised by DuckDB. Column names in the truth follow DESIGN.md: dotted paths for
nested objects (`contact.email`), `[]` for arrays of objects (`appointments[].reason`),
in depth-first order of the keys as written.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from vigie.kinds import is_personal
from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import TableTruth, shape, truth_builder
from vigie.synth.leaks.rows import as_batch, visits_by_patient
from vigie.synth.leaks.textfiles import write_json

BATCH_PATIENTS = 50_000
HEX = b"0123456789abcdef"


def struct(**fields: pa.Array) -> pa.StructArray:
    return pa.StructArray.from_arrays(list(fields.values()), list(fields))


def struct_fields(array: pa.StructArray) -> dict[str, pa.Array]:
    return {array.type.field(i).name: array.field(i) for i in range(array.type.num_fields)}


def leaf_columns(arrays: dict[str, pa.Array],
                 prefix: str = "") -> Iterator[tuple[str, pa.Array, bool]]:
    """(dotted name, leaf values, inside an array) for every leaf, depth first.

    Leaves inside a list of structs are yielded flattened (one value per element).
    """
    for key, array in arrays.items():
        name = f"{prefix}{key}"
        if pa.types.is_struct(array.type):
            yield from leaf_columns(struct_fields(array), name + ".")
        elif pa.types.is_list(array.type) and pa.types.is_struct(array.type.value_type):
            for leaf, values, _ in leaf_columns(struct_fields(array.flatten()), name + "[]."):
                yield leaf, values, True
        else:
            yield name, array, False


def observe_records(table: TableTruth, patient_ids: pa.Array, record: dict[str, pa.Array],
                    element_ids: pa.Array | None = None,
                    element_mentions: dict[str, pa.Array] | None = None) -> None:
    """Feed the truth with one batch of records (and their array elements)."""
    top: dict[str, pa.Array] = {}
    nested: dict[str, pa.Array] = {}
    for name, values, in_array in leaf_columns(record):
        if is_personal(table.kinds[name]):
            (nested if in_array else top)[name] = values
    table.observe(patient_ids, top)
    if element_ids is not None:
        table.observe(element_ids, nested, element_mentions or {}, count_rows=False)


def declare_records(truth, name: str, sample: dict[str, pa.Array],
                    kinds: dict[str, str]) -> TableTruth:
    """Declare the table from the leaves of a sample record batch, in written order."""
    names = [leaf for leaf, _, _ in leaf_columns(sample)]
    if set(names) != set(kinds):
        raise ValueError(f"{name}: kinds do not match the written leaves")
    return truth.table(name, [(leaf, kinds[leaf]) for leaf in names])


MONGO_KINDS = {
    "_id.$oid": "record_id", "patient_id": "record_id",
    "identity.last_name": "last_name", "identity.first_name": "first_name",
    "identity.birth_name": "birth_name", "identity.sex": "sex",
    "identity.birth_date": "date_of_birth", "identity.birth_place": "place_of_birth",
    "identity.nir": "nir",
    "contact.email": "email", "contact.phone": "phone",
    "contact.address.street": "address", "contact.address.postcode": "postcode",
    "contact.address.city": "city",
    "insurance.insurer": "insurer", "insurance.member_number": "insurance_number",
    "blood_group": "blood_group",
    "physician.name": "physician", "physician.rpps": "physician",
    "appointments[].date": "event_date", "appointments[].reason": "lab_test",
    "appointments[].lab_tests": "lab_test", "appointments[].diagnosis": "diagnosis",
    "appointments[].treatment": "medication", "appointments[].note": "medical_free_text",
}
MONGO_MENTIONS = {"appointments[].reason": "reason_mentions",
                  "appointments[].lab_tests": "lab_test_mentions",
                  "appointments[].diagnosis": "diagnosis_mentions",
                  "appointments[].treatment": "medication_mentions",
                  "appointments[].note": "note_mentions"}


def mongo_records(p: pa.RecordBatch, v: pa.RecordBatch, offsets: np.ndarray,
                  gen: np.random.Generator) -> dict[str, pa.Array]:
    """One record per patient of batch p; v holds their visits, offsets delimit them."""
    col = p.column
    appointment = struct(
        date=nt.date_text(v.column("visit_date"), "yyyy-mm-dd"),
        reason=v.column("reason"),
        lab_tests=v.column("lab_test"),
        diagnosis=v.column("diagnosis"),
        treatment=v.column("medication"),
        note=v.column("note"))
    return {
        "_id": struct(**{"$oid": nt.random_text(gen, p.num_rows, 24, HEX)}),
        "patient_id": col("patient_id"),
        "identity": struct(
            last_name=col("last_name"), first_name=col("first_name"),
            birth_name=col("birth_name"), sex=col("sex"),
            birth_date=nt.date_text(col("date_of_birth"), "yyyy-mm-dd"),
            birth_place=col("birth_place"), nir=col("nir")),
        "contact": struct(
            email=col("email"), phone=nt.phone_text(col("phone"), "spaced"),
            address=struct(street=col("address"), postcode=col("postcode"), city=col("city"))),
        "insurance": struct(insurer=col("insurer"), member_number=col("insurance_number")),
        "blood_group": col("blood_group"),
        "physician": struct(name=col("physician"), rpps=col("physician_rpps")),
        "appointments": pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), appointment),
    }


@shape("json-nested", "MongoDB export of a patients collection: NDJSON, nested objects, "
       "appointments as an array of objects (date, booked reason, exams, diagnosis...)")
def json_nested(pop, out_dir: Path, rng: random.Random) -> dict:
    gen = nt.numpy_rng(rng)
    truth = truth_builder(pop, "json-nested", "ndjson")
    order, offsets = visits_by_patient(pop)
    table: list[TableTruth] = []

    def batches() -> Iterator[pa.RecordBatch]:
        for start in range(0, pop.patients.num_rows, BATCH_PATIENTS):
            stop = min(start + BATCH_PATIENTS, pop.patients.num_rows)
            p = as_batch(pop.patients.slice(start, stop - start))
            first, last = int(offsets[start]), int(offsets[stop])
            v = as_batch(pop.visits.take(pa.array(order[first:last])))
            record = mongo_records(p, v, offsets[start:stop + 1] - first, gen)
            if not table:
                table.append(declare_records(truth, "patients", record, MONGO_KINDS))
            observe_records(table[0], p.column("patient_id"), record, v.column("patient_id"),
                            {leaf: v.column(src) for leaf, src in MONGO_MENTIONS.items()})
            yield pa.RecordBatch.from_arrays(list(record.values()), names=list(record))

    stream = batches()
    first = next(stream)
    path = write_json(out_dir / "patients.json", first.schema, _chain(first, stream), array=False)
    truth.add_file(path, out_dir)
    return truth.build()


API_KINDS = {
    "id": "record_id", "nom": "last_name", "prenom": "first_name",
    "nomNaissance": "birth_name", "sexe": "sex", "dateNaissance": "date_of_birth",
    "lieuNaissance": "place_of_birth", "numeroSecu": "nir", "telephone": "phone",
    "email": "email", "adresse.rue": "address", "adresse.codePostal": "postcode",
    "adresse.ville": "city", "mutuelle.nom": "insurer", "mutuelle.numeroAdherent":
    "insurance_number", "groupeSanguin": "blood_group", "medecinTraitant": "physician",
    "iban": "iban",
}


def api_records(p: pa.RecordBatch, start: int) -> dict[str, pa.Array]:
    col = p.column
    return {
        "id": pa.array(np.arange(start + 1, start + 1 + p.num_rows, dtype=np.int64)),
        "nom": col("last_name"), "prenom": col("first_name"), "nomNaissance": col("birth_name"),
        "sexe": col("sex"),
        "dateNaissance": nt.date_text(col("date_of_birth"), "yyyy-mm-dd"),
        "lieuNaissance": col("birth_place"), "numeroSecu": col("nir"),
        "telephone": col("phone"), "email": col("email"),
        "adresse": struct(rue=col("address"), codePostal=col("postcode"), ville=col("city")),
        "mutuelle": struct(nom=col("insurer"), numeroAdherent=col("insurance_number")),
        "groupeSanguin": col("blood_group"), "medecinTraitant": col("physician"),
        "iban": col("iban"),
    }


@shape("json-array", "REST API dump of a patients endpoint: one JSON array of objects, "
       "camelCase French keys, nested address")
def json_array(pop, out_dir: Path, rng: random.Random) -> dict:
    truth = truth_builder(pop, "json-array", "json")
    table: list[TableTruth] = []

    def batches() -> Iterator[pa.RecordBatch]:
        for start in range(0, pop.patients.num_rows, BATCH_PATIENTS):
            p = as_batch(pop.patients.slice(start, BATCH_PATIENTS))
            record = api_records(p, start)
            if not table:
                table.append(declare_records(truth, "api_patients", record, API_KINDS))
            observe_records(table[0], p.column("patient_id"), record)
            yield pa.RecordBatch.from_arrays(list(record.values()), names=list(record))

    stream = batches()
    first = next(stream)
    path = write_json(out_dir / "api_patients.json", first.schema, _chain(first, stream),
                      array=True)
    truth.add_file(path, out_dir)
    return truth.build()


def _chain(first: pa.RecordBatch, rest: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    yield first
    yield from rest
