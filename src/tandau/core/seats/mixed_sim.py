"""What-if for a mixed council: each district nominee's chance of winning, joined to the list half's simulation.

**Districts (Monte Carlo).** Each candidate in a district has an expected vote share ``share`` and an uncertainty
``sigma`` (default :data:`DEFAULT_DISTRICT_SIGMA`, 5 points). A draw adds to every share an independent normal
error ``N(0, sigma²)`` and, optionally, a party-wide ``swing ~ N(0, swing²)`` common to the party's candidates in
every district of the council in that draw (self-nominated candidates have none); the candidate with the largest
drawn share wins the district (plurality; an exact tie has probability zero). A nominee's chance is the share of
draws won. The generator is an injected ``numpy.random.Generator`` (:func:`district_chances`) or, in
:func:`simulate_council`, one seeded with ``(seed, 1)`` beside the list half's ``seed``; both are recorded.

With the same generator state, raising a candidate's expected share raises their drawn share by the same amount in
every draw, so their chance never falls (monotone); with two candidates the chance converges to the normal
approximation ``Φ((s₁ − s₂) / √(σ₁² + σ₂²))`` (:func:`two_candidate_chance`, the tests' oracle).

**List half.** :func:`tandau.core.seats.simulate.simulate` with the council's list seats and the preset of its
level (method, threshold, runner-up). A party's expected women and under-35s among its list mandate holders are
``Σ_s P(s seats) · count(s)``, where ``count(s)`` counts them among the holders named by the mandate rule
(``kz-law-2022`` by default) when the party wins ``s`` seats: the mandate-level quota is applied, not list order.

**Together.** Expected deputies, women and under-35s of a party are sums of expectations (linearity; exact given
the two halves' models). The distribution of a party's deputies convolves the list seats' distribution with its
district wins' distribution: the two halves are drawn independently (no swing shared between them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from tandau.core.candidates import Candidate, Sex
from tandau.core.seats.mandates import assign_mandates
from tandau.core.seats.mixed import INDEPENDENT, YOUNG_AGE, _match
from tandau.core.seats.presets import get_preset
from tandau.core.seats.simulate import SimulationResult, simulate
from tandau.core.systems.districts import CouncilSeats
from tandau.core.systems.registry import LevelSystem
from tandau.errors import InputError

FloatArray = Any
#: default uncertainty of a district vote-share estimate (standard deviation, in shares)
DEFAULT_DISTRICT_SIGMA = 0.05


@dataclass(frozen=True, slots=True)
class DistrictEstimate:
    """A candidate's expected share of the vote in a district (``sigma``: its standard deviation, None = default)."""

    district: str
    party: str
    share: float
    sigma: float | None = None
    id: str = ""
    name: str = ""
    sex: Sex | None = None
    birth_date: date | None = None
    file: str | None = None
    row: int | None = None

    def _error(self, problem: str, column: str) -> InputError:
        return InputError(problem, file=self.file, row=self.row, column=column,
                          parameter=None if self.file or self.row else "estimates")


@dataclass(frozen=True, slots=True)
class NomineeChance:
    """A district candidate's chance of winning the district."""

    district: str
    party: str
    id: str
    name: str
    share: float
    chance: float
    woman: bool | None
    young: bool | None

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"district": self.district, "party": self.party, "id": self.id or None, "name": self.name or None,
                "share": self.share, "chance": self.chance, "woman": self.woman, f"under_{YOUNG_AGE}": self.young}


def two_candidate_chance(share: float, sigma: float, rival: float, rival_sigma: float) -> float:
    """P(share + e₁ > rival + e₂) for independent normal errors: the normal approximation of a two-way race.

    >>> round(two_candidate_chance(0.55, 0.05, 0.45, 0.05), 4)
    0.9214
    >>> two_candidate_chance(0.5, 0.05, 0.5, 0.05)
    0.5
    """
    scale = math.sqrt(sigma * sigma + rival_sigma * rival_sigma)
    if scale == 0:
        return 1.0 if share > rival else 0.0 if share < rival else 0.5
    return 0.5 * (1.0 + math.erf((share - rival) / scale / math.sqrt(2.0)))


def _grouped(council: CouncilSeats, estimates: Sequence[DistrictEstimate]) -> list[list[DistrictEstimate]]:
    groups: dict[str, list[DistrictEstimate]] = {d.id: [] for d in council.districts}
    for e in estimates:
        did = _match(council, e.district)
        if did is None:
            raise e._error(f"unknown district {e.district!r} of council {council.council_id}", "district")
        if not e.party:
            raise e._error(f"empty party (self-nominated: {INDEPENDENT!r})", "party")
        if not (e.share >= 0 and math.isfinite(e.share)):
            raise e._error(f"a share must be a non-negative number, got {e.share!r}", "share")
        if e.sigma is not None and not (e.sigma >= 0 and math.isfinite(e.sigma)):
            raise e._error(f"sigma must be a non-negative number, got {e.sigma!r}", "sigma")
        if e.party != INDEPENDENT and any(x.party == e.party for x in groups[did]):
            raise e._error(f"party {e.party!r} already has a candidate in district {did}", "party")
        groups[did].append(e)
    empty = [did for did, g in groups.items() if not g]
    if empty:
        where = next((e.file for e in estimates if e.file), None)
        raise InputError(f"no candidate estimate for district(s) {', '.join(empty[:5])}"
                         + (f" and {len(empty) - 5} more" if len(empty) > 5 else ""), file=where,
                         parameter=None if where else "estimates")
    return [groups[d.id] for d in council.districts]


def district_chances(council: CouncilSeats, estimates: Sequence[DistrictEstimate], rng: np.random.Generator, *,
                     draws: int = 10_000, sigma: float = DEFAULT_DISTRICT_SIGMA,
                     swing: float = 0.0) -> tuple[tuple[DistrictEstimate, ...], FloatArray]:
    """Wins of every candidate in ``draws`` simulated district elections: (candidates in district order, a
    boolean matrix draws × candidates, exactly one win per district and draw).

    >>> from tandau.core.systems import CouncilSeats, District
    >>> c = CouncilSeats("C", "regional", 1, 0, (District("C-D01", "C", 1),))
    >>> cands, wins = district_chances(c, [DistrictEstimate("1", "A", 0.55), DistrictEstimate("1", "B", 0.45)],
    ...                                np.random.default_rng(0), draws=20_000)
    >>> round(float(wins[:, 0].mean()), 2)
    0.92
    """
    if draws < 1:
        raise InputError(f"draws must be positive, got {draws}", parameter="draws")
    if sigma < 0 or swing < 0:
        raise InputError("sigma and swing must be non-negative", parameter="sigma")
    groups = _grouped(council, estimates)
    cands = tuple(e for g in groups for e in g)
    shares = np.array([e.share for e in cands])
    sigmas = np.array([sigma if e.sigma is None else e.sigma for e in cands])
    noise = rng.normal(size=(draws, len(cands))) * sigmas[None, :]
    parties = sorted({e.party for e in cands if e.party != INDEPENDENT})
    swings = rng.normal(size=(draws, len(parties) + 1)) * swing
    swings[:, -1] = 0.0  # the self-nominated share no swing
    index = np.array([parties.index(e.party) if e.party != INDEPENDENT else len(parties) for e in cands])
    drawn = shares[None, :] + noise + swings[:, index]
    wins = np.zeros((draws, len(cands)), dtype=bool)
    start = 0
    rows = np.arange(draws)
    for g in groups:
        block = drawn[:, start:start + len(g)]
        wins[rows, start + block.argmax(axis=1)] = True
        start += len(g)
    return cands, wins


@dataclass(frozen=True)
class MixedSimulation:
    """Expected seats of every party in a mixed council, each district candidate's chance, and the expected women
    and under-35s among each party's deputies (None where an attribute of a possible deputy is unknown)."""

    council_id: str
    seats: int
    list_seats: int
    rules: str | None
    draws: int
    seed: int
    sigma: float
    swing: float
    mandate_rule: str
    parties: tuple[str, ...]
    expected_list: tuple[float, ...]
    expected_districts: tuple[float, ...]
    deputies_pmf: tuple[tuple[float, ...], ...]
    expected_women: tuple[float | None, ...]
    expected_young: tuple[float | None, ...]
    chances: tuple[NomineeChance, ...]
    list_result: SimulationResult | None

    def expected(self, party: str) -> float:
        """Expected deputies of ``party`` (list + districts)."""
        i = self.parties.index(party)
        return self.expected_list[i] + self.expected_districts[i]

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        parties = []
        for i, p in enumerate(self.parties):
            parties.append({
                "party": p, "expected_list": self.expected_list[i], "expected_districts": self.expected_districts[i],
                "expected_deputies": self.expected_list[i] + self.expected_districts[i],
                "expected_women": self.expected_women[i], f"expected_under_{YOUNG_AGE}": self.expected_young[i],
                "deputies_pmf": list(self.deputies_pmf[i]),
            })
        return {"council": self.council_id, "seats": self.seats, "list_seats": self.list_seats,
                "single_member": self.seats - self.list_seats, "rules": self.rules, "draws": self.draws,
                "seed": self.seed, "district_sigma": self.sigma, "swing": self.swing,
                "mandate_rule": self.mandate_rule, "parties": parties,
                "nominees": [c.as_data() for c in self.chances],
                "list": None if self.list_result is None else self.list_result.as_data()}


def _young(birth: date | None, day: date | None) -> bool | None:
    if birth is None or day is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day)) < YOUNG_AGE


def _list_groups(names: Sequence[Candidate], pmf: FloatArray, rule: str,
                 day: date | None) -> tuple[float | None, float | None]:
    """Expected women and under-35s among a list's mandate holders: Σ_s P(s) · count under the mandate rule."""
    women, young = 0.0, 0.0
    young_known = True
    for s, p in enumerate(pmf):
        if p == 0 or s == 0:
            continue
        held = assign_mandates(names, min(s, len(names)), rule, day).elected
        women += p * sum(c.sex == "F" for c in held)
        flags = [_young(c.birth_date, day) for c in held]
        young_known = young_known and None not in flags
        young += p * sum(bool(f) for f in flags)
    return women, (young if young_known else None)


def simulate_council(council: CouncilSeats, level: LevelSystem, expected: Mapping[str, float],
                     estimates: Sequence[DistrictEstimate], *, lists: Mapping[str, Sequence[Candidate]] | None = None,
                     mandate_rule: str = "kz-law-2022", election_day: date | None = None, other_share: float = 0.0,
                     draws: int = 10_000, seed: int = 0, concentration: float | None = 2_000.0,
                     list_sigma: float | None = None, sigma: float = DEFAULT_DISTRICT_SIGMA,
                     swing: float = 0.0) -> MixedSimulation:
    """Monte Carlo of a mixed council: the list half by ``simulate`` (``expected`` list shares, the level's preset),
    the districts by :func:`district_chances` (generator seeded with ``(seed, 1)``).

    >>> from tandau.core.systems import CouncilSeats, District, get_system
    >>> c = CouncilSeats("C", "regional", 4, 2, (District("C-D01", "C", 1), District("C-D02", "C", 2)))
    >>> est = [DistrictEstimate("1", "A", 0.6), DistrictEstimate("1", "B", 0.4),
    ...        DistrictEstimate("2", "A", 0.3), DistrictEstimate("2", "B", 0.7)]
    >>> r = simulate_council(c, get_system("kz-2023").level("regional"), {"A": 0.5, "B": 0.5}, est, draws=4000)
    >>> round(r.expected("A"), 1), round(r.expected("B"), 1)
    (2.0, 2.0)
    """
    day = election_day
    rules = level.seat_rules or None
    list_result: SimulationResult | None = None
    if council.list_seats:
        if rules is None:
            raise InputError(f"council {council.council_id} has list seats but its level has no preset",
                             parameter="system")
        preset = get_preset(rules)
        th = preset.threshold
        flags = {p: [{"woman": c.sex == "F", f"under_{YOUNG_AGE}": bool(_young(c.birth_date, day))} for c in names]
                 for p, names in (lists or {}).items()}
        unknown = [p for p in flags if p not in expected]
        if unknown:
            raise InputError(f"a list was given for {unknown[0]!r}, which has no expected list share",
                             parameter="lists")
        list_result = simulate(expected, council.list_seats, method=preset.method,
                               threshold=float(th.share) if th else 0.0,
                               other_share=other_share if th is None or th.base != "party-votes" else 0.0,
                               runner_up=bool(th and th.runner_up), draws=draws,
                               concentration=None if list_sigma is not None else concentration, sigma=list_sigma,
                               seed=seed, lists=flags)
    cands, wins = district_chances(council, estimates, np.random.default_rng([seed, 1]), draws=draws, sigma=sigma,
                                   swing=swing)
    chance = wins.mean(axis=0)
    parties = list(list_result.parties) if list_result is not None else []
    parties += [p for p in dict.fromkeys(e.party for e in cands) if p not in parties and p != INDEPENDENT]
    if any(e.party == INDEPENDENT for e in cands):
        parties.append(INDEPENDENT)
    exp_list, exp_dist, pmfs, women, young = [], [], [], [], []
    for p in parties:
        mine = np.array([e.party == p for e in cands])
        if list_result is not None and p in list_result.parties:
            i = list_result.parties.index(p)
            lpmf = np.array(list_result.seats_pmf[i])
            exp_list.append(list_result.seats_mean[i])
        else:
            lpmf = np.array([1.0])
            exp_list.append(0.0)
        won = wins[:, mine].sum(axis=1)
        dpmf = np.bincount(won, minlength=len(council.districts) + 1) / draws
        exp_dist.append(float(chance[mine].sum()))
        pmfs.append(tuple(float(x) for x in np.convolve(lpmf, dpmf)))
        lw: float | None
        ly: float | None
        names = (lists or {}).get(p)
        if names is not None:
            lw, ly = _list_groups(names, lpmf, mandate_rule, day)
        elif exp_list[-1] > 0:
            lw, ly = None, None
        else:
            lw, ly = 0.0, 0.0
        dw: float | None = 0.0
        dy: float | None = 0.0
        for e, ch in zip(cands, chance, strict=True):
            if e.party != p or ch == 0:
                continue
            yg = _young(e.birth_date, day)
            dw = None if dw is None or e.sex is None else dw + float(ch) * (e.sex == "F")
            dy = None if dy is None or yg is None else dy + float(ch) * yg
        women.append(None if lw is None or dw is None else lw + dw)
        young.append(None if ly is None or dy is None else ly + dy)
    chances = tuple(NomineeChance(_match(council, e.district) or e.district, e.party, e.id, e.name, e.share,
                                  float(ch), None if e.sex is None else e.sex == "F", _young(e.birth_date, day))
                    for e, ch in zip(cands, chance, strict=True))
    return MixedSimulation(council.council_id, council.seats, council.list_seats, rules, draws, seed, sigma, swing,
                           mandate_rule, tuple(parties), tuple(exp_list), tuple(exp_dist), tuple(pmfs), tuple(women),
                           tuple(young), chances, list_result)
