"""The single-member districts of the scenario (docs/scenario.md, "Single-member districts"): each district's
2-5 candidates, every member's district in each council covering them, and their files.

Used by :func:`tandau.services.scenario.generate` when the electoral system has districts (``kz-2023``); its random
stream is the scenario's fifth, so the others are unchanged by it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from tandau.core.systems import Districting
from tandau.services.scenario import (
    CANDIDATES_PER_DISTRICT,
    P_CANDIDATE_WOMAN,
    P_SELF,
    P_UNDER_35,
    TAGS,
    ContestPlan,
    Homes,
    NameLists,
    _csv_line,
    birth_dates,
)


@dataclass(frozen=True)
class DistrictPlan:
    """Every single-member district of the scenario: id, council (plan index), number, the unit it lies in."""

    ids: list[str]
    council: np.ndarray
    number: list[int]
    kato: list[str]
    name: list[str]
    source: list[str]


def district_plan(districting: Districting | None, plans: Sequence[ContestPlan]) -> DistrictPlan:
    index = {p.council.id: i for i, p in enumerate(plans)}
    ids: list[str] = []
    council: list[int] = []
    number: list[int] = []
    kato: list[str] = []
    name: list[str] = []
    source: list[str] = []
    for c in districting.councils if districting is not None else ():
        for d in c.districts:
            ids.append(d.id)
            council.append(index[c.council_id])
            number.append(d.number)
            kato.append(d.kato)
            name.append(d.name)
            source.append(d.source)
    return DistrictPlan(ids, np.array(council, dtype=np.int64), number, kato, name, source)


def district_candidates(rng: np.random.Generator, seats: DistrictPlan, plans: Sequence[ContestPlan], home: Homes,
                         names: NameLists, day: date) -> dict[str, np.ndarray]:
    """2-5 candidates per district (uniform), with the list candidates' shares of women, under-35s, tags and
    self-nomination; topped up so that at least 35% of a council's districts have a woman and 25% an under-35
    among their candidates. Each lives in the district's area: the council's unit, its region, or (Majilis) the
    district's region."""
    lo, hi = CANDIDATES_PER_DISTRICT
    sizes = rng.integers(lo, hi + 1, size=len(seats.ids))
    district = np.repeat(np.arange(len(seats.ids)), sizes)
    n = district.size
    women = rng.random(n) < P_CANDIDATE_WOMAN
    young = rng.random(n) < P_UNDER_35
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    for ci in np.unique(seats.council):
        mine = np.flatnonzero(seats.council == ci)
        for flags, share in ((women, 0.35), (young, 0.25)):
            has = np.array([flags[starts[d]:starts[d] + sizes[d]].any() for d in mine])
            missing = int(np.ceil(share * mine.size)) - int(has.sum())
            if missing > 0:
                for d in rng.choice(mine[~has], size=missing, replace=False):
                    flags[starts[d] + int(rng.integers(sizes[d]))] = True
    council = seats.council[district]
    national = np.array([p.council.level == "national" for p in plans])[council]
    min_age = np.where(national, 25, 20)
    old_age = 35 + np.floor(rng.beta(2.0, 3.0, size=n) * 36).astype(np.int64)
    young_age = min_age + (rng.random(n) * (35 - min_age)).astype(np.int64)
    ages = np.where(young, young_age, old_age)
    tag_flags = {tag: rng.random(n) < p for tag, p in TAGS}
    self_nominated = rng.random(n) < P_SELF
    order = np.concatenate([rng.permutation(int(s)) + 1 for s in sizes])
    local_home = {int(c): i for i, c in enumerate(home.local_contest) if c >= 0}
    homes_at = np.empty(n, dtype=np.int64)
    for d in range(len(seats.ids)):
        ci = int(seats.council[d])
        block = slice(int(starts[d]), int(starts[d] + sizes[d]))
        if ci in local_home:
            homes_at[block] = local_home[ci]
            continue
        if plans[ci].council.level == "national":
            eligible = home.region_ids == seats.kato[d]
        else:
            eligible = home.regional_contest == ci
        p = np.where(eligible, home.weight, 0.0)
        homes_at[block] = rng.choice(home.weight.size, size=int(sizes[d]), p=p / p.sum())
    return {"district": district, "council": council, "women": women, "ages": ages,
            "birth": birth_dates(rng, ages, day), "name": names.draw(rng, women), "self": self_nominated,
            "order": order, "home": homes_at, "strength": rng.lognormal(0.0, 1.0, size=n),
            **{f"tag_{t}": f for t, f in tag_flags.items()}}


def assign_districts(rng: np.random.Generator, seats: DistrictPlan, plans: Sequence[ContestPlan], home: Homes,
                      all_home: np.ndarray, dcand: dict[str, np.ndarray],
                      first_district_candidate: int) -> tuple[np.ndarray, np.ndarray]:
    """(member index, district index) pairs: every member gets one district of each council with districts that
    covers their home (their city or district, their region, the Majilis districts of their region), spread
    evenly in a random order; a district candidate votes in their own district."""
    local = home.local_contest[all_home]
    regional = home.regional_contest[all_home]
    region = home.region_ids[all_home]
    pinned = {(int(seats.council[d]), first_district_candidate + j): int(d) for j, d in enumerate(dcand["district"])}
    members_out: list[np.ndarray] = []
    districts_out: list[np.ndarray] = []
    for ci in np.unique(seats.council):
        mine = np.flatnonzero(seats.council == ci)
        level = plans[ci].council.level
        if level == "national":
            groups = [(np.flatnonzero(region == r), mine[[seats.kato[d] == r for d in mine]])
                      for r in sorted({seats.kato[d] for d in mine})]
        else:
            covered = np.flatnonzero(local == ci) if level in ("city", "district") else np.flatnonzero(regional == ci)
            groups = [(covered, mine)]
        for members, targets in groups:
            if not members.size or not targets.size:
                continue
            shuffled = rng.permutation(members)
            given = targets[np.arange(shuffled.size) % targets.size]
            for k in np.flatnonzero(shuffled >= first_district_candidate):
                own = pinned.get((int(ci), int(shuffled[k])))
                if own is not None:
                    given[k] = own
            members_out.append(shuffled)
            districts_out.append(given)
    members_of = np.concatenate(members_out) if members_out else np.zeros(0, dtype=np.int64)
    districts_of = np.concatenate(districts_out) if districts_out else np.zeros(0, dtype=np.int64)
    order = np.lexsort((seats.council[districts_of], members_of))
    return members_of[order], districts_of[order]


def write_districts(path: Path, seats: DistrictPlan) -> None:
    """The districting used, in the columns of ``tandau territory districts --format csv`` (it loads back with
    ``--districts``)."""
    lines = ["council,district,number,name,kato,source"]
    lines += [_csv_line((did.rsplit("-D", 1)[0], did, number, name, kato, source))
              for did, number, name, kato, source in zip(seats.ids, seats.number, seats.name, seats.kato,
                                                         seats.source, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_district_candidates(path: Path, seats: DistrictPlan, plans: Sequence[ContestPlan],
                               dcand: dict[str, np.ndarray], votes: np.ndarray, first_id: int,
                               first_member: int) -> None:
    # rows grouped by district (in districting order), in nomination order within each district
    order = np.lexsort((dcand["order"], dcand["district"]))
    birth = dcand["birth"].astype(str)
    tag_names = [t for t, _ in TAGS]
    lines = ["district,council_id,id,name,sex,birth_date,votes,tags,nominated_by,member_id,order"]
    for row, i in enumerate(order):
        tags = ";".join(t for t in tag_names if dcand[f"tag_{t}"][i])
        d = int(dcand["district"][i])
        lines.append(_csv_line((
            seats.ids[d], plans[int(seats.council[d])].council.id, f"C{first_id + row + 1:06d}", dcand["name"][i],
            "F" if dcand["women"][i] else "M", birth[i], votes[i], tags, "self" if dcand["self"][i] else "organisation",
            f"M{first_member + i + 1:07d}", dcand["order"][i],
        )))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_member_districts(path: Path, seats: DistrictPlan, members_of: np.ndarray, districts_of: np.ndarray) -> None:
    """``member,district``: the file ``tandau primaries districts assign`` takes."""
    ids = np.array(seats.ids, dtype=object)[districts_of].tolist()
    body = "\n".join(f"M{m + 1:07d},{d}" for m, d in zip(members_of.tolist(), ids, strict=True))
    path.write_text("member,district\n" + body + ("\n" if body else ""), encoding="utf-8")
