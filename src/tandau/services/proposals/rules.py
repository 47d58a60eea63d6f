"""The vocabulary of proposals: age groups, channels, statuses and reasons, limits, and the territory check.

Age groups (issue 13): under 18, 18-28, 29-34, 35-59, 60 and over. Under 29 is the law's youth (Law "On State
Youth Policy", art. 1: 14-28 years), under 35 the party's (its youth wing and list quota); the dashboards count
under-35s apart because they feed the youth programme.

>>> age_group_of_years(28), age_group_of_years(29), age_group_of_years(60)
('18_28', '29_34', '60_plus')
>>> is_valid_kato("751210000"), is_valid_kato("751299999")
(True, False)
"""

from __future__ import annotations

from functools import cache

from tandau.core.territory_kato import kato_code
from tandau.errors import InputError
from tandau.io.territory import load_kz

AGE_GROUPS = ("under_18", "18_28", "29_34", "35_59", "60_plus")
UNDER_29 = frozenset({"under_18", "18_28"})
UNDER_35 = frozenset({"under_18", "18_28", "29_34"})
CHANNELS = ("web", "office", "forum", "phone", "import")
STATUSES = ("new", "hidden", "merged", "answered", "not_taken")
HIDE_REASONS = ("abuse", "personal_data", "spam", "off_topic")
LANGS = ("kk", "ru", "mixed", "unknown")
MIN_TEXT, MAX_TEXT = 10, 2000
MAX_CONTACT = 200
MAX_REASON = 2000
MAX_COMMITMENT = 100
# a label people write for each age group in an imported file, besides the code itself
_AGE_LABELS = {"<18": "under_18", "under 18": "under_18", "0-17": "under_18", "18-28": "18_28", "29-34": "29_34",
               "35-59": "35_59", "60+": "60_plus", "60 and over": "60_plus"}


def age_group_of_years(years: int) -> str:
    """The age group of a whole number of years."""
    if years < 18:
        return "under_18"
    if years < 29:
        return "18_28"
    if years < 35:
        return "29_34"
    if years < 60:
        return "35_59"
    return "60_plus"


def age_group_of(text: str) -> str | None:
    """An age group from a code (``18_28``), a label (``18-28``, ``60+``) or whole years (``27``); None if none.

    >>> age_group_of("18-28"), age_group_of("41"), age_group_of("60+"), age_group_of("old")
    ('18_28', '35_59', '60_plus', None)
    """
    value = text.strip().lower().replace("–", "-")
    if value in AGE_GROUPS:
        return value
    if value in _AGE_LABELS:
        return _AGE_LABELS[value]
    if value.isdigit() and 0 < int(value) < 130:
        return age_group_of_years(int(value))
    return None


@cache
def territory_codes() -> dict[str, tuple[str, str]]:
    """Every 9-digit KATO code of Kazakhstan's territory (2023 layout): code -> (unit id, kind)."""
    territory = load_kz("2023")
    return {kato_code(u.id, u.kind): (u.id, u.kind) for u in territory.units if u.kind != "country"}


def is_valid_kato(code: str) -> bool:
    """Whether ``code`` is a region, city or district of the territory."""
    return code in territory_codes()


def check_territory(code: str | None, *, parameter: str = "territory") -> str:
    """``code`` stripped when it names a unit of the territory; :class:`InputError` otherwise."""
    text = (code or "").strip()
    if not is_valid_kato(text):
        raise InputError(f"a territory is the 9-digit KATO code of a region, city or district, got {text!r}",
                         parameter=parameter)
    return text


def check_choice(value: str | None, valid: tuple[str, ...], parameter: str) -> str:
    """``value`` if it is one of ``valid``; :class:`InputError` listing them otherwise."""
    if value not in valid:
        raise InputError(f"unknown {parameter} {value!r}; valid: {', '.join(valid)}", parameter=parameter)
    return value


def region_of(kato: str) -> str:
    """The 9-digit code of the region (or city of republican significance) containing ``kato``."""
    return kato[:2] + "0000000"
