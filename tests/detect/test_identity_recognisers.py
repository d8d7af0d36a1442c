"""Names, sex, blood group, age and dates (birth vs event)."""

from datetime import date, timedelta

import duckdb
import pytest

from vigie.detect.base import render_sql
from vigie.detect.recognisers.age import Age
from vigie.detect.recognisers.blood_group import BloodGroup
from vigie.detect.recognisers.date_of_birth import DateOfBirth
from vigie.detect.recognisers.dates import parse_date
from vigie.detect.recognisers.event_date import EventDate
from vigie.detect.recognisers.first_name import FirstName
from vigie.detect.recognisers.full_name import FullName
from vigie.detect.recognisers.last_name import LastName
from vigie.detect.recognisers.sex import Sex


def test_first_and_last_names():
    assert FirstName().matches("Marie") and FirstName().matches("Jean-Pierre")
    assert FirstName().matches("HÉLÈNE")
    assert LastName().matches("Dupont") and LastName().matches("LE GOFF")
    assert not FirstName().matches("Xq7") and not LastName().matches("12345")
    assert LastName().normalise("Le-Goff") == "LE GOFF"


def test_name_column_needs_many_distinct_values():
    yes_no = ["OUI", "NON"] * 50           # OUI is an INSEE surname: a flag column is no name
    assert LastName().assess(yes_no, header=0.0).ratio == 0.0


@pytest.mark.parametrize("value, valid", [
    ("Marie DUPONT", True), ("DUPONT Marie", True), ("Mme Marie Dupont", True),
    ("M. Jean LE GOFF", True), ("DUPONT", False), ("Analyse sanguine complète du jour", False),
])
def test_full_name(value, valid):
    assert FullName().matches(value) is valid


@pytest.mark.parametrize("value, normal", [
    ("O+", "O+"), ("A Rh-", "A-"), ("AB nég", "AB-"), ("B positif", "B+"), ("O RH+", "O+"),
    ("0 négatif", "O-"), ("ab NEGATIF", "AB-"), ("Groupe A Rh D+", "A+"),
])
def test_blood_group_notations(value, normal):
    assert BloodGroup().matches(value)
    assert BloodGroup().normalise(value) == normal


def test_blood_group_bare_letters_only_under_header():
    values = ["A", "B", "O", "AB"] * 10
    assert BloodGroup().assess(values, header=0.0).ratio == 0.0
    assert BloodGroup().assess(values, header=1.0).ratio == 1.0
    assert not BloodGroup().matches("C+")


def test_blood_group_sql_agrees():
    values = ["O+", "A Rh-", "AB nég", "B positif", "O RH+", "C+", "A", "Groupe A Rh D+"]
    sql = render_sql(BloodGroup().sql_valid, "v")
    rows = dict(duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall())
    assert rows == {v: BloodGroup().matches(v) for v in values}


def test_sex_notations_and_digits_under_header():
    rec = Sex()
    for value in ("M", "F", "H", "Homme", "femme", "Masculin", "FÉMININ", "Mme", "M."):
        assert rec.matches(value)
    assert rec.normalise("Féminin") == "F" and rec.normalise("H") == "M"
    skewed = ["1"] * 35 + ["2"] * 5             # a 1/2 flag, not a population's sex ratio
    assert rec.assess(skewed, header=0.0).ratio == 0.0
    assert rec.assess(skewed, header=1.0).ratio == 1.0
    balanced = ["1", "2"] * 20                 # headerless 1/2 in sex-like proportions
    signal = rec.assess(balanced, header=0.0)
    assert signal.ratio == 1.0 and signal.confidence == 0.6


def test_sex_rejects_size_and_flag_columns():
    sizes = ["S", "M", "L", "XL"] * 10
    assert Sex().score(Sex().assess(sizes, 0.0), 0.0) == 0.0
    many = [f"V{i}" for i in range(40)]
    assert Sex().assess(many, 1.0).ratio == 0.0


def test_age():
    rec = Age()
    assert rec.needs_header
    assert rec.matches("45") and rec.matches("45 ans") and rec.matches("3.5")
    assert not rec.matches("130") and not rec.matches("-4")


@pytest.mark.parametrize("value, iso", [
    ("1984-05-02", "1984-05-02"), ("02/05/1984", "1984-05-02"), ("02-05-1984", "1984-05-02"),
    ("02.05.1984", "1984-05-02"), ("19840502", "1984-05-02"), ("2 mai 1984", "1984-05-02"),
    ("1er mai 1984", "1984-05-01"), ("May 2, 1984", "1984-05-02"), ("02-May-1984", "1984-05-02"),
    ("05/28/1984", "1984-05-28"), ("2 févr. 1984", "1984-02-02"), ("1984/05/02", "1984-05-02"),
    ("2024-03-05T10:22:00Z", "2024-03-05"), ("05/03/2024 10h22", "2024-03-05"),
    ("mardi 5 mars 2024", "2024-03-05"),
])
def test_date_notations(value, iso):
    assert parse_date(value).day.isoformat() == iso


@pytest.mark.parametrize("value", ["31/02/1984", "1984-13-01", "hier", "12345", "1.2.3.4", "06.12.34.56.78"])
def test_not_dates(value):
    assert parse_date(value) is None


def test_two_digit_years_pivot_on_today():
    assert parse_date("02/05/84", today=date(2026, 1, 1)).day.year == 1984
    assert parse_date("02/05/19", today=date(2026, 1, 1)).day.year == 2019


def test_birth_dates_versus_visit_dates():
    start = date(1921, 1, 1)
    births = [(start + timedelta(days=37 * i)).strftime("%d/%m/%Y") for i in range(1000)]
    visits = [(date.today() - timedelta(days=i)).isoformat() for i in range(1000)]
    dob, event = DateOfBirth(), EventDate()
    assert dob.score(dob.assess(births, 0), 0) > event.score(event.assess(births, 0), 0)
    assert event.score(event.assess(visits, 0), 0) > dob.score(dob.assess(visits, 0), 0)
    assert dob.score(dob.assess(visits, 0), 0) == 0.0


def test_future_dates_are_never_birth_dates():
    appointments = [(date.today() + timedelta(days=i)).isoformat() for i in range(1, 100)]
    assert DateOfBirth().assess(appointments, 1.0).ratio == 0.0


def test_midnight_is_no_time_of_day():
    assert not parse_date("1984-05-02 00:00:00").has_time
    assert parse_date("2024-03-05 10:22:00").has_time
    excel_births = [f"{1930 + i % 80}-0{1 + i % 9}-1{i % 9} 00:00:00" for i in range(200)]
    dob, event = DateOfBirth(), EventDate()
    assert dob.score(dob.assess(excel_births, 0), 0) > event.score(event.assess(excel_births, 0), 0)


def test_unix_timestamps_are_event_dates_under_a_date_header():
    stamps = [str(1_700_000_000 + i * 3600) for i in range(50)]
    assert EventDate().assess(stamps, 0.0).ratio == 0.0
    assert EventDate().assess(stamps, 1.0).ratio == 1.0


def test_date_sql_twins():
    import duckdb
    from vigie.detect.base import render_sql

    values = ["1984-05-02", "02/05/1984", "19840502", "2024-03-05T10:22:00Z", "02.05.1984",
              "31/02/1984", "hier", (date.today() + timedelta(days=30)).isoformat()]
    for rec in (DateOfBirth(), EventDate()):
        sql = render_sql(rec.sql_valid, "v")
        rows = dict(duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall())
        assert rows == {v: rec.matches(v) for v in values}, rec.kind


def test_thirty_years_of_account_creations_are_not_birth_dates():
    created = [(date.today() - timedelta(days=11 * i)).isoformat() for i in range(1000)]   # ~30 years
    dob, event = DateOfBirth(), EventDate()
    assert event.score(event.assess(created, 0), 0) > dob.score(dob.assess(created, 0), 0)
