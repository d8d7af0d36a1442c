"""Column classifier: synthetic columns under French, English and no headers."""

import hashlib

import pytest

from vigie.detect.base import render_sql
from vigie.detect.registry import RECOGNISERS, ColumnVerdict, classify_column, recogniser_for
from vigie.kinds import KINDS

N = 300


def column(builder, n=N):
    return [builder() for _ in range(n)]


CASES = {
    # kind: (builder name on the `columns` fixture, French abbreviated, English header)
    "nir": ("nir", "NSS", "ssn"),
    "phone": ("phone", "tel", "phone"),
    "email": ("email", "courriel", "email"),
    "iban": ("iban", "rib", "iban"),
    "payment_card": ("card", "num_carte", "card_number"),
    "first_name": ("first_name", "prenom", "firstName"),
    "last_name": ("last_name", "nom", "last_name"),
    "city": ("city", "ville", "city"),
    "postcode": ("postcode", "cp", "zip"),
    "address": ("address", "adr", "address"),
    "date_of_birth": ("birth_date", "ddn", "dob"),
    "event_date": ("visit_date", "date_prelev", "created_at"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
@pytest.mark.parametrize("which", ["french", "english", "none"])
def test_kind_under_every_header(columns, kind, which):
    builder, french, english = CASES[kind]
    name = {"french": french, "english": english, "none": "column_4"}[which]
    verdict = classify_column(name, column(getattr(columns, builder)))
    assert verdict.kind == kind, verdict
    assert 0.5 < verdict.confidence <= 0.99
    if which != "none":
        assert verdict.confidence >= classify_column(None, column(getattr(columns, builder))).confidence


def test_header_only_kinds(columns):
    rng = columns.rng
    assert classify_column("nom_jf", column(columns.last_name)).kind == "birth_name"
    assert classify_column("sexe", column(lambda: rng.choice("12"))).kind == "sex"
    assert classify_column("age", column(lambda: str(rng.randint(0, 99)))).kind == "age"
    assert classify_column("mdp", column(lambda: columns.random_digits(4) + "Az!x")).kind == "password"
    assert classify_column("login", column(lambda: "user" + columns.random_digits(5))).kind == "username"
    assert classify_column("num_adh", column(lambda: columns.random_digits(9))).kind == "insurance_number"
    assert classify_column("num_cni", column(lambda: columns.random_digits(12))).kind == "identity_document"
    assert classify_column("lieu_naissance", column(columns.city)).kind == "place_of_birth"
    assert classify_column("medecin_traitant", column(columns.last_name)).kind == "physician"
    # without the header, the same values are something else or nothing
    assert classify_column(None, column(lambda: str(rng.randint(0, 99)))).kind == "none"
    assert classify_column(None, column(columns.last_name)).kind == "last_name"


def test_value_only_kinds(columns):
    rng = columns.rng
    assert classify_column(None, column(lambda: rng.choice(["Homme", "Femme"]))).kind == "sex"
    assert classify_column(None, column(lambda: rng.choice(["O+", "A Rh-", "AB nég", "B positif"]))).kind == "blood_group"
    assert classify_column(None, column(lambda: f"{columns.first_name()} {columns.last_name()}")).kind == "full_name"
    assert classify_column(None, column(lambda: "Dr " + columns.last_name().title())).kind == "physician"
    assert classify_column(None, column(lambda: ".".join(str(rng.randint(1, 254)) for _ in range(4)))).kind == "ip_address"
    bcrypt_like = column(lambda: "$2b$12$" + "".join(rng.choice("abcdefgh./0123") for _ in range(53)))
    assert classify_column(None, bcrypt_like).kind == "password_hash"
    assert classify_column(None, column(lambda: rng.choice(["MGEN", "Harmonie Mutuelle", "AXA", "Alan"]))).kind == "insurer"


def test_random_15_digit_references_are_not_nir(columns):
    refs = column(lambda: columns.random_digits(15), n=2000)
    for name in (None, "reference", "NSS"):
        verdict = classify_column(name, refs)
        assert verdict.kind != "nir", (name, verdict)
        assert "nir" not in dict(verdict.runners_up)


def test_header_never_beats_contradicting_values(columns):
    verdict = classify_column("NSS", column(columns.phone))
    assert verdict.kind == "phone"
    verdict = classify_column("email", column(columns.city))
    assert verdict.kind == "city"


def test_five_digit_product_codes_are_not_postcodes(columns):
    rng = columns.rng
    codes = column(lambda: f"{rng.randint(10000, 99999)}")
    for name in (None, "code_produit", "ref"):
        assert classify_column(name, codes).kind != "postcode"
    repeated = [f"{c}" for c in range(20000, 20030)] * 10      # a small catalogue, repeated
    assert classify_column(None, repeated).kind != "postcode"


def test_compass_header_is_not_a_password(columns):
    values = column(lambda: columns.random_digits(3) + "N" + columns.random_digits(2))
    assert classify_column("compass", values).kind != "password"
    assert classify_column("password", values).kind == "password"


def test_visit_dates_versus_birth_dates(columns):
    visits = column(columns.visit_date)
    births = column(columns.birth_date)
    assert classify_column("date", visits).kind == "event_date"
    assert classify_column("date", births).kind == "date_of_birth"
    assert classify_column(None, visits).kind == "event_date"
    assert classify_column(None, births).kind == "date_of_birth"


def test_non_personal_columns(columns):
    rng = columns.rng
    assert classify_column("id", [str(i) for i in range(1, N + 1)]).kind == "record_id"
    assert classify_column(None, [f"P{i:07d}" for i in range(N)]).kind == "record_id"
    assert classify_column("montant", column(lambda: f"{rng.random() * 100:.2f}")).kind == "none"
    assert classify_column("statut", column(lambda: rng.choice(["actif", "inactif"]))).kind == "none"
    assert classify_column(None, column(lambda: rng.choice(["OUI", "NON"]))).kind == "none"
    hexes = column(lambda: hashlib.md5(columns.random_digits(6).encode()).hexdigest())
    verdict = classify_column(None, hexes)
    assert verdict.kind == "password_hash" and verdict.confidence <= 0.75


def test_free_text_column(columns):
    rng = columns.rng
    notes = column(lambda: rng.choice(["Livraison prévue la semaine prochaine au dépôt central",
                                       "Commande annulée par le service achats faute de budget",
                                       "Relancer le fournisseur pour le devis des cartons"])
                   + f" ref {rng.randint(1, 9999)}")
    verdict = classify_column("commentaire", notes)
    assert verdict.free_text and verdict.kind == "none"


def test_empty_and_hostile_columns():
    assert classify_column("NSS", [None, "", "  "]).kind == "nir"
    assert classify_column("NSS", [None, "", "  "]).confidence < 0.5
    assert classify_column(None, []).kind == "none"
    hostile = ["A" * 1_000_000, "\x00\x01", "'; DROP TABLE x; --", "<script>", "9" * 5000] * 40
    verdict = classify_column("x", hostile)
    assert verdict.kind in KINDS


def test_evidence_never_carries_values(columns):
    values = column(columns.nir) + column(columns.email)
    verdict = classify_column("NSS", values)
    text = " ".join(verdict.evidence)
    assert not any(v in text for v in values)


def test_verdict_exposes_sql_for_full_counts(columns):
    verdict = classify_column("NSS", column(columns.nir))
    assert isinstance(verdict, ColumnVerdict) and verdict.category == "national_id"
    assert "{col}" in verdict.valid_sql and render_sql(verdict.valid_sql, '"NSS"').count('"NSS"') >= 1


def test_registry_has_one_recogniser_per_kind():
    kinds = [rec.kind for rec in RECOGNISERS]
    assert len(kinds) == len(set(kinds))
    assert recogniser_for("nir").normalise("1 84 05 75 123 456 78") == "184057512345678"
    assert recogniser_for("no such kind") is None


def test_json_array_columns_are_judged_item_by_item(columns):
    cells = ["|".join(columns.visit_date() for _ in range(columns.rng.randint(1, 4))) for _ in range(N)]
    assert classify_column("appointments[].date", cells).kind == "event_date"
    phones = ["|".join(columns.phone() for _ in range(2)) for _ in range(N)]
    assert classify_column("contacts[].phone", phones).kind == "phone"


def test_spreadsheet_floats_and_typed_values(columns):
    nirs = [float(columns.nir(dept="75")) for _ in range(100)]   # digits only: a float cell
    assert classify_column("NSS", nirs).kind == "nir"
    assert classify_column("age", list(range(1, 90))).kind == "age"


def test_count_valid_from_distinct_value_counts():
    from vigie.detect.registry import count_valid

    pairs = [("Paris", 10), ("Atlantis", 3), (None, 5), ("LYON 03", 2)]
    assert count_valid("city", pairs) == 12
    assert count_valid("no such kind", pairs) == 0


def test_reference_data_loads_ahead_of_the_first_classification():
    """What the assess engine loads in a thread while the leak is read: afterwards the
    lists are cached, so the first classification does not load them again."""
    import subprocess
    import sys

    code = ("from vigie.detect.registry import load_reference_data\n"
            "from vigie.detect.lexicons import mention_lexicon\n"
            "from vigie.refdata.communes import city_name_set\n"
            "from vigie.refdata.names import first_name_set, surname_set\n"
            "loaders = (mention_lexicon, city_name_set, first_name_set, surname_set)\n"
            "assert all(f.cache_info().currsize == 0 for f in loaders)\n"
            "load_reference_data()\n"
            "assert all(f.cache_info().currsize == 1 for f in loaders)\n")
    subprocess.run([sys.executable, "-c", code], check=True)   # a fresh process: empty caches
