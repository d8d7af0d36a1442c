"""Phone recogniser: every notation of French and overseas numbers, and what is not one."""

import duckdb
import pytest

from vigie.detect.base import render_sql
from vigie.detect.recognisers.phone import Phone

PHONE = Phone()


@pytest.mark.parametrize("value, e164", [
    ("06 12 34 56 78", "+33612345678"),
    ("06.12.34.56.78", "+33612345678"),
    ("06-12-34-56-78", "+33612345678"),
    ("0612345678", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("+33 (0)6 12 34 56 78", "+33612345678"),
    ("0033 6 12 34 56 78", "+33612345678"),
    ("01 42 34 56 78", "+33142345678"),
    ("(01) 42 34 56 78", "+33142345678"),
    ("07\u00a056\u00a078\u00a090\u00a012", "+33756789012"),
    ("0590 12 34 56", "+590590123456"),        # Guadeloupe, national notation
    ("+590 590 12 34 56", "+590590123456"),
    ("0262 12 34 56", "+262262123456"),        # La Réunion
    ("0696 12 34 56", "+596696123456"),        # Martinique mobile
    ("0594 12 34 56", "+594594123456"),        # Guyane
])
def test_valid_notations(value, e164):
    assert PHONE.matches(value)
    assert PHONE.normalise(value) == e164


@pytest.mark.parametrize("value", [
    "612345678",                 # no leading 0: a SIREN as often as a phone
    "06 12 34 56",               # too short
    "00 12 34 56 78",            # 00 is no French number
    "+44 20 7946 0958",          # a UK number is not French
    "+1 202 555 0147",
    "12345",
    "1984-05-02",
    "phone",
])
def test_invalid(value):
    assert not PHONE.matches(value)


def test_bare_nine_digits_count_only_under_a_phone_header():
    values = ["612345678", "756789012", "142345678"] * 10
    assert PHONE.assess(values, header=0.0).ratio == 0.0
    signal = PHONE.assess(values, header=1.0)
    assert signal.ratio == 1.0 and any("leading 0" in e for e in signal.evidence)


def test_sql_shape_agrees_on_common_notations():
    values = ["06 12 34 56 78", "+33 (0)6 12 34 56 78", "0590 12 34 56", "+590 590 12 34 56",
              "612345678", "12345", "+44 20 7946 0958"]
    sql = render_sql(PHONE.sql_valid, "v")
    rows = dict(duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall())
    assert rows == {v: PHONE.matches(v) for v in values}


def test_international_form_that_lost_its_plus():
    assert PHONE.matches("33612345678")
    assert PHONE.normalise("33612345678") == "+33612345678"
    assert not PHONE.matches("33012345678")
