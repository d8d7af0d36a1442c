"""Per-export keys and the keyed bits they give.

The master key (VIGIE_MASTER_KEY or VIGIE_HOME/master.key, see vigie.incidents.keys) never
leaves the machine and never enters a database. Each export gets its own key, derived with
HKDF-SHA256 from the master key and the export id, so that proving one export's marks in
court discloses that export's key only (every other export stays secret).
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vigie.incidents.keys import master_key, person_key

__all__ = ["export_key", "key_id", "mark_bit", "master_key", "person_key"]

HKDF_SALT = b"vigie-export-v1"


def export_key(master: bytes, export_id: str) -> bytes:
    """K_e = HKDF-SHA256(master, salt 'vigie-export-v1', info export id), 32 bytes."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT,
                info=export_id.encode("utf-8")).derive(master)


def key_id(key: bytes) -> str:
    """A public name for a key (first 16 hex of its SHA-256): it identifies, never reveals."""
    return hashlib.sha256(key).hexdigest()[:16]


def mark_bit(key: bytes, person: str, channel: str) -> int:
    """b_e(r, c) = HMAC-SHA256(K_e, person key ‖ '|' ‖ channel), last bit.

    `person` is the virtual key of the row (the person key, an HMAC of the registry id), so
    the bit survives re-sorting, dropped ids and format changes once the row is re-identified.
    """
    digest = hmac.new(key, f"{person}|{channel}".encode("utf-8"), hashlib.sha256).digest()
    return digest[-1] & 1


def keyed_token(key: bytes, label: str, length: int = 12) -> str:
    """A pseudo-random lower-case base-32 token keyed on `label` (beacon local parts)."""
    digest = hmac.new(key, label.encode("utf-8"), hashlib.sha256).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    number = int.from_bytes(digest, "big")
    return "".join(alphabet[(number >> (5 * i)) & 31] for i in range(length))
