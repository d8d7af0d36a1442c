"""Health cover and bank details: complementary insurer, member number, IBAN.

Bank codes are real (data/banks.csv), every account number is random, and the RIB key is
computed so the IBAN is valid: with a correct RIB key a French IBAN's check digits are
always 76, which is why the prefix is constant.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth.arrays import concat, pick, random_digits, take, zero_padded
from vigie.synth.vocab import read_weighted_csv

INSURER_ABSENT_SHARE = 0.10
IBAN_SHARE = 0.30
NULL_STRING = pa.scalar(None, pa.string())


def insurers(size: int, rng: np.random.Generator) -> tuple[pa.Array, pa.Array]:
    """(insurer name, member number); both null for people without a mutuelle.

    Member numbers are 8 to 10 digits, the length fixed per insurer as each fund has its own.
    """
    vocabulary = read_weighted_csv("insurers.csv", "name")
    chosen = pick(vocabulary.probabilities, size, rng)
    absent = pa.array(rng.random(size) < INSURER_ABSENT_SHARE)
    width = 8 + chosen % 3
    digits = random_digits(size, 10, rng)
    number = digits
    for shorter in (8, 9):
        number = pc.if_else(pa.array(width == shorter),
                            pc.utf8_slice_codeunits(digits, 0, shorter), number)
    return (pc.if_else(absent, NULL_STRING, take(vocabulary.values, chosen)),
            pc.if_else(absent, NULL_STRING, number))


def rib_keys(bank: np.ndarray, branch: np.ndarray, account: np.ndarray) -> np.ndarray:
    """French RIB key for all-digit codes: 97 - (89 bank + 15 branch + 3 account) mod 97."""
    return 97 - (89 * bank + 15 * branch + 3 * account) % 97


def ibans(ages: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Valid FR76 IBANs for about IBAN_SHARE of adults (refund details on file), else null."""
    size = len(ages)
    banks = read_weighted_csv("banks.csv", "code")
    bank_codes = np.array(banks.values.to_pylist(), dtype=np.int64)
    bank = bank_codes[pick(banks.probabilities, size, rng)]
    branch = rng.integers(1, 100000, size, dtype=np.int64)
    account = rng.integers(0, 10 ** 11, size, dtype=np.int64)
    iban = concat("FR76", zero_padded(bank, 5), zero_padded(branch, 5), zero_padded(account, 11),
                  zero_padded(rib_keys(bank, branch, account), 2))
    present = (ages >= 18) & (rng.random(size) < IBAN_SHARE / 0.79)
    return pc.if_else(pa.array(present), iban, NULL_STRING)
