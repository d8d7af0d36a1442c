"""A patient web app's user table: accounts with credentials, IPs and identity.

The shape of a telehealth platform's `users` table dumped to CSV: English snake_case
headers, UTF-8, ',' delimiter, one row per account (every patient has one). Password
hashes look like what frameworks store (bcrypt mostly, some argon2id, some unsalted
SHA-256 from a legacy import); they are random strings of the right alphabet and length,
hashes of nothing.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import shape, truth_builder
from vigie.synth.leaks.rows import (Col, Rows, birth_date, declare, patient_batches, render,
                                    string_schema)
from vigie.synth.leaks.textfiles import write_delimited

BCRYPT_ALPHABET = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
HEX_ALPHABET = b"0123456789abcdef"
# Public IPv4 first octets of French access providers' ranges (Orange, Free, SFR, Bouygues).
IPV4_FIRST_OCTETS = np.array([2, 5, 31, 37, 46, 77, 78, 79, 80, 81, 82, 83, 86, 88, 90, 91,
                              92, 109, 176, 178, 185, 188, 193, 212, 213, 217])


def password_hashes(rows: Rows) -> pa.Array:
    n, gen = len(rows), rows.gen
    bcrypt = pc.binary_join_element_wise(
        "$2b$12$", nt.random_text(gen, n, 53, BCRYPT_ALPHABET), "")
    argon2 = pc.binary_join_element_wise(
        "$argon2id$v=19$m=65536,t=3,p=4$", nt.random_text(gen, n, 22, BASE64_ALPHABET), "$",
        nt.random_text(gen, n, 43, BASE64_ALPHABET), "")
    sha256 = nt.random_text(gen, n, 64, HEX_ALPHABET)
    return nt.mix(gen, [bcrypt, argon2, sha256], [7, 2, 1])


def ip_addresses(rows: Rows) -> pa.Array:
    """Last-login IPs: public IPv4 mostly, some IPv6 in an access provider's /32."""
    n, gen = len(rows), rows.gen
    octets = [pa.array(IPV4_FIRST_OCTETS[gen.integers(0, len(IPV4_FIRST_OCTETS), n)])]
    octets += [pa.array(gen.integers(0, 256, n)) for _ in range(2)]
    octets += [pa.array(gen.integers(1, 255, n))]
    ipv4 = pc.binary_join_element_wise(*[pc.cast(o, pa.string()) for o in octets], ".")
    groups = [nt.random_text(gen, n, 4, HEX_ALPHABET) for _ in range(6)]
    ipv6 = pc.binary_join_element_wise("2a01", "cb1c", *groups, ":")
    return nt.mix(gen, [ipv4, ipv6], [9, 1])


def usernames(rows: Rows) -> pa.Array:
    """The email's local part, or 'prenom.nom' plus digits when there is no email."""
    local = pc.list_element(pc.split_pattern(rows.p("email"), "@"), 0)
    names = pc.utf8_lower(nt.strip_accents(pc.binary_join_element_wise(
        rows.p("first_name"), rows.p("last_name"), ".")))
    names = pc.replace_substring_regex(names, r"[^a-z.]", "")
    digits = pc.cast(pa.array(rows.gen.integers(1, 100, len(rows))), pa.string())
    return pc.coalesce(local, pc.binary_join_element_wise(names, digits, ""))


def account_times(rows: Rows) -> tuple[pa.Array, pa.Array]:
    """Creation (2015-2025) and last login (after creation; never for some accounts)."""
    n, gen = len(rows), rows.gen
    start, end = 1420070400, 1751241600                 # 2015-01-01 .. 2025-06-30 UTC
    created = gen.integers(start, end, n)
    last = created + (gen.random(n) * (end - created)).astype(np.int64)
    never = gen.random(n) < 0.12
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    created_text = nt.timestamp_text(pa.array(created, pa.timestamp("s")), fmt)
    last_text = nt.blank_where(nt.timestamp_text(pa.array(last, pa.timestamp("s")), fmt), never)
    return created_text, last_text


def created_at(rows: Rows) -> pa.Array:
    return rows.shared("account_times", account_times)[0]


def last_login_at(rows: Rows) -> pa.Array:
    return rows.shared("account_times", account_times)[1]


def optional_nir(rows: Rows) -> pa.Array:
    """The NIR, asked at sign-up but optional: about 55 % of accounts filled it in."""
    return nt.blank_where(rows.p("nir"), rows.gen.random(len(rows)) >= 0.55)


def account_ids(rows: Rows) -> pa.Array:
    """Auto-increment ids starting at 1001 (the first thousand were test accounts)."""
    return pc.cast(pa.array(rows.positions() + 1001), pa.string())


WEBAPP_COLUMNS = [
    Col("id", "record_id", account_ids),
    Col("username", "username", usernames),
    Col("email", "email", lambda r: r.p("email")),
    Col("password_hash", "password_hash", password_hashes),
    Col("first_name", "first_name", lambda r: r.p("first_name")),
    Col("last_name", "last_name", lambda r: r.p("last_name")),
    Col("gender", "sex", lambda r: pc.if_else(pc.equal(r.p("sex"), "F"), "female", "male")),
    Col("birth_date", "date_of_birth", birth_date("yyyy-mm-dd")),
    Col("phone_number", "phone", lambda r: nt.phone_text(r.p("phone"), "e164")),
    Col("address_line1", "address", lambda r: r.p("address")),
    Col("zip_code", "postcode", lambda r: r.p("postcode")),
    Col("city", "city", lambda r: r.p("city")),
    Col("social_security_number", "nir", optional_nir),
    Col("ip_address", "ip_address", ip_addresses),
    Col("created_at", "event_date", created_at),
    Col("last_login_at", "event_date", last_login_at),
]


@shape("webapp-csv", "telehealth web app users table: ',' UTF-8, snake_case headers, "
       "password hashes, IPs, one row per account")
def webapp_csv(pop, out_dir: Path, rng: random.Random) -> dict:
    truth = truth_builder(pop, "webapp-csv", "csv")
    table = declare(truth, "users", WEBAPP_COLUMNS)
    path = out_dir / "users.csv"
    batches = render(WEBAPP_COLUMNS, patient_batches(pop, nt.numpy_rng(rng)), table)
    write_delimited(path, string_schema(WEBAPP_COLUMNS), batches, delimiter=",")
    truth.add_file(path, out_dir)
    return truth.build()
