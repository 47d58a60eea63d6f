"""The seat simulator extended to single-member districts (issue 11, item 4): each of the party's nominees'
chance of winning their district, the distribution of the districts the party wins, and the expected women and
under-35s among its district deputies.

The council's nominees come from the workspace (:mod:`tandau.services.council_nominees`); each district is
simulated by :func:`tandau.core.seats.mixed_sim.district_chances`: the party's nominee and one candidate per other
party, each with the expected share given (the same in every district), a normal error of ``sigma`` per candidate
and a party-wide ``swing`` shared by the party's candidates across the council (the districts of a council rise
and fall together). The winner of a draw is the candidate with the largest share. Draws use an explicit seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from tandau.core.seats.mixed_sim import DistrictEstimate, district_chances
from tandau.core.systems.districts import CouncilSeats, District
from tandau.errors import InputError
from tandau.services import council_nominees as cn
from tandau.services.district_primaries import Person
from tandau.services.primaries.access import Actor
from tandau.services.workspace import DEFAULT_SHARES, OUR_PARTY

__all__ = ["DEFAULT_SHARES", "OUR_PARTY", "DistrictChance", "DistrictChances", "simulate_districts"]

YOUTH_UNDER = 35
MAX_DRAWS = 20_000


@dataclass(frozen=True, slots=True)
class DistrictChance:
    """A district's row: number, the party's nominee (None: no nominee yet) and the chance of winning it."""

    district_id: str
    number: int
    nominee: Person | None
    chance: float | None


@dataclass(frozen=True, slots=True)
class DistrictChances:
    """The simulation of a council's districts and its inputs."""

    nominees: cn.CouncilNominees
    share: float
    rivals: dict[str, float]
    sigma: float
    swing: float
    draws: int
    seed: int
    rows: tuple[DistrictChance, ...]
    seats_pmf: tuple[float, ...]  # P(the party wins k districts), k = 0..districts

    @property
    def expected_seats(self) -> float:
        return sum(r.chance or 0.0 for r in self.rows)

    @property
    def expected_women(self) -> float:
        return sum(r.chance or 0.0 for r in self.rows if r.nominee is not None and r.nominee.sex == "F")

    @property
    def expected_young(self) -> float:
        return sum(r.chance or 0.0 for r in self.rows if r.nominee is not None and r.nominee.age < YOUTH_UNDER)


def _check(name: str, value: float, low: float, high: float) -> float:
    if not (math.isfinite(value) and low <= value <= high):
        raise InputError(f"{name} must lie in [{low}, {high}], got {value}", parameter=name)
    return value


def simulate_districts(
    session: Session, actor: Actor, cycle_id: str | None, council_id: str, *, share: float | None = None,
    rivals: Mapping[str, float] | None = None, sigma: float = 0.08, swing: float = 0.03, draws: int = 4_000,
    seed: int = 1,
) -> DistrictChances:
    """Chances of the council's nominees (readable councils only; see :func:`council_nominees`)."""
    nominees = cn.council_nominees(session, actor, cycle_id, council_id)
    ours = _check("share", DEFAULT_SHARES[OUR_PARTY] if share is None else share, 0.0, 1.0)
    others = dict({p: v for p, v in DEFAULT_SHARES.items() if p != OUR_PARTY} if rivals is None else rivals)
    for party, value in others.items():
        _check(f"share_{party}", value, 0.0, 1.0)
    _check("sigma", sigma, 0.0, 0.5)
    _check("swing", swing, 0.0, 0.5)
    if not 100 <= draws <= MAX_DRAWS:
        raise InputError(f"draws must lie between 100 and {MAX_DRAWS}, got {draws}", parameter="draws")
    if seed < 0:
        raise InputError(f"seed must be a whole number from 0, got {seed}", parameter="seed")
    council = CouncilSeats(council_id, nominees.council.level, len(nominees.districts), 0, tuple(
        District(d.primary.district_id, council_id, d.primary.number) for d in nominees.districts))
    estimates: list[DistrictEstimate] = []
    for d in nominees.districts:
        if d.nominee is not None:
            estimates.append(DistrictEstimate(d.primary.district_id, OUR_PARTY, ours, id=d.nominee.id,
                                              name=d.nominee.name))
        estimates += [DistrictEstimate(d.primary.district_id, party, value) for party, value in others.items()]
    cands, wins = district_chances(council, estimates, np.random.default_rng(seed), draws=draws, sigma=sigma,
                                   swing=swing)
    ours_at = {e.district: i for i, e in enumerate(cands) if e.party == OUR_PARTY}
    rows = tuple(DistrictChance(d.primary.district_id, d.primary.number, d.nominee,
                                float(wins[:, ours_at[d.primary.district_id]].mean())
                                if d.primary.district_id in ours_at else None) for d in nominees.districts)
    won = wins[:, sorted(ours_at.values())].sum(axis=1) if ours_at else np.zeros(draws, dtype=int)
    pmf = np.bincount(won.astype(int), minlength=len(rows) + 1) / draws
    return DistrictChances(nominees, ours, others, sigma, swing, draws, seed, rows, tuple(float(p) for p in pmf))
