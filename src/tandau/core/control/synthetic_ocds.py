"""SYNTHETIC regional procurement as OCDS compiled releases, with planted Cardinal red flags and link rules.

Not real purchases: buyers, companies, BINs, amounts and dates are generated from the caller's ``random.Random``.
Buyers are five departments of each region's akimat (a party with roles ``["buyer"]``, ``address.region`` the
region's 9-digit KATO code); a region created in June 2022 buys through its parent before then. Items carry CPV
codes tied to the programmes (housing 45211000, clean water 45232150, Auyl - El Besigi roads 45233140 and
schools 45214200, Enbek vocational training 80530000) or to nothing (office supplies, paper, fuel). Values in
KZT, whole tenge. ``ocid`` ``ocds-tandau-synth-NNNNNN``, in the order of the tender's start.

Clean processes are built to stay inside every fence (docs/control.md's table): tender periods of 15-30 days,
at least two valid bids on open procedures, the winner's bid the lowest (the next valid bid 8-14% above it), a
disqualified bid never the lowest, won ÷ valid bids kept proportional to a per-company share (0.25-0.45),
disqualified ÷ submitted bids at most a per-buyer (0.75-6%) and per-company (1-8%) share, each supplier's items in one
or two CPV divisions (45 alone, or 45 with 71 design services). Planted, one each, listed in ``planted``: R003 a
5-day tender period; R018 a single bid; R024 the next bid 0.1% above the winner's; R058 60% above; R028 two
losers with the same price; R030 the winner's bid after the deadline; R035 the winner alone valid, two
disqualified; R036 the lowest bid disqualified; R025 a company bidding in works twice as often as a builder and never
winning; R038 a buyer disqualifying a bid in every process and a company disqualified in 9 of 12; R048 a
company winning works, training, office supplies, furniture and fuel.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tandau.core.control.programmes.model import SPLITS_2022
from tandau.errors import InputError

__all__ = ["MINIMUM_RELEASES", "OCID_PREFIX", "LinkRule", "ProcurementPlant", "SyntheticProcurement", "genitive",
           "synthetic_procurement"]

#: (programme, indicator, region, buyer_id, classification prefix); buyer "" = any buyer of the region
LinkRule = tuple[str, str, str, str, str]
#: (code, group, id) of a planted procurement flag
ProcurementPlant = tuple[str, str, str]

OCID_PREFIX = "ocds-tandau-synth-"
MINIMUM_RELEASES = 1000
_DEPARTMENTS = {
    "construction": "Управление строительства",
    "utilities": "Управление энергетики и жилищно-коммунального хозяйства",
    "roads": "Управление пассажирского транспорта и автомобильных дорог",
    "education": "Управление образования",
    "employment": "Управление занятости и социальных программ",
}
_DESIGN = ("71320000", "Услуги по инженерному проектированию")
_FURNITURE = ("39130000", "Офисная мебель")


@dataclass(frozen=True, slots=True)
class _Category:
    key: str
    items: tuple[tuple[str, str], ...]  # CPV id, Russian description
    department: str  # "" = any department
    years: tuple[int, int]
    amount: tuple[float, float]  # estimate range, KZT
    pool: str
    share: float  # of the releases
    details: str  # procurementMethodDetails of the open procedure
    category: str  # mainProcurementCategory
    link: tuple[str, str, str] | None  # programme, indicator, classification prefix


_CATEGORIES = (
    _Category("housing", (("45211000", "Строительство многоквартирных жилых домов"),), "construction", (2020, 2025),
              (1.5e9, 6e9), "works", 0.22, "Открытый конкурс", "works", ("housing", "flats_built", "45211")),
    _Category("water", (("45232150", "Работы по прокладке водопроводов"),), "utilities", (2021, 2025),
              (2e8, 2e9), "works", 0.12, "Открытый конкурс", "works",
              ("clean-water", "rural_access_share", "4523215")),
    _Category("roads", (("45233140", "Работы по строительству дорог"),), "roads", (2021, 2025), (3e8, 3e9),
              "works", 0.14, "Открытый конкурс", "works", ("auyl-el-besigi", "villages_modernised", "4523314")),
    _Category("schools", (("45214200", "Строительство школ"),), "construction", (2021, 2025), (1e9, 8e9),
              "works", 0.08, "Открытый конкурс", "works", ("auyl-el-besigi", "villages_modernised", "4521420")),
    _Category("training", (("80530000", "Услуги по профессиональной подготовке"),), "employment", (2020, 2021),
              (5e6, 5e7), "training", 0.08, "Открытый конкурс", "services",
              ("enbek", "people_covered", "8053")),
    _Category("roadmap", (("45453000", "Капитальный ремонт"),), "employment", (2020, 2021), (5e7, 5e8), "works",
              0.04, "Открытый конкурс", "works", ("enbek", "jobs_created", "45453")),
    _Category("office", (("30192000", "Канцелярские принадлежности"), ("30197630", "Бумага для печати")), "",
              (2020, 2025), (3e5, 5e6), "office", 0.2, "Запрос ценовых предложений", "goods", None),
    _Category("fuel", (("09132000", "Бензин"), ("09134200", "Дизельное топливо")), "", (2020, 2025), (2e6, 3e7),
              "fuel", 0.14, "Запрос ценовых предложений", "goods", None),
)
_POOLS = {"works": 60, "training": 15, "office": 10, "fuel": 8}
_STEMS = ("Құрылыс", "СтройИнвест", "Монолит", "Сапа", "Береке", "Алтын Орда", "Нұр", "Дала", "Кемел", "Шаңырақ",
          "Жол", "Дорстрой", "Су Арнасы", "Инжиниринг", "Бірлік", "Тұлпар", "Самұрық", "Арман", "Болашақ", "Керуен")
_SUFFIXES = ("", " Групп", "-Сервис", " Плюс", " KZ", "-2005", " Холдинг", "-Строй")
_WORKS = ("housing", "water", "roads", "schools", "roadmap")


@dataclass(frozen=True, slots=True)
class SyntheticProcurement:
    """The releases, the link rules and the planted flags."""

    releases: tuple[dict[str, Any], ...]
    link_rules: tuple[LinkRule, ...]
    planted: tuple[ProcurementPlant, ...]


@dataclass(slots=True)
class _Company:
    id: str
    name: str
    pool: str
    win_share: float  # won ÷ valid bids are kept proportional to it
    dq_share: float  # disqualified ÷ submitted bids stay at or below it
    design: bool = False  # also wins design services (71)
    valid: int = 0
    won: int = 0
    submitted: int = 0
    disqualified: int = 0
    design_won: bool = False

    def ref(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


def genitive(name: str) -> str:
    """The Russian genitive of a region's name as akimats' names use it.

    >>> genitive("Туркестанская область"), genitive("область Абай"), genitive("г. Алматы")
    ('Туркестанской области', 'области Абай', 'города Алматы')
    """
    if name.startswith("область "):
        return "области " + name[len("область "):]
    if name.endswith("ая область"):
        return name[:-len("ая область")] + "ой области"
    if name.startswith("г. "):
        return "города " + name[3:]
    return name


def _share(rng: random.Random, step: float) -> float:
    """A ceiling on disqualified ÷ submitted bids: careful (up to ``step``) or ordinary (up to twice ``step``)
    organisations, half each, so that the upper fence stays clear of the highest clean ratio."""
    return rng.uniform(0.25 * step, step) if rng.random() < 0.5 else rng.uniform(1.25 * step, 2 * step)


def _bin(rng: random.Random, seen: set[str]) -> str:
    """A fresh ``KZ-BIN-`` id: 12 digits, registration year and month, 4 (a legal entity), seven digits."""
    while True:
        bin_ = f"{rng.randint(0, 24):02d}{rng.randint(1, 12):02d}4{rng.randint(0, 9_999_999):07d}"
        if bin_ not in seen:
            seen.add(bin_)
            return "KZ-BIN-" + bin_


def _stamp(day: datetime) -> str:
    """RFC 3339 in Kazakhstan's time (UTC+6 until 1 March 2024, UTC+5 since)."""
    offset = "+06:00" if day < datetime(2024, 3, 1) else "+05:00"
    return day.strftime("%Y-%m-%dT%H:%M:%S") + offset


@dataclass(slots=True)
class _Process:
    """A process being drawn: what the plants and the clean rules decide before it is written out."""

    category: _Category
    region: str
    buyer: tuple[str, str]
    start: datetime
    limited: bool = False  # a single-source purchase (no bids)
    plant: str = ""  # the code planted here, or ""
    extra: tuple[str, ...] = ()  # planted companies bidding here: "loser", "dq", "universal"


def _draw(rng: random.Random, regions: Mapping[str, tuple[str, int]], buyers: Mapping[tuple[str, str], tuple[str, str]],
          n: int) -> list[_Process]:
    """Category, region (by population), buyer and start of ``n`` processes, by start."""
    codes = sorted(regions)
    weights = [regions[c][1] for c in codes]
    out = []
    for category in rng.choices(_CATEGORIES, weights=[c.share for c in _CATEGORIES], k=n):
        region = rng.choices(codes, weights=weights)[0]
        first, last = date(category.years[0], 1, 10).toordinal(), date(category.years[1], 12, 10).toordinal()
        day = date.fromordinal(rng.randint(first, last))
        split = SPLITS_2022.get(region)
        if split is not None and day < split[1] and split[0] in regions:
            region = split[0]
        department = category.department or rng.choice(list(_DEPARTMENTS))
        start = datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.choice((0, 15, 30, 45)))
        limited = category.key == "fuel" and rng.random() < 0.3
        out.append(_Process(category, region, buyers[(region, department)], start, limited))
    out.sort(key=lambda p: p.start)
    return out


def _bidders(rng: random.Random, p: _Process, pools: Mapping[str, list[_Company]],
             planted: Mapping[str, _Company]) -> list[_Company]:
    pool = pools[p.category.pool]
    if p.plant == "R018":
        return rng.sample(pool, 1)
    k = {"R028": 4, "R035": 3, "R036": 3}.get(p.plant) or max(rng.choice((2, 3, 3, 4, 4, 5)),
                                                                 3 if p.plant == "R038-buyer" else 2)
    return rng.sample(pool, k) + [planted[x] for x in p.extra]


def _statuses(p: _Process, bidders: list[_Company], planted: Mapping[str, _Company],
              buyer_counts: dict[str, list[int]], buyer_share: Mapping[str, float]) -> dict[str, str]:
    """valid / disqualified per bidder: the plants, else one disqualified bid where the buyer's and the
    company's shares allow it (in every process of the planted buyer), keeping two valid bids."""
    status = dict.fromkeys((c.id for c in bidders), "valid")
    if p.plant in ("R035", "R036"):
        for c in bidders[1:] if p.plant == "R035" else bidders[:1]:
            status[c.id] = "disqualified"
        return status
    if p.plant and p.plant != "R038-buyer":
        return status
    dq_firm = planted["dq"]
    if "dq" in p.extra and dq_firm.disqualified < 9:
        status[dq_firm.id] = "disqualified"
    elif len(bidders) >= 3:
        counts = buyer_counts.setdefault(p.buyer[0], [0, 0])
        mine = p.plant == "R038-buyer"
        if mine or (counts[0] + 1) / (counts[1] + len(bidders)) <= buyer_share[p.buyer[0]]:
            candidates = sorted((c for c in bidders if c.pool != "planted" and (
                mine or (c.disqualified + 1) / (c.submitted + 1) <= c.dq_share)),
                key=lambda c: (c.disqualified / (c.dq_share * (c.submitted + 1)), c.id))
            if candidates:
                status[candidates[0].id] = "disqualified"
    return status


def _winner(rng: random.Random, p: _Process, valid: list[_Company], planted: Mapping[str, _Company]) -> _Company:
    """The planted universal supplier where planted; else the valid bidder furthest below its share of wins
    (the R025 loser and the R038 company never win)."""
    if "universal" in p.extra:
        return planted["universal"]
    eligible = [c for c in valid if c.pool != "planted"] or valid
    return min(eligible, key=lambda c: (c.won / (c.win_share * (c.valid + 1)), rng.random()))


def _amounts(rng: random.Random, p: _Process, winner: _Company, bidders: list[_Company], status: Mapping[str, str],
             estimate: int) -> dict[str, int]:
    """Bid amounts: the winner's lowest (except a planted R036), the next valid 8-14% above, others 15-35%
    above, disqualified bids above the winner's; planted R024/R058 gaps and R028 twins; no accidental twins."""
    win = int(estimate * rng.uniform(0.85, 0.98))
    out = {winner.id: win}
    losers = [c for c in bidders if c is not winner and status[c.id] == "valid"]
    gap = {"R024": 0.001, "R058": 0.6}.get(p.plant) or rng.uniform(0.08, 0.14)
    for i, c in enumerate(losers):
        out[c.id] = int(win * (1 + (gap if i == 0 else max(gap, 0.14) + rng.uniform(0.01, 0.21))))
    for c in bidders:
        if status[c.id] == "disqualified":
            out[c.id] = int(win * (0.95 if p.plant == "R036" else 1 + rng.uniform(0.02, 0.3)))
    seen: set[int] = set()
    for c in bidders:
        while out[c.id] in seen:
            out[c.id] += 1
        seen.add(out[c.id])
    if p.plant == "R028" and len(losers) >= 3:
        out[losers[2].id] = out[losers[1].id]
    return out


def _plant(rng: random.Random, processes: list[_Process], target_buyer: str, builders: int) -> None:
    """Mark the planted processes (from the second quarter on, so that the clean rules have warmed up); the R025
    company bids in works about twice as often as each of the ``builders`` (3.5 bids a process)."""
    late = range(len(processes) // 4, len(processes))
    works = [i for i in late if processes[i].category.key in _WORKS and processes[i].buyer[0] != target_buyer]
    own = [i for i in late if processes[i].buyer[0] == target_buyer and not processes[i].limited]
    mine = rng.sample(own, min(14, len(own)))  # disqualifications go to the planted buyer (enough in practice)
    picks = rng.sample(works, 6) + mine + rng.sample([i for i in works if i not in mine], 14 - len(mine))
    for code, i in zip(("R003", "R018", "R024", "R028", "R030", "R058", "R035", "R036"), picks, strict=False):
        processes[i].plant = code
    for i in picks[8:]:
        processes[i].extra = ("dq",)
    taken = set(picks)
    for key in ("housing", "office", "fuel", "training"):
        free = [i for i, p in enumerate(processes) if p.category.key == key and i not in taken and not p.limited]
        for i in rng.sample(free, min(6, len(free))):
            processes[i].extra = ("universal",)
    for p in processes:
        if p.buyer[0] == target_buyer and not p.plant:
            p.plant = "R038-buyer"
        if p.category.key in _WORKS and not p.plant and not p.extra and rng.random() < min(0.5, 7 / builders):
            p.extra = ("loser",)


def _item(number: int, cpv: tuple[str, str], unit: str) -> dict[str, Any]:
    return {"id": str(number), "description": cpv[1], "classification": {"scheme": "CPV", "id": cpv[0],
                                                                        "description": cpv[1]},
            "quantity": 1, "unit": {"name": unit}}


def _release(rng: random.Random, p: _Process, ocid: str, pools: Mapping[str, list[_Company]],
             planted: Mapping[str, _Company], buyer_counts: dict[str, list[int]],
             buyer_share: Mapping[str, float], region_name: str) -> dict[str, Any]:
    """One compiled release (updating the companies' and buyers' running counts)."""
    cat = p.category
    estimate = int(math.exp(rng.uniform(math.log(cat.amount[0]), math.log(cat.amount[1]))))
    cpv = rng.choice(cat.items)
    unit = {"works": "работа", "services": "услуга"}.get(cat.category, "литр" if cat.key == "fuel" else "штука")
    buyer = {"id": p.buyer[0], "name": p.buyer[1]}
    parties: list[dict[str, Any]] = [{**buyer, "roles": ["buyer"], "identifier": {"scheme": "KZ-BIN",
                                                                                  "id": p.buyer[0][7:]},
                                      "address": {"region": p.region, "countryName": "Казахстан"}}]
    tender: dict[str, Any] = {
        "id": ocid + "-tender", "title": f"{cpv[1]} ({region_name})", "status": "complete",
        "description": "SYNTHETIC: сгенерировано для демонстрации Tandau, не реальная закупка",
        "procurementMethod": "open", "procurementMethodDetails": cat.details, "mainProcurementCategory": cat.category,
        "value": {"amount": estimate, "currency": "KZT"},
    }
    release: dict[str, Any] = {"ocid": ocid, "id": ocid + "-compiled", "tag": ["compiled"],
                               "initiationType": "tender", "language": "ru", "parties": parties, "buyer": buyer,
                               "tender": tender}
    award_day = p.start + timedelta(days=rng.randint(20, 45))
    if p.limited:
        winner = rng.choice(pools["fuel"])
        tender.update(procurementMethod="limited", procurementMethodDetails="Из одного источника")
        items, amount = [_item(1, cpv, unit)], estimate
    else:
        bidders = _bidders(rng, p, pools, planted)
        status = _statuses(p, bidders, planted, buyer_counts, buyer_share)
        valid = [c for c in bidders if status[c.id] == "valid"]
        winner = _winner(rng, p, valid, planted)
        amounts = _amounts(rng, p, winner, bidders, status, estimate)
        for c in bidders:
            c.submitted += 1
            c.disqualified += status[c.id] == "disqualified"
            c.valid += status[c.id] == "valid"
        winner.won += 1
        counts = buyer_counts.setdefault(p.buyer[0], [0, 0])
        counts[0] += sum(1 for c in bidders if status[c.id] == "disqualified")
        counts[1] += len(bidders)
        days = 5 if p.plant == "R003" else rng.randint(15, 30)
        end = p.start + timedelta(days=days, hours=rng.randint(0, 6))
        award_day = end + timedelta(days=rng.randint(5, 15))
        items = [_item(1, cpv, unit)]
        if cat.pool == "works" and winner.design and (not winner.design_won or rng.random() < 0.35):
            winner.design_won = True
            items.append(_item(2, _DESIGN, "услуга"))
        if "universal" in p.extra and cat.key == "office":
            items.append(_item(2, _FURNITURE, "штука"))
        bids = []
        for i, c in enumerate(bidders, start=1):
            late = p.plant == "R030" and c is winner
            day = end + timedelta(days=1) if late else p.start + timedelta(minutes=rng.randint(60, days * 1440 - 60))
            bids.append({"id": f"{ocid}-bid-{i}", "date": _stamp(day), "status": status[c.id],
                         "tenderers": [c.ref()], "value": {"amount": amounts[c.id], "currency": "KZT"}})
            if c is not winner:
                parties.append({**c.ref(), "roles": ["tenderer"], "identifier": {"scheme": "KZ-BIN", "id": c.id[7:]}})
        tender.update(tenderPeriod={"startDate": _stamp(p.start), "endDate": _stamp(end)},
                      numberOfTenderers=len(bidders))
        release["bids"] = {"details": bids}
        amount = amounts[winner.id]
    tender["items"] = items
    parties.append({**winner.ref(), "roles": ["supplier"] if p.limited else ["tenderer", "supplier"],
                    "identifier": {"scheme": "KZ-BIN", "id": winner.id[7:]}})
    signed = award_day + timedelta(days=rng.randint(3, 10))
    value = {"amount": amount, "currency": "KZT"}
    release["awards"] = [{"id": ocid + "-award-1", "status": "active", "date": _stamp(award_day), "value": value,
                          "suppliers": [winner.ref()], "items": items}]
    release["contracts"] = [{"id": ocid + "-contract-1", "awardID": ocid + "-award-1", "status": "active",
                             "value": dict(value), "dateSigned": _stamp(signed)}]
    release["date"] = _stamp(signed)
    return release


def synthetic_procurement(regions: Mapping[str, tuple[str, int]], rng: random.Random,
                          n: int) -> SyntheticProcurement:
    """``n`` SYNTHETIC releases over ``regions`` (9-digit KATO code -> (Russian name, population)), the link
    rules and the planted flags (see the module's docstring); ``n`` is 0 (nothing) or at least 1,000."""
    if n == 0:
        return SyntheticProcurement((), (), ())
    if n < MINIMUM_RELEASES:
        raise InputError(f"the outlier indicators need a population: at least {MINIMUM_RELEASES} releases "
                         f"(or 0 for none), got {n}", parameter="releases")
    seen: set[str] = set()
    buyers = {(code, key): (_bin(rng, seen), f"ГУ «{name} акимата {genitive(regions[code][0])}»")
              for code in sorted(regions) for key, name in _DEPARTMENTS.items()}
    pools: dict[str, list[_Company]] = {}
    count = 0
    for pool, size in _POOLS.items():  # per 3,000 releases: every company bids often enough for the fences
        pools[pool] = []
        for _ in range(max(6, round(size * n / 3000))):
            stem, suffix = _STEMS[count % len(_STEMS)], _SUFFIXES[count // len(_STEMS) % len(_SUFFIXES)]
            lot = count // (len(_STEMS) * len(_SUFFIXES))
            name = f"ТОО «{stem}{suffix}{f' {lot + 1}' if lot else ''}»"
            count += 1
            pools[pool].append(_Company(_bin(rng, seen), name, pool, rng.uniform(0.25, 0.45), _share(rng, 0.04)))
    for c in rng.sample(pools["works"], round(len(pools["works"]) * 0.6)):
        c.design = True
    planted = {key: _Company(_bin(rng, seen), name, "planted", 0.3, 0.0) for key, name in (
        ("loser", "ТОО «Тендер Актив»"), ("dq", "ТОО «Быстрый Старт»"), ("universal", "ТОО «Универсал Снаб»"))}
    buyer_share = {b[0]: _share(rng, 0.03) for b in buyers.values()}
    big = sorted((c for c in regions if c not in SPLITS_2022), key=lambda c: -regions[c][1])
    target_buyer = buyers[(rng.choice(big[:max(1, len(big) // 2)]), "construction")][0]
    processes = _draw(rng, regions, buyers, n)
    _plant(rng, processes, target_buyer, len(pools["works"]))
    buyer_counts: dict[str, list[int]] = {}
    releases = []
    plants: list[ProcurementPlant] = []
    for number, p in enumerate(processes, start=1):
        ocid = f"{OCID_PREFIX}{number:06d}"
        if p.plant and p.plant != "R038-buyer":
            plants.append((p.plant, "OCID", ocid))
        releases.append(_release(rng, p, ocid, pools, planted, buyer_counts, buyer_share, regions[p.region][0]))
    plants += [("R025", "Tenderer", planted["loser"].id), ("R038", "Buyer", target_buyer),
               ("R038", "Tenderer", planted["dq"].id), ("R048", "Tenderer", planted["universal"].id)]
    rules: list[LinkRule] = [(c.link[0], c.link[1], code, "", c.link[2]) for code in sorted(regions)
                             for c in _CATEGORIES if c.link is not None]
    utilities = buyers[(big[0], "utilities")][0]
    rules.append(("clean-water", "rural_access_share", big[0], utilities, "4523"))
    return SyntheticProcurement(tuple(releases), tuple(rules), tuple(sorted(plants)))
