"""Seat allocation benchmark: tandau (one batch subprocess, start-up included) against votelib, same cases.

    python benchmarks/bench_seats.py --json [--cases 50000] [--seed 1]

Cases: 2–20 parties, 5–150 seats, methods dhondt, sainte-lague, hare, droop, a threshold (0, 3%, 5% or 7% of
the party votes) in half of them; votes 1,000–2,000,000 per list so that exact ties are vanishingly rare (votelib
reports a tie as a ``Tie`` object; such cases, if any, are counted and left out of ``identical``).
Also measures simulated national elections (every council, vectorised Monte Carlo) per minute.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

METHODS = {"dhondt": ("HighestAverages", "d_hondt"), "sainte-lague": ("HighestAverages", "sainte_lague"),
           "hare": ("LargestRemainder", "hare"), "droop": ("LargestRemainder", "droop")}


def make_cases(n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    cases: list[dict[str, object]] = []
    for _ in range(n):
        k = rng.randint(2, 20)
        votes = {f"P{i + 1}": rng.randint(1_000, 2_000_000) for i in range(k)}
        case: dict[str, object] = {"votes": votes, "seats": rng.randint(5, 150), "method": rng.choice(list(METHODS))}
        if rng.random() < 0.5:
            case["threshold"] = rng.choice([0.03, 0.05, 0.07])
        cases.append(case)
    return cases


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tandau(cases: list[dict[str, object]]) -> tuple[float, float, list[dict[str, int]]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
        cpu0, start = _children_cpu(), time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "tandau", "seats", "allocate", "--batch", str(path)],
                              capture_output=True, text=True, check=True)
        elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    return elapsed, cpu, [json.loads(line).get("seats", {}) for line in proc.stdout.splitlines()]


def run_votelib(cases: list[dict[str, object]]) -> tuple[float, float, list[dict[str, int] | None]]:
    import votelib.evaluate.core as core
    import votelib.evaluate.proportional as prop
    import votelib.evaluate.threshold as thr

    evaluators = {m: getattr(prop, cls)(arg) for m, (cls, arg) in METHODS.items()}
    out: list[dict[str, int] | None] = []
    cpu0, start = time.process_time(), time.perf_counter()
    for case in cases:
        votes: dict[str, int] = case["votes"]  # type: ignore[assignment]
        share = case.get("threshold")
        if share:
            admitted = thr.RelativeThreshold(Fraction(str(share))).evaluate(votes)
            votes_in = {p: votes[p] for p in admitted}
        else:
            votes_in = votes
        res = evaluators[str(case["method"])].evaluate(votes_in, case["seats"])
        if any(isinstance(k, core.Tie) for k in res):
            out.append(None)
            continue
        out.append({p: res.get(p, 0) for p in votes})
    return time.perf_counter() - start, time.process_time() - cpu0, out


def national_per_minute(draws: int, seed: int) -> dict[str, float]:
    from tandau.core.seats.simulate import simulate_national, synthetic_councils

    councils = synthetic_councils(seed=seed)
    start = time.perf_counter()
    simulate_national(councils, draws=draws, seed=seed)
    elapsed = time.perf_counter() - start
    return {"councils": len(councils), "draws": draws, "seconds": round(elapsed, 3),
            "national_elections_per_minute": round(draws / elapsed * 60)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--cases", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--draws", type=int, default=20_000, help="national Monte Carlo draws")
    args = ap.parse_args()
    cases = make_cases(args.cases, args.seed)
    t_secs, t_cpu, t_res = run_tandau(cases)
    v_secs, v_cpu, v_res = run_votelib(cases)
    ties = sum(r is None for r in v_res)
    identical = len(t_res) == len(cases) and all(v is None or t == v for t, v in zip(t_res, v_res, strict=True))
    report: dict[str, object] = {"cases": len(cases), "tandau_seconds": round(t_secs, 3),
                                 "votelib_seconds": round(v_secs, 3), "identical": identical,
                                 "speedup": round(v_secs / t_secs, 1), "tandau_cpu_seconds": round(t_cpu, 3),
                                 "votelib_cpu_seconds": round(v_cpu, 3), "cpu_speedup": round(v_cpu / t_cpu, 1),
                                 "votelib_ties_excluded": ties}
    try:
        report["simulation"] = national_per_minute(args.draws, args.seed)
    except ImportError as exc:
        report["simulation"] = f"unavailable: {exc}"
    if args.json:
        print(json.dumps(report))
    else:
        for k, v in report.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
