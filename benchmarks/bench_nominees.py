"""Benchmark: every council's single-member nominees in a synthetic national kz-2023 scenario, under nur-otan-2019.

Councils and their single-member districts come from the kz-2023 districting of the 2023 layout
(tandau.core.systems.derive_districts): every city and district maslikhat's seats are single-member, regional
and republican-city maslikhats half, the Majilis 29 (3,127 districts in all). Each district gets 2-5
candidates with random votes, sexes (women a minority of candidates, as in real primaries) and ages, seeded.
Each council's nominees are selected by the dynamic programme (tandau.core.nominees, explanations and checks
included) and compared with the independent integer programme (tandau.core.nominees.ilp), which shares no code
with it.

    python benchmarks/bench_nominees.py --json [--seed 2023] [--no-exact] [--by-region | --whole-country]

Prints one JSON object with --json: districts, seconds (the selection of every council), identical_to_exact
(every council's nominees, or refusal, equal to the ILP's), and details (councils, departures, refusals, the
ILP's seconds). --by-region selects once per region instead (every council of a region as one set),
--whole-country once for the whole country (the large-set programme).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import date
from random import Random

from tandau.core.candidates import Candidate
from tandau.core.nominees import District, NomineeRequest, NomineesInfeasibleError, select_nominees
from tandau.core.nominees.ilp import select_ilp
from tandau.core.rules import get_preset
from tandau.core.systems import derive_districts, get_system
from tandau.io.territory import load_kz

ELECTION = date(2027, 3, 21)


def scenario(seed: int, by: str = "council") -> list[tuple[str, tuple[District, ...]]]:
    """(set id, districts) for every council with single-member seats (``by``: or every region, or the country)."""
    rng = Random(seed)
    territory = load_kz("2023")
    regions = {c.id: c.region_id or c.id for c in territory.councils}
    sets: dict[str, list[District]] = {}
    k = 0
    for council in derive_districts(territory, get_system("kz-2023")).councils:
        key = {"council": council.council_id, "region": regions[council.council_id], "country": "KZ"}[by]
        for district in council.districts:
            cands = []
            for _ in range(rng.randint(2, 5)):
                young = rng.random() < 0.18
                age = rng.randint(25, 34) if young else rng.randint(35, 68)
                born = date(ELECTION.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
                sex = "F" if rng.random() < 0.3 else "M"
                tags = frozenset({"disability"}) if rng.random() < 0.02 else frozenset()
                cands.append(Candidate(f"c{k}", f"Candidate {k}", sex, born, rng.randint(0, 400), tags,  # type: ignore[arg-type]
                                       order=k))
                k += 1
            sets.setdefault(key, []).append(District(district.id, tuple(cands)))
    return [(key, tuple(ds)) for key, ds in sets.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--no-exact", action="store_true", help="skip the ILP cross-check")
    parser.add_argument("--by-region", action="store_true", help="one set per region instead of per council")
    parser.add_argument("--whole-country", action="store_true", help="the whole country as one set")
    args = parser.parse_args()
    rules = get_preset("nur-otan-2019").rules
    by = "country" if args.whole_country else "region" if args.by_region else "council"
    sets = scenario(args.seed, by)
    requests = [NomineeRequest(ds, rules, ELECTION) for _, ds in sets]
    start = time.perf_counter()
    outcomes: list[tuple[int, ...] | None] = []
    departures = 0
    for request in requests:
        try:
            result = select_nominees(request)
        except NomineesInfeasibleError:
            outcomes.append(None)
            continue
        outcomes.append(result.ranks)
        departures += result.departures
    seconds = time.perf_counter() - start
    identical: bool | None = None
    exact_seconds = None
    if not args.no_exact:
        start = time.perf_counter()
        identical = all(select_ilp(r) == o for r, o in zip(requests, outcomes, strict=True))
        exact_seconds = round(time.perf_counter() - start, 3)
    districts = sum(len(r.districts) for r in requests)
    out = {"districts": districts, "seconds": round(seconds, 3), "identical_to_exact": identical,
           "details": {"sets": len(requests), "by": by,
                       "departures": departures, "refused": sum(1 for o in outcomes if o is None),
                       "candidates": sum(len(d.candidates) for r in requests for d in r.districts),
                       "exact_seconds": exact_seconds, "rules": "nur-otan-2019", "seed": args.seed,
                       "python": platform.python_version(), "machine": platform.machine()}}
    if args.json:
        print(json.dumps(out))
    else:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
