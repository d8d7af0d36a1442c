"""Synthetic columns for the detection tests (fictitious values only, built here so the
tests do not depend on the generator's habits)."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

import pytest

from vigie.detect.column_names import strip_accents
from vigie.refdata.communes import load_communes, postcode_set
from vigie.refdata.names import first_names, surnames

STREET_TYPES = ("rue", "avenue", "boulevard", "chemin", "impasse", "allée", "place", "route")


def nir_key(first13: str) -> str:
    number = first13.replace("2A", "19").replace("2B", "18")
    return f"{97 - int(number) % 97:02d}"


class Columns:
    """Builders of sample columns; every value is invented from a seeded generator."""

    def __init__(self, lists: dict, seed: int = 7):
        self.rng = random.Random(seed)
        self._firsts = lists["firsts"]
        self._lasts = lists["lasts"]
        self._cities = lists["cities"]
        self._postcodes = lists["postcodes"]

    def nir(self, sex: str | None = None, year: int | None = None, dept: str | None = None,
            spaced: bool = False) -> str:
        rng = self.rng
        sex = sex or rng.choice("12")
        yy = f"{(year if year is not None else rng.randint(1920, 2020)) % 100:02d}"
        mm = f"{rng.randint(1, 12):02d}"
        dept = dept or rng.choice(["75", "13", "69", "2A", "2B", "59", "33", "971", "974", "99"])
        if len(dept) == 3:
            place = dept + f"{rng.randint(1, 30):02d}"
        else:
            place = dept + f"{rng.randint(1, 400):03d}"
        first13 = sex + yy + mm + place + f"{rng.randint(1, 999):03d}"
        number = first13 + nir_key(first13)
        if spaced:
            return " ".join((number[0], number[1:3], number[3:5], number[5:7], number[7:10],
                             number[10:13], number[13:]))
        return number

    def many(self, builder, n: int = 300, **kwargs) -> list[str]:
        return [builder(**kwargs) for _ in range(n)]

    def random_digits(self, length: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(length))

    def phone(self) -> str:
        rng = self.rng
        digits = rng.choice(["06", "07", "01", "02", "04", "05", "09"]) + self.random_digits(8)
        style = rng.randrange(4)
        if style == 0:
            return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
        if style == 1:
            return ".".join(digits[i:i + 2] for i in range(0, 10, 2))
        if style == 2:
            return "+33 " + digits[1] + " " + " ".join(digits[i:i + 2] for i in range(2, 10, 2))
        return digits

    def email(self) -> str:
        local = strip_accents(f"{self.first_name()}.{self.last_name()}").lower()
        local = "".join(ch for ch in local if ch.isalnum() or ch == ".")
        return (f"{local}{self.rng.randint(1, 99)}"
                f"@{self.rng.choice(['gmail.com', 'orange.fr', 'free.fr', 'laposte.net'])}")

    def iban(self) -> str:
        from stdnum import iban
        bban = self.random_digits(23)
        check = iban.calc_check_digits("FR00" + bban)
        return "FR" + check + bban

    def card(self) -> str:
        from stdnum import luhn
        body = "4" + self.random_digits(14)
        return body + luhn.calc_check_digit(body)

    def first_name(self) -> str:
        return self.rng.choice(self._firsts)

    def last_name(self) -> str:
        return self.rng.choice(self._lasts).upper()

    def city(self) -> str:
        return self.rng.choice(self._cities)

    def postcode(self) -> str:
        return self.rng.choice(self._postcodes)

    def address(self) -> str:
        return (f"{self.rng.randint(1, 180)} {self.rng.choice(STREET_TYPES)} "
                f"{self.rng.choice(['des Lilas', 'Victor Hugo', 'de la Gare', 'du Moulin', 'Jean Jaurès'])}")

    def birth_date(self, fmt: str = "%d/%m/%Y") -> str:
        day = date(1920, 1, 1) + timedelta(days=self.rng.randint(0, 365 * 100))
        return day.strftime(fmt)

    def visit_date(self, fmt: str = "%Y-%m-%d") -> str:
        day = date.today() - timedelta(days=self.rng.randint(0, 365 * 3))
        return day.strftime(fmt)


@pytest.fixture(scope="session")
def reference_lists() -> dict:
    return {"firsts": first_names()[:2000], "lasts": surnames()[:5000],
            "cities": load_communes().column("nom").to_pylist(),
            "postcodes": sorted(postcode_set())}


@pytest.fixture
def columns(reference_lists) -> Columns:
    return Columns(reference_lists)
