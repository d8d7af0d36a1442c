"""Credentials, physicians, identity documents, insurers, member numbers, record ids."""

import random

import duckdb
import pytest

from vigie.detect.base import render_sql
from vigie.detect.recognisers.identity_document import IdentityDocument
from vigie.detect.recognisers.insurance_number import InsuranceNumber
from vigie.detect.recognisers.insurer import Insurer
from vigie.detect.recognisers.password import Password
from vigie.detect.recognisers.password_hash import PasswordHash
from vigie.detect.recognisers.physician import Physician
from vigie.detect.recognisers.record_id import RecordId
from vigie.detect.recognisers.username import Username

HASHES = [
    "$2b$12$" + "a" * 22 + "B" * 31,                                          # bcrypt
    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",      # argon2
    "$6$rounds=5000$saltsalt$" + "x" * 86,                                     # sha512-crypt
    "$1$saltsalt$" + "y" * 22,                                                 # md5-crypt
    "pbkdf2_sha256$600000$salt$" + "Zm9v" * 11,                                 # Django
    "{SSHA}" + "q" * 32,                                                       # LDAP
    "5f4dcc3b5aa765d61d8327deb882cf99",                                        # md5 hex
    "a" * 40, "b" * 64, "c" * 128,                                             # sha1/256/512 hex
]


@pytest.mark.parametrize("value", HASHES)
def test_password_hash_formats(value):
    assert PasswordHash().matches(value)


@pytest.mark.parametrize("value", ["motdepasse123", "a" * 33, "$2b$12$short", "g" * 32])
def test_not_password_hashes(value):
    assert not PasswordHash().matches(value)


def test_bare_hex_is_weaker_without_header():
    hexes = ["%032x" % (i * 7919) for i in range(1, 60)]
    assert PasswordHash().assess(hexes, 0.0).confidence == 0.75
    assert PasswordHash().assess(hexes, 1.0).confidence is None


def test_password_hash_sql_agrees():
    values = HASHES + ["motdepasse123", "g" * 32]
    sql = render_sql(PasswordHash().sql_valid, "v")
    rows = dict(duckdb.sql(f"SELECT v, {sql} FROM (SELECT unnest(?) AS v)", params=[values]).fetchall())
    assert rows == {v: PasswordHash().matches(v) for v in values}


def test_header_driven_kinds_never_propose_themselves_from_values():
    for rec in (Password(), Username(), InsuranceNumber(), IdentityDocument()):
        assert rec.needs_header
        values = ["abc12345"] * 30
        assert rec.score(rec.assess(values, 0.0), 0.0) == 0.0


def test_username_and_member_number_shapes():
    assert Username().matches("jdupont42") and not Username().matches("123456")
    assert not Username().matches("jean dupont")
    assert InsuranceNumber().matches("ADH-0012345") and not InsuranceNumber().matches("ABCDEF")


def test_physician_titles_and_rpps_under_header():
    rec = Physician()
    assert rec.matches("Dr Martin") and rec.matches("Docteur M. Durand") and rec.matches("Pr. Leroy")
    assert not rec.matches("Martin") and not rec.matches("Drôme")
    rpps = ["10003456789", "10101234567"] * 10
    assert rec.assess(rpps, 0.0).ratio == 0.0
    assert rec.assess(rpps, 1.0).ratio == 1.0


def test_identity_document_shapes():
    rec = IdentityDocument()
    assert rec.matches("123456789012")          # CNI before 2021
    assert rec.matches("12AB34567")             # passport
    assert rec.matches("X4RTBPFW4")             # CNI since 2021
    assert not rec.matches("ABCDEFGHI") and not rec.matches("12345")


def test_insurer_names_and_amc_codes():
    rec = Insurer()
    assert rec.matches("MGEN") and rec.matches("Harmonie Mutuelle") and rec.matches("CPAM de Lyon")
    assert not rec.matches("Boulangerie Martin")
    codes = ["775685365", "442965617"] * 10
    assert rec.assess(codes, 0.0).ratio == 0.0 and rec.assess(codes, 1.0).ratio == 1.0


def test_record_ids_unique_tokens_but_not_amounts():
    rec = RecordId()
    ids = [f"CMD-{i:06d}" for i in range(100)]
    assert rec.assess(ids, 0.0).ratio == 1.0
    amounts = [f"{i * 1.37:.2f}" for i in range(100)]
    assert rec.assess(amounts, 0.0).ratio == 0.0
    times = [f"{8 + i // 60:02d}:{i % 60:02d}" for i in range(100)]
    assert rec.assess(times, 0.0).ratio == 0.0
    repeated = ["42", "43"] * 50
    assert rec.assess(repeated, 0.0).ratio == 0.0 and rec.assess(repeated, 1.0).ratio == 1.0
    assert rec.matches("3f2504e0-4f89-11d3-9a0c-0305e82c3301")


def test_record_ids_versus_quantities():
    rec = RecordId()
    draw = random.Random(4)
    stock = [str(draw.randrange(5000)) for _ in range(400)]     # small integers, sparse
    assert rec.assess(stock, 0.0).ratio == 0.0
    assert rec.assess([str(i) for i in range(1, 400)], 0.0).ratio == 1.0           # 1..n
    assert rec.assess([str(i * 997) for i in range(1000, 2000)], 0.0).ratio == 1.0  # big ids
    visits = [f"P{i // 3:07d}" for i in range(300)]              # repeated fixed-shape keys
    assert rec.assess(visits, 0.0).ratio == 1.0
    # Samples of a larger table's row ids: every 5th row, or a random subset of 1..1600;
    # no repeat where amounts of that range would have some.
    assert rec.assess([str(i) for i in range(1, 1600, 5)], 0.0).ratio == 1.0
    assert rec.assess([str(i) for i in draw.sample(range(1, 1600), 300)], 0.0).ratio == 1.0
    assert rec.assess([str(i) for i in draw.sample(range(1, 90_000), 300)], 0.0).ratio == 0.0


def test_insurer_header_accepts_repeated_organisation_names():
    names = ["Mutuelle du Rempart", "Prévoyance Ouest", "Caisse Solidaire"] * 20
    assert Insurer().assess(names, 0.0).ratio < Insurer.min_ratio       # only the "Mutuelle" one
    assert Insurer().assess(names, 1.0).ratio == 1.0
    people = [f"Personne{i}" for i in range(60)]         # varied values: not organisations
    assert Insurer().assess(people, 1.0).ratio == 0.0
