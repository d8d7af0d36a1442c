"""SMS length rules: GSM 03.38 characters and the concatenated-segment count.

A message in the GSM 7-bit alphabet fits 160 characters, or 153 per segment when split;
one character outside it switches the whole SMS to UCS-2 (70 / 67). We keep messages in
GSM-7 by replacing other characters with their unaccented form (hand-written: the
alphabet table is 128 characters and no small library does just this).
"""

from __future__ import annotations

import unicodedata

GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
           "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€")
MAX_SEGMENTS = 2


def to_gsm7(text: str) -> str:
    """Replace every character outside GSM-7 by its unaccented form, or drop it."""
    out = []
    for char in text.replace("’", "'").replace("°", "o"):
        if char in GSM7 or char in GSM7_EXTENDED:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(base if all(c in GSM7 for c in base) else "")
    return "".join(out)


def septets(text: str) -> int:
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def segments(text: str) -> int:
    """Number of SMS segments a GSM-7 text takes."""
    n = septets(text)
    return 1 if n <= 160 else -(-n // 153)
