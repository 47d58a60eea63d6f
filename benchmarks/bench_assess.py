"""The national programme assessment (issue 12, quality bar): 20 regions × 30 indicators × 72 monthly reports.

    python benchmarks/bench_assess.py --json [--seed 1]

Writes a synthetic TARGETS.csv (600 regional series + 30 national ones rolled up from them; some with budgets,
weights and a revision) and REPORTS.csv (43,200 monthly rows 2020-2025 with money columns and a few revisions)
into a temporary directory, then times ``tandau control assess ... --format json`` in a subprocess, start-up
included. Target: under 5 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REGIONS = ["100000000", "110000000", "150000000", "190000000", "230000000", "270000000", "310000000", "330000000",
           "350000000", "390000000", "430000000", "470000000", "550000000", "590000000", "610000000", "620000000",
           "630000000", "710000000", "750000000", "790000000"]
TARGET_HEADER = ["programme", "indicator", "region", "unit", "kind", "direction", "baseline", "baseline_date",
                 "target", "deadline", "budget_kzt", "source", "weight", "frequency", "revised_at"]
REPORT_HEADER = ["programme", "indicator", "region", "period_end", "actual", "allocated_kzt", "adjusted_kzt",
                 "contracted_kzt", "paid_kzt", "reported_at"]


def month_ends(start: date, n: int) -> list[date]:
    out = []
    y, m = start.year, start.month
    for _ in range(n):
        m += 1
        if m > 12:
            y, m = y + 1, 1
        out.append(date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
    return out


def write_files(folder: Path, seed: int, regions: int = 20, indicators: int = 30, months: int = 72) -> tuple[Path,
                                                                                                            Path]:
    rng = random.Random(seed)
    baseline_date = date(2019, 12, 31)
    deadline = date(2025, 12, 31)
    ends = month_ends(date(2019, 12, 1), months)
    targets = folder / "TARGETS.csv"
    reports = folder / "REPORTS.csv"
    with targets.open("w", newline="", encoding="utf-8") as tf, reports.open("w", newline="", encoding="utf-8") as rf:
        tw, rw = csv.writer(tf), csv.writer(rf)
        tw.writerow(TARGET_HEADER)
        rw.writerow(REPORT_HEADER)
        for i in range(indicators):
            level = i % 5 == 4
            kind = "level" if level else "cumulative"
            tw.writerow(["bench", f"ind{i:02d}", "KZ", "u", kind, "increase", 50 if level else 0, baseline_date,
                         90 if level else 1000 * regions, deadline, "", "national", "", "monthly", ""])
            for code in REGIONS[:regions]:
                target = 90 if level else 1000
                budget = 1_000_000_000 if i % 2 == 0 else ""
                tw.writerow(["bench", f"ind{i:02d}", code, "u", kind, "increase", 50 if level else 0, baseline_date,
                             target, deadline, budget, "synthetic", "0.05", "monthly", ""])
                if i == 0:
                    tw.writerow(["bench", f"ind{i:02d}", code, "u", kind, "increase", 0, baseline_date, 900,
                                 date(2026, 6, 30), budget, "synthetic", "0.05", "monthly", "2023-03-01"])
                pace = (40 / 72 if level else 1000 / 72) * rng.uniform(0.6, 1.3)
                value = 50.0 if level else 0.0
                paid = 0.0
                for k, end in enumerate(ends):
                    if code in ("100000000", "330000000", "620000000") and end < date(2022, 6, 8):
                        continue
                    step = pace * rng.gammavariate(3.0, 1 / 3)
                    if rng.random() < 0.03:
                        step = 0.0
                    value += step if not level else step + rng.gauss(0, pace)
                    paid += 1_000_000_000 / 72 * rng.uniform(0.5, 1.6) * (3 if end.month == 12 else 1)
                    row = ["bench", f"ind{i:02d}", code, end, round(value, 3), 1_000_000_000, 1_000_000_000,
                           round(min(paid * 1.2, 1e9)), round(min(paid, 1e9)), ""]
                    rw.writerow(row)
                    if k % 24 == 5:
                        rw.writerow([*row[:4], round(value * 1.01, 3), *row[5:9], end + timedelta(days=40)])
    return targets, reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        targets, reports = write_files(Path(tmp), args.seed)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "tandau", "control", "assess", "--targets", str(targets),
                               "--reports", str(reports), "--as-of", "2025-06-30", "--format", "json"],
                              capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
    out = json.loads(proc.stdout)
    statuses: dict[str, int] = {}
    for a in out["assessments"]:
        statuses[a["status"]] = statuses.get(a["status"], 0) + 1
    flags: dict[str, int] = {}
    for f in out["flags"]:
        flags[f["code"]] = flags.get(f["code"], 0) + 1
    result = {"series": len(out["assessments"]), "seconds": round(seconds, 3), "statuses": statuses, "flags": flags}
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
