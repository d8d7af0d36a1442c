"""The shared bases: header-only token kinds and date kinds keep one check in Python and SQL."""

import re

import duckdb
import pytest

from vigie.detect.base import HeaderTokenRecogniser, token_sql
from vigie.detect.recognisers.date_of_birth import DateOfBirth
from vigie.detect.recognisers.dates import DateRecogniser
from vigie.detect.recognisers.event_date import EventDate
from vigie.detect.recognisers.identity_document import IdentityDocument
from vigie.detect.recognisers.insurance_number import InsuranceNumber
from vigie.detect.recognisers.password import Password
from vigie.detect.recognisers.username import Username

TOKENS = ["ADH-2024-0042", "ab12", "12", "abc", "x1y2z3", "MGEN 123 456", "it's1234", "jdupont",
          "j.dupont@example.fr", "user_42", "ab", "12AB34567", "123456789012", "AB 12 CD",
          "no digits here", "1 2", "a b c 1 2 3", "-123", "A" * 70]


def _sql_answers(template: str, values: list[str]) -> list[bool]:
    sql = template.replace("{col}", "v")
    rows = duckdb.connect().execute(f"SELECT {sql} FROM unnest(?::VARCHAR[]) t(v)",
                                    [values]).fetchall()
    return [bool(row[0]) for row in rows]


@pytest.mark.parametrize("recogniser", [InsuranceNumber(), Username(), IdentityDocument()])
def test_token_kinds_sql_twin_agrees_with_python(recogniser):
    assert _sql_answers(recogniser.sql_valid, TOKENS) == [recogniser.matches(v) for v in TOKENS]


@pytest.mark.parametrize("recogniser", [InsuranceNumber(), Username(), IdentityDocument(), Password()])
def test_token_kinds_need_a_header_and_most_values(recogniser):
    assert isinstance(recogniser, HeaderTokenRecogniser)
    assert recogniser.needs_header and recogniser.header_min_ratio == 0.8


def test_required_is_searched_and_derives_the_sql():
    assert InsuranceNumber().matches("ADH 1-2-3") and not InsuranceNumber().matches("ADH 12")
    assert InsuranceNumber.sql_valid == token_sql(InsuranceNumber.pattern, "[0-9].*[0-9].*[0-9]")
    assert "''" in token_sql(re.compile("[a-z']+"), "'")      # quotes escaped for SQL


@pytest.mark.parametrize("recogniser", [DateOfBirth(), EventDate()])
def test_date_kinds_share_parsing_and_iso_normal_form(recogniser):
    assert isinstance(recogniser, DateRecogniser)
    assert recogniser.normalise("2 mai 1984") == "1984-05-02"
    assert recogniser.normalise("02/05/1984") == "1984-05-02"
    assert not recogniser.matches("pas une date")


def test_only_birth_dates_refuse_the_future():
    assert EventDate().matches("2099-01-01") and not DateOfBirth().matches("2099-01-01")
