"""Benchmark: form every council's list of the scale-1 national scenario under nur-otan-2019 + kz-law-2022.

Prints one JSON object with --json: councils, positions, seconds (list formation only, explanations off),
seconds_with_explanations, and identical_to_exact (every council's list equals the one found by the
independent integer-programming solver, tandau.core.lists.ilp, which shares no code with the search).

    python benchmarks/bench_lists.py --json [--scale 1] [--seed 2020] [--no-exact]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

from tandau.core.lists import ListRequest, form_list, vote_order
from tandau.core.lists.ilp import lexicographic_ilp
from tandau.core.rules import combine, get_preset
from tandau.io.scenario_files import read_scenario
from tandau.services.scenario import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--no-exact", action="store_true", help="skip the (slow) ILP cross-check")
    args = parser.parse_args()
    rules = combine((get_preset("nur-otan-2019"), get_preset("kz-law-2022"))).rules
    with tempfile.TemporaryDirectory() as tmp:
        # members do not enter list formation; the candidates are those of the full scenario at this scale
        generate(Path(tmp), seed=args.seed, scale=args.scale, write_members=False)
        scenario = read_scenario(Path(tmp))
    requests = [
        ListRequest(c.candidates, rules, min(c.list_length, len(c.candidates)), scenario.election_date,
                    explain=False)
        for c in scenario.councils
    ]
    started = time.perf_counter()
    results = [form_list(r) for r in requests]
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    for r in requests:
        form_list(ListRequest(r.candidates, r.rules, r.length, r.election_date, explain=True))
    seconds_explained = time.perf_counter() - started
    identical: bool | None = None
    exact_seconds = None
    if not args.no_exact:
        started = time.perf_counter()
        identical = True
        for req, res in zip(requests, results, strict=True):
            ordered, _ = vote_order(req.candidates, "nomination-order")
            picks = lexicographic_ilp(ordered, req.rules, req.length, req.election_date)
            if picks is None or tuple(ordered[i].id for i in picks) != res.ids:
                identical = False
        exact_seconds = time.perf_counter() - started
    out = {
        "councils": len(results),
        "positions": sum(len(r.entries) for r in results),
        "candidates": sum(len(r.candidates) for r in requests),
        "seconds": round(seconds, 3),
        "seconds_with_explanations": round(seconds_explained, 3),
        "identical_to_exact": identical,
        "exact_solver_seconds": None if exact_seconds is None else round(exact_seconds, 1),
        "search_nodes": sum(r.search_nodes for r in results),
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
    }
    print(json.dumps(out) if args.json else json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
