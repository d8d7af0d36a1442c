"""IBAN (mod 97) and payment cards (issuer prefix + Luhn), in Python and in DuckDB SQL."""

import duckdb
import pytest
from stdnum import iban, luhn

from vigie.detect.base import render_sql
from vigie.detect.recognisers.iban import Iban
from vigie.detect.recognisers.payment_card import PaymentCard

IBAN = Iban()
CARD = PaymentCard()


def fr_iban(bban: str) -> str:
    return "FR" + iban.calc_check_digits("FR00" + bban) + bban


def card(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def test_iban_valid_in_every_notation():
    number = fr_iban("20041010050500013M02606")
    assert IBAN.matches(number)
    assert IBAN.matches(" ".join(number[i:i + 4] for i in range(0, len(number), 4)))
    assert IBAN.matches(number.lower())
    assert IBAN.normalise(" ".join(number[i:i + 4] for i in range(0, len(number), 4))) == number


def test_iban_bad_key_rejected():
    number = fr_iban("30006000011234567890189")
    broken = number[:2] + f"{(int(number[2:4]) + 1) % 100:02d}" + number[4:]
    assert not IBAN.matches(broken)
    assert not IBAN.matches(number[:-1] + ("1" if number[-1] != "1" else "2"))
    assert not IBAN.matches("FR76")


def test_card_luhn_and_issuer():
    visa = card("497010123456789")
    assert CARD.matches(visa)
    assert CARD.matches(" ".join(visa[i:i + 4] for i in range(0, 16, 4)))
    assert CARD.matches(card("535012345678901"))      # Mastercard
    assert CARD.matches(card("37123456789012"))        # Amex, 15 digits
    assert not CARD.matches(visa[:-1] + str((int(visa[-1]) + 1) % 10))   # Luhn broken
    assert not CARD.matches(card("912345678901234"))   # Luhn fine, no issuer starts with 9


@pytest.mark.parametrize("recogniser, values", [
    (IBAN, [fr_iban("20041010050500013M02606"), "FR76 3000 6000 0112 3456 7890 189",
            "FR76 3000 6000 0112 3456 7890 188", "DE89 3704 0044 0532 0130 00", "GB00XXXX", "", None]),
    (CARD, [card("497010123456789"), "4970 1012 3456 7890", card("535012345678901"),
            card("37123456789012"), card("912345678901234"), "4111111111111111", "abc", None]),
])
def test_sql_agrees_with_python(recogniser, values):
    sql = render_sql(recogniser.sql_valid, "v")
    rows = duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall()
    for value, in_sql in rows:
        assert bool(in_sql) == (value is not None and recogniser.matches(value)), value
