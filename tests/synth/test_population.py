"""The synthetic population: identity coherence, distributions, ground truth, determinism."""

import os
import re
import subprocess
import sys
from datetime import date

import phonenumbers
import pyarrow.compute as pc
import pytest
from stdnum import iban, luhn
from stdnum.fr import nir as stdnum_nir

from vigie.refdata import communes, names
from vigie.refdata.normalise import normalise_name
from vigie.synth.population import generate_population

N_PATIENTS = 20_000
OVERSEAS_REGION = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT"}


@pytest.fixture(scope="module")
def population():
    return generate_population(N_PATIENTS, seed=7)


@pytest.fixture(scope="module")
def patients(population):
    return population.patients.to_pylist()


@pytest.fixture(scope="module")
def visits(population):
    return population.visits.to_pylist()


@pytest.fixture(scope="module")
def commune_rows():
    return {row["code"]: row for row in communes.load_communes().to_pylist()}


def test_sizes_and_ids(population):
    assert population.patients.num_rows == N_PATIENTS
    ids = population.patients.column("patient_id").to_pylist()
    assert ids[0] == "P0000001" and len(set(ids)) == N_PATIENTS
    per_patient = pc.value_counts(population.visits.column("patient_id"))
    counts = per_patient.field("counts").to_pylist()
    assert min(counts) >= 1 and max(counts) <= 4
    assert 2.3 < population.visits.num_rows / N_PATIENTS < 2.7
    assert set(population.visits.column("patient_id").to_pylist()) <= set(ids)


def test_every_nir_is_valid_and_matches_the_person(patients):
    abroad_unknown_months = 0
    for person in patients:
        number, born = person["nir"], person["date_of_birth"]
        assert len(number) == 15 and stdnum_nir.is_valid(number), number
        assert number[0] == ("2" if person["sex"] == "F" else "1")
        assert number[1:3] == f"{born.year % 100:02d}"
        month = int(number[3:5])
        if month != born.month:
            assert 20 <= month <= 42 or 50 <= month <= 99
            assert person["birth_place_code"].startswith("99")
            abroad_unknown_months += 1
        place, code = number[5:10], person["birth_place_code"]
        if code[:2] in ("2A", "2B") and born.year < 1976:
            assert place == "20" + code[2:]
        else:
            assert place == code
    assert 0 < abroad_unknown_months < 0.01 * len(patients)


def test_no_two_patients_share_a_nir(patients):
    numbers = [person["nir"] for person in patients]
    assert len(set(numbers)) == len(numbers)


def test_order_numbers_are_distinct_within_a_crowded_birth_group():
    """999 people of one sex, year, month and commune: 999 distinct order numbers."""
    import numpy as np
    import pyarrow as pa

    from vigie.synth.nir import order_numbers
    prefixes = pa.array(["2840575056"] * 999 + ["1901213055"] * 3)
    numbers = order_numbers(prefixes, np.random.default_rng(3))
    assert sorted(numbers[:999]) == list(range(1, 1000))
    assert len(set(numbers[999:])) == 3 and all(1 <= n <= 999 for n in numbers[999:])


def test_birthplaces_are_real_communes_or_countries(patients, commune_rows):
    abroad = corsica_old = corsica_new = overseas = collectivities = 0
    for person in patients:
        code = person["birth_place_code"]
        if code.startswith("99"):
            abroad += 1
            assert person["birth_place"] and not person["birth_place"].isdigit()
            continue
        assert commune_rows[code]["nom"] == person["birth_place"]
        if code[:2] in ("2A", "2B"):
            if person["date_of_birth"].year < 1976:
                corsica_old += 1
            else:
                corsica_new += 1
        overseas += code.startswith("97")
        collectivities += code.startswith("98")
    assert 0.05 < abroad / len(patients) < 0.09
    assert corsica_old > 0 and corsica_new > 0 and overseas > 0 and collectivities > 0


def test_address_postcode_and_city_agree_with_the_commune(patients, commune_rows):
    for person in patients:
        row = commune_rows[person["commune_code"]]
        assert row["zone"] != "com"
        assert person["postcode"] in row["codesPostaux"].split("|")
        city = commune_rows[row["parent"]]["nom"] if row["parent"] else row["nom"]
        assert person["city"] == city
        assert re.fullmatch(r"\d+( bis| ter|A)? \S.+", person["address"]), person["address"]
    paris = [p for p in patients if p["city"] == "Paris"]
    assert paris and all(re.fullmatch(r"75(0[0-2]\d|116)", p["postcode"]) for p in paris)


def test_sex_and_age_distribution_look_like_france(patients):
    women = sum(p["sex"] == "F" for p in patients) / len(patients)
    assert 0.50 < women < 0.54
    ages = [(date(2026, 1, 1) - p["date_of_birth"]).days / 365.25 for p in patients]
    assert 0.19 < sum(a < 18 for a in ages) / len(ages) < 0.24
    assert 0.19 < sum(a >= 65 for a in ages) / len(ages) < 0.25
    assert max(ages) > 95 and min(ages) >= 0


def test_names_follow_sex_decade_and_marriage(patients):
    by_band = {}
    for person in patients:
        band = min(max((person["date_of_birth"].year - 1) // 10 * 10 + 1, 1901), 2011)
        key = (person["sex"], band)
        if key not in by_band:
            by_band[key] = set(names.first_names(person["sex"], band))
        assert person["first_name"] in by_band[key]
    assert any("-" in p["first_name"] for p in patients)
    surname_set = names.surname_set()
    married = eligible = 0
    for person in patients:
        assert normalise_name(person["birth_name"]) in surname_set
        age = 2026 - person["date_of_birth"].year
        if person["sex"] == "M":
            assert person["last_name"] == person["birth_name"]
        elif age > 26:
            eligible += 1
            married += person["last_name"] != person["birth_name"]
    assert 0.40 < married / eligible < 0.50


def test_phones_are_valid_and_local(patients, commune_rows):
    mobiles = 0
    for person in patients:
        department = commune_rows[person["commune_code"]]["departement"]
        region = OVERSEAS_REGION.get(department, "FR")
        parsed = phonenumbers.parse(person["phone"], region)
        assert phonenumbers.is_valid_number(parsed), person["phone"]
        kind = phonenumbers.number_type(parsed)
        mobiles += kind == phonenumbers.PhoneNumberType.MOBILE
        if region == "FR" and kind == phonenumbers.PhoneNumberType.FIXED_LINE:
            if commune_rows[person["commune_code"]]["region"] == "11":
                assert person["phone"].startswith("01")
    assert 0.65 < mobiles / len(patients) < 0.75


def test_emails_derive_from_names(patients):
    present = [p for p in patients if p["email"]]
    assert 0.7 < len(present) / len(patients) < 0.9
    domains = {p["email"].split("@")[1] for p in present}
    assert {"gmail.com", "orange.fr", "free.fr"} <= domains
    for person in present:
        local = person["email"].split("@")[0]
        assert re.fullmatch(r"[a-z0-9._-]+", local), person["email"]
        first = normalise_name(person["first_name"]).lower().replace(" ", "-")
        assert first in local or local[0] == first[0]
    children = [p for p in patients if p["date_of_birth"].year >= 2015]
    assert sum(p["email"] is None for p in children) / len(children) > 0.7


def test_insurance_bank_blood_and_physician_fields(patients):
    with_iban = [p["iban"] for p in patients if p["iban"]]
    assert 0.26 < len(with_iban) / len(patients) < 0.34
    assert all(iban.is_valid(value) and value.startswith("FR76") for value in with_iban)
    insured = [p for p in patients if p["insurer"]]
    assert 0.85 < len(insured) / len(patients) < 0.95
    assert all(re.fullmatch(r"\d{8,10}", p["insurance_number"]) for p in insured)
    assert all(p["insurance_number"] is None for p in patients if not p["insurer"])
    groups = [p["blood_group"] for p in patients]
    assert set(groups) == {"O+", "A+", "B+", "AB+", "O-", "A-", "B-", "AB-"}
    assert 0.68 < (groups.count("O+") + groups.count("A+")) / len(groups) < 0.78
    for person in patients:
        assert re.fullmatch(r"Dr \S.* [A-Z' -]+", person["physician"]), person["physician"]
        assert re.fullmatch(r"10\d{9}", person["physician_rpps"])
        assert luhn.is_valid(person["physician_rpps"])


def test_conditions_prevalence_and_pregnancy_rule(patients):
    counts = {}
    for person in patients:
        for condition in person["conditions"]:
            counts[condition] = counts.get(condition, 0) + 1
        if "pregnancy" in person["conditions"]:
            age = 2026 - person["date_of_birth"].year
            assert person["sex"] == "F" and 14 <= age <= 47
    share = {name: count / len(patients) for name, count in counts.items()}
    assert 0.015 < share["hiv"] < 0.04
    assert set(share) == {"hiv", "pregnancy", "hepatitis", "diabetes", "cancer",
                          "mental_health"}


def test_visit_dates_fall_in_2019_2025_after_birth(population, patients):
    birth = {p["patient_id"]: p["date_of_birth"] for p in patients}
    dates = population.visits.column("visit_date").to_pylist()
    owners = population.visits.column("patient_id").to_pylist()
    assert min(dates) >= date(2019, 1, 1) and max(dates) <= date(2025, 12, 31)
    assert all(day >= birth[owner] for day, owner in zip(dates, owners))
    assert len({d.year for d in dates}) == 7


def test_pregnancy_appears_only_for_women_of_childbearing_age(patients, visits):
    by_id = {p["patient_id"]: p for p in patients}
    pregnancy_visits = 0
    for visit in visits:
        fields = ("note", "lab_test", "diagnosis", "medication", "reason", "serology")
        if any("pregnancy" in visit[f"{field}_mentions"] for field in fields):
            person = by_id[visit["patient_id"]]
            age = (visit["visit_date"] - person["date_of_birth"]).days / 365.25
            assert person["sex"] == "F" and 15 <= age <= 50.5, (age, visit["visit_id"])
            pregnancy_visits += 1
    assert pregnancy_visits > 100


# Cues written for this test, independently of the generation vocabularies: a field's
# ground truth must name a mention exactly when its text carries one of these cues.
CUES = {
    "hiv": r"VIH|HIV|[Ss][ée]ropositi|trithérapie|BIKTARVY|TRIUMEQ|GENVOYA|DOVATO|ODEFSEY|"
           r"TRUVADA|CD4",
    "pregnancy": r"[Ee]nceinte|[Gg]rossesse|grosesse|\bSA\b|G\dP\d|β-HCG|[Tt]oxo|[Rr]ubéole|"
                 r"HGPO|DDR|gravidique",
    "hepatitis": r"[Hh][ée]patite|VHC|VHB|Ag HBs|EPCLUSA|MAVIRET|entécavir|VIREAD",
    "diabetes": r"DT[12]|[Dd]iab[eèé]t|DNID|\bDG\b|HbA1c|insulin|metformine|GLUCOPHAGE|OZEMPIC|"
                r"JANUVIA|Microalbuminurie",
    "cancer": r"\bK\b|[Nn]éo\b|[Cc]ancer|chimio|[Oo]nco|[Tt]umeur|tamoxifène|létrozole|XELODA|"
              r"ZOLADEX|CA 15-3|CA 125|\bACE\b",
    "mental_health": r"[Pp]sy|[Dd]épr[eé]ss|bipolaire|[Ss]chizo|[Aa]nxiét|\bTS\b|[Ll]ithémie|"
                     r"clozapine|sertraline|DEROXAT|TERALITHE|olanzapine|escitalopram|ABILIFY",
}
DRUG_CUES = (r"DOLIPRANE|AVK|KARDEGIC|PREVISCAN|LEVOTHYROX|BIKTARVY|TRIUMEQ|EPCLUSA|metformine|"
             r"insulin|tamoxifène|sertraline")


# What a serology result states: a toxoplasmosis or rubella immunity does not state a
# pregnancy (it only suggests one), so the serology column's truth never counts it.
STATED_CUES = {**CUES, "pregnancy": r"[Ee]nceinte|[Gg]rossesse"}


@pytest.mark.parametrize("field", ["note", "lab_test", "diagnosis", "medication", "reason",
                                   "serology"])
def test_mentions_ground_truth_matches_the_text(visits, field):
    seen = set()
    cues = STATED_CUES if field == "serology" else CUES
    for visit in visits:
        text, mentions = visit[field] or "", visit[f"{field}_mentions"]
        if not text:
            assert mentions == []
            continue
        for mention, cue in cues.items():
            assert (mention in mentions) == bool(re.search(cue, text)), (field, mention, text)
        seen.update(mentions)
        if field == "note":
            assert ("medication" in mentions) == bool(re.search(DRUG_CUES, text)), text
        if field == "medication":
            assert "medication" in mentions
    assert {"hiv", "hepatitis"} <= seen


def test_health_texts_are_frequent_but_most_notes_are_neutral(visits):
    notes = [v for v in visits if v["note"]]
    assert 0.6 < len(notes) / len(visits) < 0.8
    neutral = sum(1 for v in notes if not set(v["note_mentions"]) - {"medication"})
    assert neutral / len(notes) > 0.5
    hiv_notes = sum("hiv" in v["note_mentions"] for v in notes)
    assert hiv_notes > 50
    assert all(v["lab_test"] and v["lab_result"] for v in visits)
    assert any(re.search(r"\d,\d", v["lab_result"]) for v in visits)


def test_booked_reasons_are_mostly_routine_and_serologies_sparse(visits):
    # The issue's appointments: "Prise de sang", "Test PCR" for most; "Suivi VIH - charge
    # virale", "Bilan grossesse (1er trimestre)" for some. Serologies on few visits.
    assert all(v["reason"] for v in visits)
    routine = sum(1 for v in visits if not v["reason_mentions"])
    assert 0.8 < routine / len(visits) < 0.95
    assert sum("hiv" in v["reason_mentions"] for v in visits) > 100
    assert sum("pregnancy" in v["reason_mentions"] for v in visits) > 50
    filled = [v for v in visits if v["serology"]]
    assert 0.01 < len(filled) / len(visits) < 0.1
    assert any(v["serology"].startswith("Toxo") for v in filled)


def test_values_and_units_line_up_with_the_exams(visits):
    # One value and one unit per exam, in the exam list's order: a long results table
    # (exam, value, unit) is the same results, one per row.
    for v in visits[:3000]:
        exams, results = v["lab_test"].split("|"), v["lab_result"].split("; ")
        values, units = v["lab_values"].split("|"), v["lab_units"].split("|")
        assert len(exams) == len(results) == len(values) == len(units), v["visit_id"]
        for result, value, unit in zip(results, values, units):
            assert value in result and (not unit or result.endswith(f"{value} {unit}"))


def test_same_seed_same_tables_other_seed_other_tables():
    first = generate_population(300, seed=11)
    again = generate_population(300, seed=11)
    other = generate_population(300, seed=12)
    assert first.patients.equals(again.patients) and first.visits.equals(again.visits)
    assert not first.patients.equals(other.patients)


def test_visit_range_and_bad_arguments():
    fixed = generate_population(50, seed=1, visits=(2, 2))
    assert fixed.visits.num_rows == 100
    none = generate_population(5, seed=1, visits=(0, 0))
    assert none.visits.num_rows == 0 and none.visits.schema == fixed.visits.schema
    assert none.patients.schema == fixed.patients.schema
    with pytest.raises(ValueError):
        generate_population(0, seed=1)
    with pytest.raises(ValueError):
        generate_population(10, seed=1, visits=(3, 1))


def test_tables_do_not_depend_on_the_process_hash_seed():
    script = ("import hashlib; from vigie.synth.population import generate_population; "
              "p = generate_population(200, seed=5); "
              "print(hashlib.sha256(repr((p.patients.to_pylist(), p.visits.to_pylist()))"
              ".encode()).hexdigest())")
    digests = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
