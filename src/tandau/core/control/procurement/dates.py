"""RFC 3339 timestamps as Cardinal reads them (chrono's ``parse_from_rfc3339``) and whole days between two.

>>> days_between("2000-01-01T18:00:00Z", "2000-01-16T17:59:59Z")
14
>>> days_between("2020-08-03T18:00:00-05:00", "2020-08-04T18:00:00-05:00")
1
>>> days_between("invalid", "2000-01-01T00:00:00Z") is None
True
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["days_between", "instant_ns"]

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))\Z"
)
_NS = 1_000_000_000


def instant_ns(text: str) -> int | None:
    """Nanoseconds since 0001-01-01 UTC, or ``None`` if ``text`` is not an RFC 3339 date-time."""
    m = _RFC3339.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    if hour > 23 or minute > 59 or second > 60:
        return None
    try:
        ordinal = date(year, month, day).toordinal()
    except ValueError:
        return None
    fraction = m.group(7)
    nanos = int(fraction[:9].ljust(9, "0")) if fraction else 0
    offset = 0
    if m.group(8) is None:
        off_h, off_m = int(m.group(10)), int(m.group(11))
        if off_h > 23 or off_m > 59:
            return None
        offset = (off_h * 3600 + off_m * 60) * (1 if m.group(9) == "+" else -1)
    seconds = ordinal * 86_400 + hour * 3600 + minute * 60 + second - offset
    return seconds * _NS + nanos


_CACHE: dict[str, int | None] = {}
_CACHE_SIZE = 1 << 16


def _cached(text: str) -> int | None:
    try:
        return _CACHE[text]
    except KeyError:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        value = _CACHE[text] = instant_ns(text)
        return value


def days_between(start: str, end: str) -> int | None:
    """Whole days from ``start`` to ``end``, truncated toward zero (chrono's ``num_days``); ``None`` if either
    is not an RFC 3339 date-time (parsed timestamps are memoised: publishers repeat them)."""
    a = _cached(start)
    if a is None:
        return None
    b = _cached(end)
    if b is None:
        return None
    delta = b - a
    magnitude = abs(delta) // _NS // 86_400
    return magnitude if delta >= 0 else -magnitude
