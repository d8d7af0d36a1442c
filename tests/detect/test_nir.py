"""NIR recogniser: structure, key, Corsica, overseas, abroad, keyless, temporary numbers."""

import duckdb
import pytest

from vigie.detect.base import render_sql
from vigie.detect.recognisers.nir import Nir, nir_form, normalise_nir


def with_key(first13: str) -> str:
    number = first13.upper().replace("2A", "19").replace("2B", "18")
    return first13 + f"{97 - int(number) % 97:02d}"


NIR = Nir()


@pytest.mark.parametrize("first13", [
    "1840575123456",    # Paris-born man, 1984
    "2840569123045",    # Lyon
    "184052A123456",    # Corsica (Corse-du-Sud) after 1976
    "291122B045012",    # Haute-Corse
    "1620520004123",    # Corsica before 1976: department 20
    "2901297123456",    # Guadeloupe: 971 + 2-digit commune
    "1850398712001",    # overseas collectivity 987
    "1750399135012",    # born abroad: 99 + country code
    "1843075123456",    # month 30 (20-42: unknown or fictitious month)
    "1846275123456",    # month 62 (50-99 range)
])
def test_valid_nirs(first13):
    assert nir_form(with_key(first13)) == "keyed"
    assert NIR.matches(with_key(first13))


def test_corsica_lower_case_and_key_substitution():
    number = with_key("184052A123456")
    assert NIR.matches(number.lower())
    # 2A -> 19 in the key: the same digits with 19 in place of 2A give the same key.
    assert number[-2:] == with_key("1840519123456")[-2:]
    assert not NIR.matches(number[:5] + "2C" + number[7:])


@pytest.mark.parametrize("written", [
    "{a} {b} {c} {d} {e} {f} {k}",          # spaces
    "{a}.{b}.{c}.{d}.{e}.{f}.{k}",          # dots
    "{a}-{b}-{c}-{d}-{e}-{f}-{k}",          # hyphens
    "{a}\u00a0{b}\u00a0{c}\u00a0{d}\u00a0{e}\u00a0{f}\u00a0{k}",   # non-breaking spaces
    "{a}{b}{c}{d}{e}{f} {k}",               # key apart
])
def test_every_notation(written):
    n = with_key("284052B123456")
    value = written.format(a=n[0], b=n[1:3], c=n[3:5], d=n[5:7], e=n[7:10], f=n[10:13], k=n[13:])
    assert nir_form(value) == "keyed"
    assert NIR.normalise(value) == n


def test_bad_key_rejected():
    good = with_key("1840575123456")
    bad = good[:13] + f"{(int(good[13:]) % 97) + 1:02d}"
    assert not NIR.matches(bad)


@pytest.mark.parametrize("first13", [
    "5840575123456", "6840575123456", "9840575123456",   # sex 5/6 (MIG) and 9 are not NIRs
    "1841375123456", "1844575123456", "1840075123456",   # months 13, 45, 00
    "1840500123456", "1840596123456",                    # departments 00 and 96
    "1840575000456", "1840575123000",                    # commune 000, order 000
    "1840597900456",                                     # overseas 979 does not exist
])
def test_structure_rejects(first13):
    assert nir_form(with_key(first13)) is None


@pytest.mark.parametrize("sex", "3478")
def test_temporary_numbers_flagged(sex):
    assert nir_form(with_key(sex + "840575123456")) == "temporary"


def test_keyless_form_accepted_at_lower_confidence():
    assert nir_form("1840575123456") == "keyless"
    assert nir_form("7840575123456") is None          # temporary numbers always carry a key
    signal = NIR.assess(["1 84 05 75 123 456"] * 50, header=1.0)
    assert signal.ratio == 1.0 and signal.confidence is not None and signal.confidence < 0.9
    assert any("keyless" in e for e in signal.evidence)


def test_hostile_values_do_not_raise():
    for value in ("", "2A" * 5000, "1" * 10_000, "\x00" * 20, "１８４０５７５１２３４５６"):
        assert NIR.matches(value) in (True, False)


def test_normalise_strips_every_separator():
    assert normalise_nir(" 2 84-05.2a\u202f123 456 78 ") == "284052A12345678"


def test_sql_agrees_with_python():
    values = [with_key("1840575123456"), with_key("184052A123456").lower(), with_key("2901297123456"),
              "1 84 05 75 123 456", with_key("3840575123456"), with_key("1841375123456"),
              with_key("1840575123456")[:13] + "00", "123456789012345", "abc", None,
              with_key("1750399135012").replace("99", "99 ", 1)]
    sql = render_sql(NIR.sql_valid, "v")
    rows = duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall()
    for value, in_sql in rows:
        expected = value is not None and NIR.matches(value)
        assert bool(in_sql) == expected, value
