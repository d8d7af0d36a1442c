"""IP addresses (v4 and v6), validated by the standard library's `ipaddress`."""

from __future__ import annotations

import ipaddress
import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS

_V4 = r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"

_V6_SHAPE = r"(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}"


class IpAddress(Recogniser):
    kind = "ip_address"
    label = "IP addresses"
    header_words = HEADER_WORDS["ip_address"]
    context_words = ("ip", "adresse ip", "connexion")
    pattern = re.compile(r"[0-9A-Fa-f:.]{3,45}(?:%[0-9A-Za-z]+)?")
    confidence = 0.9
    # IPv6 by shape in SQL (DuckDB's INET type lives in an extension, not always installed).
    sql_valid = (f"(regexp_full_match(trim({{col}}), '{_V4}') OR "
                 f"regexp_full_match(trim({{col}}), '{_V6_SHAPE}'))")

    def validate(self, value: str) -> bool:
        if "." in value and ":" not in value and value.count(".") != 3:
            return False
        ipaddress.ip_address(value.split("%")[0])
        return True

    def normalise(self, value: str) -> str:
        return str(ipaddress.ip_address(value.split("%")[0]))
