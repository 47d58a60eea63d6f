"""Benchmark the counting engine: 2,000,000 approval ballots from CSV, and the 21 Glasgow wards by Scottish STV.

Usage: ``python benchmarks/bench_tally.py [--json] [--ballots N]``. The approval ballots are generated (seeded)
into a temporary directory: 100 contests of 20 candidates, about 8 marks per ballot; timing covers reading the
file (vectorised reader, full validation) and counting every contest. The STV timing covers counting the 21 wards
(profiles already parsed) with ``stv-scottish`` and with pref_voting's ``stv_scottish``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from tandau.core.tally import count
from tandau.io.ballots_csv import read_ballots_csv, read_candidates_csv
from tandau.io.blt import read_blt

GLASGOW = Path(__file__).resolve().parents[1] / "tests" / "vectors" / "glasgow" / "data"
CONTESTS, PER_CONTEST, MARKS = 100, 20, 8


def generate(directory: Path, ballots: int, seed: int = 2020) -> tuple[Path, Path]:
    """Write candidates.csv and ballots.csv (contest ids K000.., candidate ids K000C00..)."""
    rng = np.random.default_rng(seed)
    cands = directory / "candidates.csv"
    rows = ["contest,id,name,sex,birth_date,tags"]
    rows += [f"K{k:03d},K{k:03d}C{c:02d},Candidate {k}-{c},{'FM'[c % 2]},," for k in range(CONTESTS)
             for c in range(PER_CONTEST)]
    cands.write_text("\n".join(rows) + "\n", encoding="utf-8")
    contest = rng.integers(0, CONTESTS, ballots)
    n_marks = np.clip(rng.poisson(MARKS, ballots), 0, 12)
    # distinct marks: take the first n of a random permutation (argsort of random keys, biased to low ids)
    keys = rng.random((ballots, PER_CONTEST)) * np.linspace(1.0, 2.0, PER_CONTEST)
    perm = np.argsort(keys, axis=1)[:, :12]
    tokens = np.array([f"C{c:02d}" for c in range(PER_CONTEST)])
    contest_ids = np.array([f"K{k:03d}" for k in range(CONTESTS)])
    path = directory / "ballots.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("contest,marks\n")
        chunk = 200_000
        for start in range(0, ballots, chunk):
            stop = min(start + chunk, ballots)
            lines = []
            for i in range(start, stop):
                k = contest_ids[contest[i]]
                lines.append(k + "," + " ".join(k + t for t in tokens[perm[i, :n_marks[i]]]))
            fh.write("\n".join(lines) + "\n")
    return cands, path


def bench_approval(ballots: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cands_path, path = generate(Path(tmp), ballots)
        cands = read_candidates_csv(cands_path)
        start = time.perf_counter()
        profiles = read_ballots_csv(path, candidates=cands, max_marks=12, need_ballots=False)
        total = 0
        for profile in profiles.values():
            count("approval", profile, 5)
            total += profile.total
        return total, time.perf_counter() - start


def _pv_profile(profile):  # type: ignore[no-untyped-def]
    from pref_voting.profiles_with_ties import ProfileWithTies

    rankings = [{c: pos + 1 for pos, c in enumerate(r)} for r, _ in profile.ballots]
    counts = [c for _, c in profile.ballots]
    return ProfileWithTies(rankings, rcounts=counts, candidates=list(range(profile.n_candidates)))


def bench_stv() -> tuple[float, float, bool]:
    from pref_voting.proportional_methods import stv_scottish

    wards = [read_blt(p) for p in sorted(GLASGOW.glob("*.blt"))]
    count("stv-scottish", wards[0].profile, wards[0].seats)  # warm the registry
    start = time.perf_counter()
    ours = [set(count("stv-scottish", w.profile, w.seats).elected) for w in wards]
    ours_s = time.perf_counter() - start
    profiles = [_pv_profile(w.profile) for w in wards]
    start = time.perf_counter()
    theirs = [stv_scottish(p, num_seats=w.seats) for p, w in zip(profiles, wards, strict=True)]
    theirs_s = time.perf_counter() - start
    same = all(o == {w.profile.candidates[i].id for i in t} for o, t, w in zip(ours, theirs, wards, strict=True))
    return ours_s, theirs_s, same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ballots", type=int, default=2_000_000)
    args = parser.parse_args()
    n, approval_s = bench_approval(args.ballots)
    stv_s, pv_s, same = bench_stv()
    out = {"approval_ballots": n, "approval_seconds": round(approval_s, 3), "stv_seconds": round(stv_s, 4),
           "pref_voting_stv_seconds": round(pv_s, 4), "identical_winners": same}
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
