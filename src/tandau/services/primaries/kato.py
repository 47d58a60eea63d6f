"""Territories by KATO code (Classifier of Administrative-Territorial Objects of Kazakhstan, NK RK 11-2009).

A KATO code has 9 digits ``AB CD EF HHH``: region (oblast or city of republican significance), district or
city of regional significance, rural district or town, settlement. Trailing zero groups mean "the whole
unit", so a territory contains every code that starts with its significant prefix. ``None`` stands for the
whole country (the national list, central office).
"""

from __future__ import annotations

from tandau.errors import InputError


def check_kato(code: str, *, file: str | None = None, row: int | None = None, column: str | None = None) -> str:
    """``code`` stripped, if it is 9 digits; otherwise :class:`InputError` naming file, row and column.

    >>> check_kato(" 751110000 ")
    '751110000'
    """
    text = code.strip()
    if len(text) != 9 or not text.isdigit():
        raise InputError(f"a KATO code has 9 digits, got {code!r}", file=file, row=row, column=column)
    return text


def kato_prefix(code: str) -> str:
    """The significant prefix of a KATO code: the part that every territory inside it shares.

    >>> kato_prefix("750000000"), kato_prefix("751110000"), kato_prefix("351833100")
    ('75', '751110', '351833100')
    """
    for cut in (2, 4, 6):
        if code[cut:].strip("0") == "":
            return code[:cut]
    return code


def covers(scope: str | None, target: str | None) -> bool:
    """Whether territory ``scope`` contains ``target`` (``None`` = the whole country).

    >>> covers(None, "751110000"), covers("750000000", "751110000"), covers("710000000", "751110000")
    (True, True, False)
    >>> covers("750000000", None)
    False
    """
    if scope is None:
        return True
    if target is None:
        return False
    return target.startswith(kato_prefix(scope))
