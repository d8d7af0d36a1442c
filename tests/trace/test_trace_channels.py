"""Mark channels: two spellings, one meaning; unreadable forms are not observations."""

from __future__ import annotations

import pytest

from vigie.trace.channels import CHANNELS


@pytest.mark.parametrize("channel, value, zero, one", [
    ("phone", "06 12 34 56 78", "0612345678", "06 12 34 56 78"),
    ("phone", "0145678901", "0145678901", "01 45 67 89 01"),
    ("address", "12 rue des Lilas", "12 rue des Lilas", "12 r. des Lilas"),
    ("address", "3 bis Avenue Jean Jaurès", "3 bis avenue Jean Jaurès", "3 bis av. Jean Jaurès"),
    ("address", "7 bd Voltaire", "7 boulevard Voltaire", "7 bd Voltaire"),
    ("email", "Jean.Dupont@Orange.fr", "jean.dupont@orange.fr", "Jean.dupont@orange.fr"),
])
def test_variants_read_back_and_mean_the_same(channel, value, zero, one):
    marks = CHANNELS[channel]
    assert marks.write(value, 0) == zero and marks.write(value, 1) == one
    assert marks.read(zero) == 0 and marks.read(one) == 1
    assert marks.normalise(zero) == marks.normalise(one) == marks.normalise(value)


@pytest.mark.parametrize("channel, value", [
    ("phone", "+33612345678"), ("phone", "06.12.34.56.78"), ("address", "Lieu-dit Les Bois"),
    ("address", "RUE DES LILAS"), ("email", "JEAN.DUPONT@ORANGE.FR"), ("email", "1jean@x.fr"),
])
def test_other_layouts_are_not_observations(channel, value):
    assert CHANNELS[channel].read(value) is None


def test_values_without_two_spellings_are_left_alone():
    assert CHANNELS["address"].write("Lieu-dit Les Bois", 1) is None
    assert CHANNELS["phone"].write("+44 20 7946 0958", 1) is None
    assert CHANNELS["email"].write("not an address", 1) is None


def test_only_contact_layout_channels_exist():
    """Identity traits and clinical values are never marking channels."""
    assert set(CHANNELS) == {"phone", "address", "email"}
