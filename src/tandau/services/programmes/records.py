"""A commitment as a programme version stores it, the councils and wings that have programmes, and the theme
names (issue 13, item 1; docs/programmes.md).

A stored commitment (a *record*) is a JSON object with the columns of PROGRAMME.csv and three more: ``text_en``
(optional English wording), ``funding`` (the budget's source: ``republican``, ``local``, ``other`` or empty) and
``state_programme`` (the state programme it serves: one of the control module's presets ``auyl-el-besigi``,
``clean-water``, ``enbek``, ``housing``, or empty). Numbers are exact decimal text, dates ISO, ``proposals`` a
list of proposal ids, ``deputies`` a list of the ids of the council's deputies responsible for it (absent in
records stored before issue 14: none). :func:`commitment_of` gives the core's
:class:`~tandau.core.programmes.Commitment` for the quality checks and the control target.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, cast

from tandau.core.control.programmes.presets import PROGRAMMES as STATE_PRESETS
from tandau.core.programmes import DIRECTIONS, KINDS, SECTIONS, Commitment, Direction, Kind
from tandau.core.programmes.development import SECTION_NAMES as SECTION_NAMES
from tandau.errors import InputError
from tandau.services.primaries.kato import covers

FIELDS: tuple[str, ...] = (
    "commitment", "section", "territory", "text_kk", "text_ru", "text_en", "indicator", "unit", "baseline",
    "baseline_year", "target", "deadline", "direction", "kind", "budget_kzt", "funding", "funding_source",
    "responsible", "development_indicator", "state_programme", "proposals", "deputies")
FUNDING: tuple[str, ...] = ("republican", "local", "other")
STATE_PROGRAMMES: tuple[str, ...] = tuple(STATE_PRESETS)
NATIONAL = "KZ"
MAX_TEXT = 4000
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

#: the party's wings with a national programme of their own: id -> (title kk, title ru, English name)
WINGS: Mapping[str, tuple[str, str, str]] = {
    "youth": ("Партияның жастар қанатының бағдарламасы", "Программа молодёжного крыла партии",
              "Programme of the party's youth wing"),
}


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose programme: a council (its id) or a wing, its territory (``KZ``: the whole country) and titles."""

    kind: str  # council | wing
    id: str
    kato: str
    title_kk: str
    title_ru: str
    name_en: str


@cache
def _councils() -> dict[str, tuple[str, str, str, str]]:
    from tandau.io.territory import load_kz

    out: dict[str, tuple[str, str, str, str]] = {}
    for c in load_kz("2023").councils:
        if c.level == "national":
            kato = NATIONAL
        elif c.level in ("regional", "republican_city"):
            kato = c.unit_id + "0000000"
        else:
            kato = c.unit_id + "00000"
        out[c.id] = (kato, c.name_in("kk"), c.name_in("ru"), c.name)
    return out


def council_owner(council_id: str, stored: tuple[str, str | None] | None = None) -> Owner:
    """The council ``council_id`` of Kazakhstan's territory (2023 layout), or one stored in the ``councils`` table
    (``stored``: its name and KATO code). Unknown: bad input."""
    found = _councils().get(council_id)
    if found is not None:
        kato, kk, ru, en = found
    elif stored is not None and stored[1]:
        kk = ru = en = stored[0]
        kato = stored[1]
    else:
        raise InputError(f"unknown council {council_id!r}: expected the id of a maslikhat (M-75, M-5910) or "
                         "KZ-MAJILIS", parameter="council")
    return Owner("council", council_id, kato, f"{kk}: сайлауалды бағдарлама", f"{ru}: предвыборная программа", en)


def wing_owner(wing: str) -> Owner:
    """A wing's national programme."""
    if wing not in WINGS:
        raise InputError(f"unknown wing {wing!r}; valid: {', '.join(WINGS)}", parameter="wing")
    kk, ru, en = WINGS[wing]
    return Owner("wing", wing, NATIONAL, kk, ru, en)


def title_in(kind: str, owner: str, title_kk: str, title_ru: str, lang: str) -> str:
    """A programme's title in ``lang`` (English from the council's or wing's English name)."""
    if lang == "kk":
        return title_kk
    if lang == "ru":
        return title_ru
    if kind == "wing" and owner in WINGS:
        return WINGS[owner][2]
    found = _councils().get(owner)
    return f"{found[3]}: election programme" if found else title_ru


def text_in(record: Mapping[str, Any], lang: str) -> str:
    """A commitment's wording in ``lang``, else in the other languages (Russian, Kazakh, English)."""
    order = {"kk": ("kk", "ru", "en"), "ru": ("ru", "kk", "en"), "en": ("en", "ru", "kk")}.get(lang, ("ru", "kk"))
    return next((str(record.get(f"text_{x}")) for x in order if record.get(f"text_{x}")), "")


def council_ids() -> tuple[str, ...]:
    """Every council of the 2023 territory: the Majilis first, then the maslikhats."""
    return tuple(_councils())


def scope(kato: str) -> str | None:
    """A programme's territory as the access policy reads it (``None``: the whole country)."""
    return None if kato == NATIONAL else kato


def territory_ok(programme_kato: str, territory: str) -> bool:
    """Whether a commitment's territory lies in the programme's."""
    return programme_kato == NATIONAL or covers(programme_kato, territory)


# ---- records ------------------------------------------------------------------------------------------------------

def _dec(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def guess_funding(text: str) -> str:
    """The source of a PROGRAMME.csv ``funding_source`` text: republican, local or other (empty: empty)."""
    low = text.casefold()
    if not low.strip():
        return ""
    if any(w in low for w in ("республикан", "republican")):
        return "republican"
    if any(w in low for w in ("местн", "local", "жергілікті", "облыс", "област")):
        return "local"
    return "other"


def record_of(c: Commitment, *, text_en: str = "", funding: str | None = None,
              state_programme: str = "") -> dict[str, Any]:
    """The stored form of a core commitment."""
    return {"commitment": c.commitment, "section": c.section, "territory": c.territory, "text_kk": c.text_kk,
            "text_ru": c.text_ru, "text_en": text_en, "indicator": c.indicator, "unit": c.unit,
            "baseline": _dec(c.baseline), "baseline_year": c.baseline_year, "target": _dec(c.target),
            "deadline": None if c.deadline is None else c.deadline.isoformat(), "direction": c.direction,
            "kind": c.kind, "budget_kzt": _dec(c.budget_kzt),
            "funding": guess_funding(c.funding_source) if funding is None else funding,
            "funding_source": c.funding_source, "responsible": c.responsible,
            "development_indicator": c.development_indicator, "state_programme": state_programme,
            "proposals": list(c.proposals), "deputies": list(c.deputies)}


def records_from_upload(filename: str, data: bytes, faction: Collection[str] | None = None
                        ) -> list[dict[str, Any]]:
    """The commitments of an uploaded PROGRAMME.csv or .xlsx, read with the file reader (bad input names the row
    and column; ``faction``: the council's deputies the ``deputies`` column is checked against), as records."""
    import tempfile
    from pathlib import Path

    from tandau.io.programme_csv import read_programme

    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    with tempfile.TemporaryDirectory(prefix="tandau-programme-") as folder:
        path = Path(folder) / f"PROGRAMME{suffix}"
        path.write_bytes(data)
        return [record_of(c) for c in read_programme(path, faction).commitments]


def _num(value: object) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def commitment_of(record: Mapping[str, Any]) -> Commitment:
    """The core commitment of a stored record (for the checks and the control target)."""
    deadline = record.get("deadline")
    year = record.get("baseline_year")
    return Commitment(
        str(record["commitment"]), str(record.get("territory") or ""), str(record.get("section") or "other"),
        str(record.get("text_kk") or ""), str(record.get("text_ru") or ""), str(record.get("indicator") or ""),
        str(record.get("unit") or ""), _num(record.get("baseline")), None if year in (None, "") else int(year),
        _num(record.get("target")), date.fromisoformat(deadline) if deadline else None,
        cast(Direction, record.get("direction") or "increase"), _num(record.get("budget_kzt")),
        str(record.get("funding_source") or ""), str(record.get("responsible") or ""),
        str(record.get("development_indicator") or ""), tuple(record.get("proposals") or ()),
        cast(Kind, record.get("kind") or "cumulative"), tuple(record.get("deputies") or ()))


def _text(form: Mapping[str, Any], name: str, limit: int = 200) -> str:
    value = str(form.get(name) or "").strip()
    if len(value) > limit:
        raise InputError(f"{name} is longer than {limit} characters", parameter=name)
    return value


def _decimal(form: Mapping[str, Any], name: str) -> str | None:
    text = _text(form, name, 40).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{name}: expected a number such as 1500 or 12.5, got {text!r}", parameter=name) from None
    if not value.is_finite():
        raise InputError(f"{name}: expected a finite number, got {text!r}", parameter=name)
    return _dec(value)


def _choice(form: Mapping[str, Any], name: str, valid: tuple[str, ...], default: str = "") -> str:
    value = _text(form, name) or default
    if value and value not in valid:
        raise InputError(f"unknown {name} {value!r}; valid: {', '.join(valid)}", parameter=name)
    return value


def parse_record(form: Mapping[str, Any], programme_kato: str) -> dict[str, Any]:
    """A commitment from a form or a JSON body, validated in one place: its id, section, territory inside the
    programme's, a wording in Kazakh or Russian, numbers, year, date and the choices. What the quality checks
    report (a missing baseline, target, budget...) may be left empty."""
    from tandau.io.programme_csv import territory_names

    cid = _text(form, "commitment", 64)
    if not _ID.fullmatch(cid):
        raise InputError("a commitment id is 1-64 letters, digits, '.', '_' or '-' (W-1, roads.2), "
                         f"got {cid!r}", parameter="commitment")
    territory = _text(form, "territory", 9) or (programme_kato if programme_kato != NATIONAL else "")
    if territory not in territory_names():
        raise InputError(f"unknown territory {territory!r}: a 9-digit KATO code of a region, city or district",
                         parameter="territory")
    if not territory_ok(programme_kato, territory):
        raise InputError(f"the territory {territory} is outside the programme's {programme_kato}",
                         parameter="territory")
    texts = {lang: _text(form, f"text_{lang}", MAX_TEXT) for lang in ("kk", "ru", "en")}
    if not texts["kk"] and not texts["ru"]:
        raise InputError("a commitment needs its wording in Kazakh or Russian", parameter="text_kk")
    year_text = _text(form, "baseline_year", 8)
    if year_text and not (year_text.isdigit() and 1991 <= int(year_text) <= 2100):
        raise InputError(f"baseline_year: expected a year between 1991 and 2100, got {year_text!r}",
                         parameter="baseline_year")
    deadline = _text(form, "deadline", 10)
    if deadline:
        try:
            deadline = date.fromisoformat(deadline).isoformat()
        except ValueError:
            raise InputError(f"deadline: expected YYYY-MM-DD, got {deadline!r}", parameter="deadline") from None
    proposals = form.get("proposals") or []
    if isinstance(proposals, str):
        proposals = proposals.replace(",", ";").split(";")
    ids = list(dict.fromkeys(str(p).strip() for p in proposals if str(p).strip()))
    if any(len(p) > 64 for p in ids) or len(ids) > 200:
        raise InputError("proposals: at most 200 ids of at most 64 characters", parameter="proposals")
    deputies = form.get("deputies") or []
    if isinstance(deputies, str):
        deputies = deputies.replace(",", ";").split(";")
    named = list(dict.fromkeys(str(p).strip() for p in deputies if str(p).strip()))
    if any(len(p) > 32 for p in named) or len(named) > 50:
        raise InputError("deputies: at most 50 deputy ids of at most 32 characters", parameter="deputies")
    return {
        "commitment": cid, "section": _choice(form, "section", SECTIONS, "other"), "territory": territory,
        "text_kk": texts["kk"], "text_ru": texts["ru"], "text_en": texts["en"],
        "indicator": _text(form, "indicator", 100), "unit": _text(form, "unit", 40),
        "baseline": _decimal(form, "baseline"), "baseline_year": int(year_text) if year_text else None,
        "target": _decimal(form, "target"), "deadline": deadline or None,
        "direction": _choice(form, "direction", DIRECTIONS, "increase"),
        "kind": _choice(form, "kind", KINDS, "cumulative"), "budget_kzt": _decimal(form, "budget_kzt"),
        "funding": _choice(form, "funding", FUNDING), "funding_source": _text(form, "funding_source"),
        "responsible": _text(form, "responsible"), "development_indicator": _text(form, "development_indicator", 100),
        "state_programme": _choice(form, "state_programme", STATE_PROGRAMMES), "proposals": ids, "deputies": named}
