"""Masked examples: recognisable shape, never the value."""

import pytest

from vigie.mask import mask


@pytest.mark.parametrize("kind, value, masked", [
    ("nir", "2 84 05 75 123 456 37", "2 84 ** ** *** *** 37"),
    ("nir", "284052A12345637", "2 84 ** ** *** *** 37"),
    ("nir", "1840575123456", "1 84 ** ** *** ***"),
    ("phone", "06 12 34 56 78", "06 ** ** ** 78"),
    ("phone", "+33 6 12 34 56 78", "06 ** ** ** 78"),
    ("email", "jean.dupont@gmail.fr", "j***@g***.fr"),
    ("last_name", "DUPONT", "D*****"),
    ("full_name", "Marie DUPONT", "M**** D*****"),
    ("date_of_birth", "02/05/1984", "19**-**-**"),
    ("event_date", "2024-03-05", "20**-**-**"),
    ("iban", "FR76 3000 6000 0112 3456 7890 189", "FR76 **** ... 0189"),
    ("payment_card", "4970 1012 3456 7890", "**** **** **** 7890"),
    ("postcode", "75014", "75***"),
    ("ip_address", "192.168.1.20", "192.*.*.*"),
    ("password", "hunter2", "********"),
    ("password_hash", "$2b$12$abcdefghijklmnopqrstuv", "********"),
    ("sex", "F", "*"),
    ("address", "12 rue des Lilas", "** r** d** L****"),
])
def test_masks(kind, value, masked):
    assert mask(kind, value) == masked


@pytest.mark.parametrize("kind, value", [
    ("nir", "2 84 05 75 123 456 37"), ("phone", "0612345678"), ("email", "jean.dupont@gmail.fr"),
    ("first_name", "Marie"), ("city", "Lyon"), ("insurance_number", "ADH0012345"),
    ("record_id", "P0000042"), ("none", "quelque chose de long et de libre, écrit à la main"),
    ("nir", "not a nir at all"), ("email", "no-at-sign"), ("date_of_birth", "hier"),
])
def test_mask_never_returns_the_value_or_its_middle(kind, value):
    masked = mask(kind, value)
    assert masked != value
    middle = value[2:-2] if len(value) > 6 else None
    if middle:
        assert middle not in masked


def test_mask_of_empty_and_odd_input():
    assert mask("nir", "") == ""
    assert mask("phone", "  ") == ""
    assert mask("unknown_kind", "abcdef") == "a*****"
    assert len(mask("none", "x" * 10_000)) < 40
