"""E-mail, IP address, postcode, city, address and place-of-birth recognisers."""

import duckdb
import pytest

from vigie.detect.base import render_sql
from vigie.detect.recognisers.address import Address
from vigie.detect.recognisers.city import City, normalise_city
from vigie.detect.recognisers.email import Email
from vigie.detect.recognisers.ip_address import IpAddress
from vigie.detect.recognisers.place_of_birth import PlaceOfBirth
from vigie.detect.recognisers.postcode import Postcode


@pytest.mark.parametrize("value, valid", [
    ("jean.dupont@orange.fr", True), ("J.Dupont+labo@Example.COM", True),
    ("marie_l'herbier@free.fr", True), ("a@b.fr", True), ("jean.dupont@orange", False),
    ("jean..dupont@orange.fr", False), ("@orange.fr", False), ("jean dupont@orange.fr", False),
    ("dupont", False),
])
def test_email(value, valid):
    assert Email().matches(value) is valid
    assert Email().normalise(" A@B.FR ") == "a@b.fr"


@pytest.mark.parametrize("value, valid", [
    ("192.168.1.20", True), ("10.0.0.1", True), ("2001:db8::1", True), ("fe80::1%eth0", True),
    ("256.1.1.1", False), ("1.2.3", False), ("12.5", False), ("2024", False), ("::g", False),
])
def test_ip_address(value, valid):
    assert IpAddress().matches(value) is valid


def test_ip_sql_agrees():
    values = ["192.168.1.20", "2001:db8::1", "256.1.1.1", "1.2.3", "2024", "1.2.3.4"]
    sql = render_sql(IpAddress().sql_valid, "v")
    rows = dict(duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall())
    assert rows == {v: IpAddress().matches(v) for v in values}


def test_postcode_known_codes_only():
    rec = Postcode()
    assert rec.matches("75014") and rec.matches("20000") and rec.matches("97400")
    assert rec.matches("75 014")
    assert not rec.matches("00000") and not rec.matches("99999") and not rec.matches("7501")


def test_postcode_four_digits_only_under_header():
    values = ["1000", "1000", "6000"] * 5       # 01000 Bourg-en-Bresse, 06000 Nice
    assert Postcode().assess(values, header=0.0).ratio == 0.0
    assert Postcode().assess(values, header=1.0).ratio == 1.0


@pytest.mark.parametrize("value", ["Paris", "PARIS 14E", "Lyon 03", "St-Étienne", "ST ETIENNE CEDEX 2",
                                   "Dijon (21)", "L'Haÿ-les-Roses", "saint denis", "Ajaccio"])
def test_city_spellings(value):
    assert City().matches(value)


def test_city_rejects_non_communes():
    assert not City().matches("Atlantis")
    assert not City().matches("75014")
    assert normalise_city("Ste-Foy-lès-Lyon") == "SAINTE FOY LES LYON"


@pytest.mark.parametrize("value, valid", [
    ("12 bis rue des Lilas", True), ("3, AV. J. JAURES", True), ("Lieu-dit Les Granges", True),
    ("45 Boulevard Haussmann 75009 Paris", True), ("7 impasse du Moulin", True),
    ("route de Lyon", True), ("Dr Martin", False), ("St Louis", False),
    ("Patient vu ce jour", False), ("12", False),
])
def test_address(value, valid):
    assert Address().matches(value) is valid


def test_address_sql_agrees():
    values = ["12 bis rue des Lilas", "3, AV. J. JAURES", "Lieu-dit Les Granges", "Dr Martin", "12"]
    sql = render_sql(Address().sql_valid, "v")
    rows = dict(duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall())
    assert rows == {v: Address().matches(v) for v in values}


def test_place_of_birth_needs_header_and_takes_countries():
    rec = PlaceOfBirth()
    assert rec.needs_header
    assert rec.matches("Algérie") and rec.matches("Lyon") and rec.matches("Corse-du-Sud")
    assert not rec.matches("Atlantis")


def test_address_after_a_complement_and_city_after_a_postcode():
    assert Address().matches("Bât. B, 12 rue des Lilas")
    assert Address().matches("Résidence les Pins, 4 allée des Cèdres")
    assert City().matches("75014 PARIS")
