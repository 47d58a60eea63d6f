"""The national demo scenario: synthetic members, candidates per council and primary votes (docs/scenario.md).

With an electoral system that has single-member districts (``system="kz-2023"``) the councils' list candidates
are generated for their list seats only, and every single-member district gets 2-5 candidates of its own, the
members are assigned to one district of each council they vote for, and the districts' primary votes are drawn
(a fifth random stream: the four others are unchanged by it).

Calibrated on docs kz-facts.md (2020 primaries): about 800,000 members at scale 1, turnout 84.2%, about 11,000
candidates, 37% women, 29% under 35, about 70% self-nominated. Every person is synthetic. Output for a seed and
scale is byte-identical: independent random streams (``numpy.random.SeedSequence(seed).spawn``) feed homes,
member attributes, candidates and votes, so ``write_members=False`` changes no other file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from tandau.core.systems import derive_districts, get_system
from tandau.core.territory import Council, Territory, parse_layout
from tandau.errors import InputError
from tandau.io.territory import load_kz

FORMAT = "tandau-scenario/1"
NOTICE = ("SYNTHETIC DATA: all persons are synthetic. Names are drawn at random from lists of common Kazakh and "
          "Russian names; birth dates, contacts, votes and tags are random. Any resemblance to a real person is "
          "coincidental.")
DEFAULT_DATES = {"2021": "2021-01-10", "2023": "2023-03-19"}  # the maslikhat election days

MEMBERS_AT_SCALE_1 = 800_000
TURNOUT = 0.842  # 662,687 of 788,000 registered members voted in October 2020
P_MEMBER_WOMAN = 0.52
P_CANDIDATE_WOMAN = 0.37
P_UNDER_35 = 0.29
P_SELF = 0.70
P_KAZAKH_NAME = 0.75
TAGS = (("disability", 0.02), ("entrepreneur", 0.12), ("media", 0.03), ("repatriate", 0.015))
CANDIDATES_PER_PLACE = (2.0, 3.4)  # candidates per list place, uniform: 2.7 on average
MEMBER_AGE_BANDS = ((18, 25, 0.10), (25, 35, 0.20), (35, 45, 0.22), (45, 55, 0.20), (55, 65, 0.17), (65, 86, 0.11))
CANDIDATES_PER_DISTRICT = (2, 5)  # uniform whole numbers: 3.5 on average (≈ 2.7 per list place × 1.3 places a seat)


@dataclass(frozen=True, slots=True)
class ContestPlan:
    """A council as the scenario uses it: the seats its party list contests and the list's length."""

    council: Council
    seats: int
    list_length: int


@dataclass(frozen=True, slots=True)
class ScenarioSummary:
    """What :func:`generate` wrote, with its counts and the seconds it took."""

    out_dir: Path
    files: tuple[str, ...]
    counts: dict[str, Any]
    seconds: float


def list_length(seats: int) -> int:
    """Kazakhstan 2023 cap: at most seats + 30% names, rounded down.

    >>> list_length(69), list_length(21), list_length(3)
    (89, 27, 3)
    """
    return seats + (3 * seats) // 10


def contest_plans(territory: Territory, *, every_council_a_list: bool = True) -> list[ContestPlan]:
    """List seats where the council has them. ``every_council_a_list``: all seats for councils elected only in
    single-member districts (2023 city and district maslikhats), so that every council has a list (the all-list
    scenario); otherwise such councils have no list (0 seats, no list candidates)."""
    plans = []
    for c in territory.councils:
        seats = c.list_seats if c.list_seats > 0 or not every_council_a_list else c.seats
        plans.append(ContestPlan(c, seats, list_length(seats)))
    return plans


def parse_date(value: str, parameter: str = "--election-date") -> date:
    """An ISO date or :class:`InputError` naming the parameter."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected YYYY-MM-DD, got {value!r}", parameter=parameter) from None


# ---------------------------------------------------------------- names and dates


@dataclass(frozen=True)
class NameLists:
    """Given names by sex and origin and masculine surnames (feminine forms are derived)."""

    given: dict[tuple[str, str], np.ndarray]
    surnames: dict[tuple[str, str], np.ndarray]

    @classmethod
    def load(cls) -> NameLists:
        text = resources.files("tandau.data.kz").joinpath("names.csv").read_text(encoding="utf-8")
        raw: dict[tuple[str, str], list[str]] = {}
        for line in text.splitlines()[1:]:
            kind, origin, name = line.split(",")
            raw.setdefault((kind, origin), []).append(name)
        given = {(sex, o): np.array(raw[(f"given_{sex.lower()}", o)], dtype=object)
                 for sex in "FM" for o in ("kk", "ru")}
        surnames = {(sex, o): np.array([_surname(s, sex) for s in raw[("surname", o)]], dtype=object)
                    for sex in "FM" for o in ("kk", "ru")}
        return cls(given, surnames)

    def draw(self, rng: np.random.Generator, women: np.ndarray) -> np.ndarray:
        """Full names ("Given Surname") for people whose sex is given by the boolean array ``women``."""
        kazakh = rng.random(women.size) < P_KAZAKH_NAME
        u_given, u_surname = rng.random(women.size), rng.random(women.size)
        out = np.empty(women.size, dtype=object)
        for sex in "FM":
            for origin in ("kk", "ru"):
                mask = (women == (sex == "F")) & (kazakh == (origin == "kk"))
                g, s = self.given[(sex, origin)], self.surnames[(sex, origin)]
                gi = (u_given[mask] * g.size).astype(np.int64)
                si = (u_surname[mask] * s.size).astype(np.int64)
                out[mask] = g[gi] + " " + s[si]
        return out


def _surname(masculine: str, sex: str) -> str:
    """Feminine form of a surname: -ов/-ев/-ин → -ова/-ева/-ина, -ский → -ская; others do not change."""
    if sex == "M":
        return masculine
    if masculine.endswith(("ов", "ев", "ёв", "ин")):
        return masculine + "а"
    if masculine.endswith("ский"):
        return masculine[:-2] + "ая"
    return masculine


def birth_dates(rng: np.random.Generator, ages: np.ndarray, day: date) -> np.ndarray:
    """Birth dates (datetime64[D]) of people who are exactly ``ages`` years old on ``day``."""
    table = np.array([_years_before(day, int(a)) for a in range(int(ages.max(initial=0)) + 1)], dtype="datetime64[D]")
    back = rng.integers(1, 364, size=ages.size)  # 1..363 days before the anniversary: age stays exact
    result: np.ndarray = table[ages] - back.astype("timedelta64[D]")
    return result


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------- the population


@dataclass(frozen=True)
class Homes:
    """Where members live: unit (KATO) ids, their region, their own council (or -1) and sampling weights."""

    unit_ids: np.ndarray
    region_ids: np.ndarray
    local_contest: np.ndarray
    regional_contest: np.ndarray
    weight: np.ndarray


def homes(territory: Territory, plans: Sequence[ContestPlan]) -> Homes:
    """Every unit a member can live in: maslikhat units of regions (weighted by their estimated population) and
    the districts of the cities of republican significance (equal shares of the city's population)."""
    index = {p.council.unit_id: i for i, p in enumerate(plans)}
    regions = [u for u in territory.units if u.kind in ("region", "republican_city")]
    ids: list[str] = []
    reg: list[str] = []
    local: list[int] = []
    regional: list[int] = []
    weight: list[float] = []
    for r in regions:
        children = [u for u in territory.units if u.parent == r.id]
        if r.kind == "republican_city":
            parts = [u for u in children if u.kind == "city_district"]
            shares = [(u, (r.population or 0) / len(parts), -1) for u in parts]
        else:
            shares = [(u, float(u.population or 0), index[u.id]) for u in children if u.id in index]
        for u, w, li in shares:
            ids.append(u.id)
            reg.append(r.id)
            local.append(li)
            regional.append(index[r.id])
            weight.append(w)
    w_arr = np.array(weight)
    return Homes(np.array(ids, dtype=object), np.array(reg, dtype=object), np.array(local), np.array(regional),
                 w_arr / w_arr.sum())


# ---------------------------------------------------------------- the generator


def generate(out_dir: Path | str, *, seed: int, scale: float = 1.0, layout: str | None = None,
             election_date: str | None = None, write_members: bool = True,
             system: str | None = None) -> ScenarioSummary:
    """Write scenario.json, councils.csv, candidates.csv, members.csv (unless skipped) and README.txt.

    ``system`` (an electoral-system id, :mod:`tandau.core.systems`; its layout is the default ``layout``): with
    single-member districts (``kz-2023``) also districts.csv, district_candidates.csv and member_districts.csv
    (with the members), and list candidates for the list seats only. Without a system every council has a list
    (layout 2023 included), as before systems existed."""
    from tandau.services import scenario_districts as districts

    started = time.perf_counter()
    chosen = get_system(system) if system is not None else None
    if chosen is not None and layout is not None and layout != chosen.layout:
        raise InputError(f"system {chosen.id} is used on layout {chosen.layout}, not {layout}", parameter="--layout")
    layout = layout or (chosen.layout if chosen is not None else "2023")
    parse_layout(layout)
    if not 0 < scale <= 20:
        raise InputError(f"scale must be in (0, 20], got {scale}", parameter="--scale")
    if seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed}", parameter="--seed")
    day = parse_date(election_date or DEFAULT_DATES[layout])
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the directory: {exc.strerror}", parameter="--out") from None
    territory = load_kz(layout)
    districting = derive_districts(territory, chosen) if chosen is not None else None
    with_districts = districting is not None and bool(districting.districts())
    plans = contest_plans(territory, every_council_a_list=not with_districts)
    home = homes(territory, plans)
    streams = np.random.SeedSequence(seed).spawn(5)  # the first four are those of the all-list scenario
    s_homes, s_attrs, s_cands, s_votes, s_districts = (np.random.default_rng(s) for s in streams)
    names = NameLists.load()

    cand = _candidates(s_cands, plans, home, names, day)
    seats_d = districts.district_plan(districting, plans) if with_districts else None
    dcand = None if seats_d is None else districts.district_candidates(s_districts, seats_d, plans, home, names, day)
    n_standing = int(cand["council"].size) + (int(dcand["district"].size) if dcand is not None else 0)
    # about 800,000 members at scale 1, candidates included (at tiny scales the candidates alone exceed it)
    n_members = max(0, round(MEMBERS_AT_SCALE_1 * scale) - n_standing)
    member_home = np.sort(s_homes.choice(home.unit_ids.size, size=n_members, p=home.weight))
    member_voted = s_homes.random(n_members) < TURNOUT
    # candidates are members too: they live in their council's area and vote (turnout as for everyone)
    cand_voted = s_cands.random(cand["home"].size) < TURNOUT
    all_home = np.concatenate([member_home, cand["home"]])
    all_voted = np.concatenate([member_voted, cand_voted])
    if dcand is not None:
        all_home = np.concatenate([all_home, dcand["home"]])
        all_voted = np.concatenate([all_voted, s_districts.random(dcand["home"].size) < TURNOUT])
    ballots = _ballots(plans, home, all_home[all_voted])
    votes = _votes(s_votes, cand, ballots, day)
    files = ["README.txt", "scenario.json", "councils.csv", "candidates.csv"]
    _write_councils(out / "councils.csv", plans, territory)
    _write_candidates(out / "candidates.csv", plans, cand, votes, n_members)
    extra: dict[str, Any] = {}
    if seats_d is not None and dcand is not None:
        members_of, districts_of = districts.assign_districts(s_districts, seats_d, plans, home, all_home, dcand,
                                                     n_members + int(cand["council"].size))
        per_district = np.bincount(districts_of[all_voted[members_of]], minlength=len(seats_d.ids))
        dvotes = _votes(s_districts, {**dcand, "council": dcand["district"]}, per_district, day)
        districts.write_districts(out / "districts.csv", seats_d)
        districts.write_district_candidates(out / "district_candidates.csv", seats_d, plans, dcand, dvotes,
                                            int(cand["council"].size), n_members + int(cand["council"].size))
        files += ["districts.csv", "district_candidates.csv"]
        if write_members:
            districts.write_member_districts(out / "member_districts.csv", seats_d, members_of, districts_of)
            files.append("member_districts.csv")
        extra = {"districts": len(seats_d.ids), "district_candidates": int(dcand["district"].size),
                 "district_candidates_women_share": round(float(dcand["women"].mean()), 4),
                 "district_votes_cast": int(dvotes.sum()), "member_districts": int(members_of.size)}
    if write_members:
        groups = [cand] + ([dcand] if dcand is not None else [])
        _write_members(out / "members.csv", s_attrs, names, home, member_home, groups, day)
        files.append("members.csv")
    counts = _counts(plans, cand, n_members + n_standing - int(cand["council"].size), int(all_voted.sum()), votes,
                     write_members, day) | extra
    meta: dict[str, Any] = {"format": FORMAT, "synthetic": True, "notice": NOTICE, "seed": seed, "scale": scale,
                            "layout": layout}
    if chosen is not None:
        meta["system"] = chosen.id
    meta |= {"election_date": day.isoformat(), "counts": counts}
    (out / "scenario.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.txt").write_text(_readme(meta, files), encoding="utf-8")
    return ScenarioSummary(out, tuple(files), counts, time.perf_counter() - started)


def _candidates(rng: np.random.Generator, plans: Sequence[ContestPlan], home: Homes, names: NameLists,
                day: date) -> dict[str, np.ndarray]:
    """Candidates of every council (arrays in council order, nomination order within each council)."""
    multiplier = rng.uniform(*CANDIDATES_PER_PLACE, size=len(plans))
    lengths = np.array([p.list_length for p in plans])
    sizes = np.maximum(lengths, np.rint(lengths * multiplier).astype(np.int64))
    council = np.repeat(np.arange(len(plans)), sizes)
    n = council.size
    women = rng.random(n) < P_CANDIDATE_WOMAN
    young = rng.random(n) < P_UNDER_35
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    for start, size, length in zip(starts, sizes, lengths, strict=True):
        # the party sees to it that every council can field a compliant list: ≥ 35% women, ≥ 25% under 35
        for flags, share in ((women, 0.35), (young, 0.25)):
            block = flags[start:start + size]
            missing = int(np.ceil(share * length)) - int(block.sum())
            if missing > 0:
                block[rng.choice(np.flatnonzero(~block), size=missing, replace=False)] = True
    national = np.array([p.council.level == "national" for p in plans])[council]
    min_age = np.where(national, 25, 20)
    old_age = 35 + np.floor(rng.beta(2.0, 3.0, size=n) * 36).astype(np.int64)
    young_age = min_age + (rng.random(n) * (35 - min_age)).astype(np.int64)
    ages = np.where(young, young_age, old_age)
    tag_flags = {tag: rng.random(n) < p for tag, p in TAGS}
    self_nominated = rng.random(n) < P_SELF
    order = np.concatenate([rng.permutation(int(s)) + 1 for s in sizes])
    # where each candidate lives: their council's unit, or anywhere in its region / the country
    homes_at = _candidate_homes(rng, plans, home, council)
    return {"council": council, "women": women, "ages": ages, "birth": birth_dates(rng, ages, day),
            "name": names.draw(rng, women), "self": self_nominated, "order": order, "home": homes_at,
            "strength": rng.lognormal(0.0, 1.0, size=n), **{f"tag_{t}": f for t, f in tag_flags.items()}}


def _candidate_homes(rng: np.random.Generator, plans: Sequence[ContestPlan], home: Homes,
                     council: np.ndarray) -> np.ndarray:
    result = np.empty(council.size, dtype=np.int64)
    local_home = {int(c): i for i, c in enumerate(home.local_contest) if c >= 0}
    for ci, plan in enumerate(plans):
        mask = council == ci
        k = int(mask.sum())
        if ci in local_home:
            result[mask] = local_home[ci]
            continue
        eligible = home.regional_contest == ci if plan.council.level != "national" else np.ones_like(home.weight, bool)
        p = np.where(eligible, home.weight, 0.0)
        result[mask] = rng.choice(home.weight.size, size=k, p=p / p.sum())
    return result


def _ballots(plans: Sequence[ContestPlan], home: Homes, voter_homes: np.ndarray) -> np.ndarray:
    """Ballots cast in each contest: members vote in their district or city, their region and the Majilis."""
    per_home = np.bincount(voter_homes, minlength=home.unit_ids.size)
    ballots = np.zeros(len(plans), dtype=np.int64)
    local = home.local_contest >= 0
    np.add.at(ballots, home.local_contest[local], per_home[local])
    np.add.at(ballots, home.regional_contest, per_home)
    for ci, plan in enumerate(plans):
        if plan.council.level == "national":
            ballots[ci] = per_home.sum()
    return ballots


def _votes(rng: np.random.Generator, cand: dict[str, np.ndarray], ballots: np.ndarray, day: date) -> np.ndarray:
    """One vote per ballot per contest, multinomial over the candidates' strengths: log-normal, lower on average
    for women and the young and higher for organisation nominees (so that quotas bite, as in real primaries)."""
    strength = cand["strength"] * np.where(cand["women"], 0.8, 1.0) * np.where(cand["ages"] < 35, 0.8, 1.0)
    strength = strength * np.where(cand["self"], 1.0, 1.3)
    votes = np.zeros(strength.size, dtype=np.int64)
    bounds = np.flatnonzero(np.diff(cand["council"])) + 1
    for idx in np.split(np.arange(strength.size), bounds):
        if not idx.size:
            continue
        p = strength[idx] / strength[idx].sum()
        votes[idx] = rng.multinomial(int(ballots[int(cand["council"][idx[0]])]), p)
    return votes


# ---------------------------------------------------------------- files


def _csv_line(values: Sequence[object]) -> str:
    cells = []
    for v in values:
        s = str(v)
        cells.append('"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',"\n') else s)
    return ",".join(cells)


def _write_councils(path: Path, plans: Sequence[ContestPlan], territory: Territory) -> None:
    lines = [_csv_line(("council_id", "name", "name_ru", "level", "region_id", "region_name", "kato", "seats",
                        "seats_source", "list_length"))]
    for p in plans:
        c = p.council
        region = territory.unit(c.region_id).name if c.region_id else ""
        kato = "" if c.unit_id == "KZ" else c.unit_id
        lines.append(_csv_line((c.id, c.name, c.name_ru, c.level, c.region_id or "", region, kato, p.seats,
                                c.seats_source, p.list_length)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_candidates(path: Path, plans: Sequence[ContestPlan], cand: dict[str, np.ndarray], votes: np.ndarray,
                      first_member: int) -> None:
    # rows grouped by council, in nomination order within each council
    order = np.lexsort((cand["order"], cand["council"]))
    birth = cand["birth"].astype(str)
    tag_names = [t for t, _ in TAGS]
    lines = ["council_id,id,name,sex,birth_date,votes,tags,nominated_by,member_id,order"]
    for row, i in enumerate(order):
        tags = ";".join(t for t in tag_names if cand[f"tag_{t}"][i])
        lines.append(_csv_line((
            plans[cand["council"][i]].council.id, f"C{row + 1:06d}", cand["name"][i], "F" if cand["women"][i] else "M",
            birth[i], votes[i], tags, "self" if cand["self"][i] else "organisation", f"M{first_member + i + 1:07d}",
            cand["order"][i],
        )))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_members(path: Path, rng: np.random.Generator, names: NameLists, home: Homes, member_home: np.ndarray,
                   standing: Sequence[dict[str, np.ndarray]], day: date) -> None:
    """Members who do not stand first, then each group of candidates in turn (list, then district candidates)."""
    n = member_home.size
    women = rng.random(n) < P_MEMBER_WOMAN
    bands = np.array(MEMBER_AGE_BANDS)
    band = rng.choice(len(bands), size=n, p=bands[:, 2] / bands[:, 2].sum())
    lo, hi = bands[band, 0].astype(np.int64), bands[band, 1].astype(np.int64)
    ages = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
    all_names = np.concatenate([names.draw(rng, women), *(g["name"] for g in standing)])
    all_women = np.concatenate([women, *(g["women"] for g in standing)])
    all_birth = np.concatenate([birth_dates(rng, ages, day), *(g["birth"] for g in standing)]).astype(str).tolist()
    all_home = np.concatenate([member_home, *(g["home"] for g in standing)])
    sex = np.where(all_women, "F", "M").tolist()
    ids = [f"M{i:07d}" for i in range(1, all_home.size + 1)]
    units = home.unit_ids[all_home].tolist()
    regions = home.region_ids[all_home].tolist()
    rows = zip(ids, all_names.tolist(), sex, all_birth, regions, units, ids, strict=True)
    body = "\n".join(f"{i},{nm},{sx},{b},{r},{u},{c.lower()}@example.invalid" for i, nm, sx, b, r, u, c in rows)
    path.write_text("id,name,sex,birth_date,region_id,unit_kato,contact\n" + body + "\n", encoding="utf-8")


def _counts(plans: Sequence[ContestPlan], cand: dict[str, np.ndarray], n_members: int, voters: int,
            votes: np.ndarray, members_written: bool, day: date) -> dict[str, Any]:
    n = int(cand["council"].size)
    levels: dict[str, int] = {}
    for p in plans:
        levels[p.council.level] = levels.get(p.council.level, 0) + 1
    return {
        "councils": len(plans), "councils_by_level": levels,
        "seats": sum(p.seats for p in plans), "list_positions": sum(p.list_length for p in plans),
        "candidates": n, "candidates_women_share": round(float(cand["women"].mean()), 4),
        "candidates_under_35_share": round(float((cand["ages"] < 35).mean()), 4),
        "candidates_self_nominated_share": round(float(cand["self"].mean()), 4),
        "candidates_tagged": {t: int(cand[f"tag_{t}"].sum()) for t, _ in TAGS},
        "members": n_members + n, "members_written": members_written, "voters": voters,
        "turnout": round(voters / (n_members + n), 4), "votes_cast": int(votes.sum()),
        "age_reference_date": day.isoformat(),
    }


def _readme(meta: dict[str, Any], files: Sequence[str]) -> str:
    return (
        f"{NOTICE}\n\n"
        f"Tandau demo scenario ({FORMAT}), seed {meta['seed']}, scale {meta['scale']}, layout {meta['layout']}, "
        + (f"system {meta['system']}, " if "system" in meta else "")
        + f"election date {meta['election_date']}.\n"
        "Seats are derived by a documented rule (seats_source=derived), not the official CEC table.\n\n"
        "Files: " + ", ".join(files) + ". Formats: docs/scenario.md.\n"
    )
