"""The dynamic programme agrees with an independent integer programme on larger random sets."""

from __future__ import annotations

from datetime import date
from functools import partial
from random import Random

import pytest

import tandau.core.nominees.problem as problem_module
from tandau.core.candidates import Candidate
from tandau.core.nominees import District, NomineeRequest, NomineesInfeasibleError, select_nominees
from tandau.core.nominees.dp import solve
from tandau.core.nominees.ilp import select_ilp
from tandau.core.rules import combine, get_preset

ELECTION = date(2026, 3, 15)
PRESETS = [("nur-otan-2019",), ("kz-law-2022",), ("nur-otan-2019", "kz-law-2022"), ("pl-2011",), ("be-2002-set",)]


def _instance(seed: int, size: int) -> tuple[District, ...]:
    rng = Random(seed)
    women, young = rng.uniform(0.1, 0.5), rng.uniform(0.05, 0.3)
    out, k = [], 0
    for d in range(size):
        cands = []
        for _ in range(rng.randint(1, 5)):
            year = ELECTION.year - (rng.randint(25, 34) if rng.random() < young else rng.randint(35, 70))
            tags = frozenset({"disability"}) if rng.random() < 0.03 else frozenset()
            cands.append(Candidate(f"c{k}", f"C {k}", "F" if rng.random() < women else "M", date(year, 1, 2),
                                   rng.randint(0, 60), tags, order=k))
            k += 1
        out.append(District(str(d + 1), tuple(cands)))
    return tuple(out)


def _rules(ids: tuple[str, ...]):  # type: ignore[no-untyped-def]
    if ids == ("be-2002-set",):  # be-2002's balance alone (its first-two-places rule is positional)
        return tuple(r for r in get_preset("be-2002").rules if r.kind == "balance")
    return combine(tuple(get_preset(i) for i in ids)).rules


@pytest.mark.parametrize("method", ["auto", "moves"])
@pytest.mark.parametrize("seed", range(40))
def test_dp_equals_ilp(seed: int, method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both programmes (the need vector, and the gains over the base choice used for large sets) against the ILP."""
    monkeypatch.setattr(problem_module, "solve", partial(solve, method=method))
    rng = Random(1000 + seed)
    ds = _instance(seed, rng.randint(8, 40))
    rules = _rules(PRESETS[seed % len(PRESETS)])
    everyone = [c for d in ds for c in d.candidates]
    exclude = frozenset(c.id for c in rng.sample(everyone, k=len(everyone) // 15))
    pins = tuple((d.id, next(c.id for c in d.candidates if c.id not in exclude)) for d in ds
                 if rng.random() < 0.08 and any(c.id not in exclude for c in d.candidates))
    request = NomineeRequest(ds, rules, ELECTION, pins, exclude)
    try:
        ranks: tuple[int, ...] | None = select_nominees(request).ranks
    except NomineesInfeasibleError:
        ranks = None
    assert ranks == select_ilp(request)
