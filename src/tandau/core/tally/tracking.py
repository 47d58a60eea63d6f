"""Ballot tracking codes: 16 Crockford base32 characters in 4 groups of 4 (80 random bits), e.g. 7K2M-9QXD-P4RT-HB3W.

Crockford's alphabet (https://www.crockford.com/base32.html) leaves out I, L, O and U. Codes are printed and
compared in upper case; ``is_tracking_code`` accepts exactly the canonical form.

>>> import random
>>> code = new_tracking_code(random.Random(7))
>>> is_tracking_code(code), len(code)
(True, 19)
>>> is_tracking_code("7K2M-9QXD-P4RT-HB3W"), is_tracking_code("7K2M-9QXD-P4RT-HB3U")
(True, False)
"""

from __future__ import annotations

import random
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PATTERN = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}")


def is_tracking_code(s: object) -> bool:
    """True when ``s`` is a canonical tracking code (upper case, hyphens after every 4 characters)."""
    return isinstance(s, str) and _PATTERN.fullmatch(s) is not None


def new_tracking_code(rng: random.Random) -> str:
    """A fresh code from 80 bits of ``rng`` (inject ``random.SystemRandom()`` in production)."""
    bits = rng.getrandbits(80)
    chars = [ALPHABET[(bits >> (5 * i)) & 31] for i in range(15, -1, -1)]
    return "-".join("".join(chars[i:i + 4]) for i in range(0, 16, 4))
