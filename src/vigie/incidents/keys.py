"""The master key and the keyed hashes (HMAC-SHA256) that stand for persons in the register.

The register never stores who was affected in clear: a person is HMAC(key, registry id).
The key comes from VIGIE_MASTER_KEY (hex) or VIGIE_HOME/master.key, created 0600 with
32 random bytes on first use. Without the key, the stored hashes cannot be tested against
a list of candidate identifiers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from vigie.errors import UsageError
from vigie.paths import vigie_home, write_private

KEY_FILE = "master.key"


def master_key() -> bytes:
    """The 32-byte master key (env first, then the key file, created if missing)."""
    from_env = os.environ.get("VIGIE_MASTER_KEY")
    if from_env:
        try:
            key = bytes.fromhex(from_env.strip())
        except ValueError:
            raise UsageError("VIGIE_MASTER_KEY must be hexadecimal") from None
        if len(key) < 16:
            raise UsageError("VIGIE_MASTER_KEY must hold at least 16 bytes")
        return key
    path = vigie_home() / KEY_FILE
    if not path.exists():
        write_private(path, secrets.token_hex(32) + "\n")
    try:
        return bytes.fromhex(path.read_text().strip())
    except ValueError:
        raise UsageError(f"{path}: the master key file is not hexadecimal") from None


def person_key(key: bytes, registry_id: str) -> str:
    """The keyed hash standing for one registry person (identifiers are trimmed first)."""
    return hmac.new(key, registry_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()
