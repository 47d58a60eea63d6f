"""Council and region names in the page's language.

Contests store one English ``name`` and ``region`` (the data: the JSON API and the files keep them). The pages
show them in the request's language: a contest whose ``council_id`` (or id) is a council of Kazakhstan's 2023 or
2021 territory gets that council's Russian or Kazakh name (:meth:`tandau.core.territory.Council.name_in`); a
region given by its English name gets the region's name (``"Abai Region"`` → ``"область Абай"`` /
``"Абай облысы"``). Anything unknown, and every English page, shows the stored text. The territory is read once.

Templates call ``council_name(contest)``, ``region_name(text)`` and ``territory_name(code, text)`` (globals
installed by :func:`install`, reading ``lang`` from the template context: a macro using them must be imported
``with context``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, TypeVar

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from tandau.core.territory import Council, Unit
from tandau.io.territory import load_kz
from tandau.services.workspace import LEVEL_ORDER, Overview
from tandau.web.i18n import FALLBACK

LAYOUTS = ("2023", "2021")  # looked up in this order: today's names first
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Index:
    councils: dict[str, tuple[Council, ...]]  # id -> the council in each layout that has it
    regions: dict[str, Unit]  # casefolded English name -> region, city of republican significance or country
    units: dict[str, Unit]  # KATO prefix (2 digits for a region, 4 for a city or district) -> unit, today's first


@cache
def _index() -> _Index:
    councils: dict[str, tuple[Council, ...]] = {}
    regions: dict[str, Unit] = {}
    units: dict[str, Unit] = {}
    for layout in LAYOUTS:
        territory = load_kz(layout)
        for c in territory.councils:
            councils[c.id] = (*councils.get(c.id, ()), c)
        for u in territory.units:
            if u.kind in ("country", "region", "republican_city"):
                regions.setdefault(u.name.casefold(), u)
            units.setdefault(u.id, u)
    return _Index(councils, regions, units)


def council(ids: Iterable[str | None], stored: str) -> Council | None:
    """The territory's council for the first known id; of its layouts, the one whose English name is ``stored``
    (Nur-Sultan's council in 2021), else today's."""
    index = _index()
    for cid in ids:
        found = index.councils.get(cid or "")
        if found:
            return next((c for c in found if c.name == stored), found[0])
    return None


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def council_name(contest: Any, lang: str) -> str:
    """The display name of a contest (or a council row): ``council_id``, ``contest_id`` or ``id`` looked up; a
    single-member district's contest adds its district (``district_id`` ``<council>-D07``: "district 7")."""
    stored = str(_field(contest, "name") or "")
    if lang == "en":
        return stored
    ids = (_field(contest, attr) for attr in ("council_id", "contest_id", "id"))
    found = council(ids, stored)
    name = found.name_in(lang) if found is not None else stored
    district = str(_field(contest, "district_id") or "")
    if district and found is not None:
        from tandau.web.i18n import make_gettext

        number = district.rpartition("-D")[2].lstrip("0") or "0"
        name = f"{name}, " + make_gettext(lang)("district %(num)s", num=number)
    return name


def region_name(text: str | None, lang: str) -> str:
    """A region given by its English name (``"Abai Region"``, ``"Almaty"``, ``"Kazakhstan"``), in ``lang``."""
    stored = text or ""
    if lang == "en":
        return stored
    unit = _index().regions.get(stored.strip().casefold())
    return unit.name_in(lang) if unit is not None else stored


def territory_name(code: str, text: str, lang: str) -> str:
    """A turnout row's label: the English region name or council name stored for KATO prefix ``code``; where no
    contest names it (``text`` is the bare code), the territory's unit with that KATO prefix."""
    unit = _index().units.get(code) if text == code else None
    if unit is not None:
        return unit.name_in(lang) if lang != "en" else unit.name
    if lang == "en":
        return text
    if text.strip().casefold() in _index().regions:
        return region_name(text, lang)
    found = council([f"M-{code}"], text)
    return found.name_in(lang) if found is not None and found.name == text else text


def in_order(contests: Iterable[T], lang: str) -> list[T]:
    """Contests (or overview rows) by level, then region and name in ``lang``: the services' order, in English."""
    def key(c: Any) -> tuple[int, str, str]:
        level = LEVEL_ORDER.index(c.level) if c.level in LEVEL_ORDER else 9
        return level, region_name(c.region, lang), council_name(c, lang)

    return sorted(contests, key=key)


def overview_in(overview: Overview, lang: str) -> Overview:
    """The staff overview with its regions and council rows ordered by their names in ``lang``."""
    return replace(overview, rows=tuple(in_order(overview.rows, lang)),
                   regions=tuple(sorted(overview.regions, key=lambda r: region_name(r, lang))))


def by_region_in(overview: Overview, lang: str) -> list[dict[str, Any]]:
    """:meth:`~tandau.services.workspace.Overview.by_region` ordered by the region's name in ``lang``."""
    return sorted(overview.by_region(), key=lambda r: region_name(str(r["region"]), lang))


def _lang(ctx: Context) -> str:
    return str(ctx.get("lang", FALLBACK))


@pass_context
def _council_name(ctx: Context, contest: Any) -> str:
    return council_name(contest, _lang(ctx))


@pass_context
def _region_name(ctx: Context, text: str | None) -> str:
    return region_name(text, _lang(ctx))


@pass_context
def _territory_name(ctx: Context, code: str, text: str) -> str:
    return territory_name(code, text, _lang(ctx))


def install(env: Environment) -> None:
    """Make ``council_name``, ``region_name`` and ``territory_name`` template globals."""
    env.globals.update(council_name=_council_name, region_name=_region_name, territory_name=_territory_name)
