"""Procurement red flags at scale (issue 12, quality bar): 100,000 generated OCDS releases through the CLI.

    python benchmarks/bench_control.py --json [--releases 100000] [--seed 1] [--keep FILE]

Generates compiled releases (about 1.2 KB each, ~120 MB for 100,000: tender with period and method, buyer,
procuring entity, 2-8 bids with statuses, tenderers, values and dates, 1-2 awards with suppliers and classified
items) into a temporary file, then times ``tandau control flags FILE --settings SETTINGS.ini --format json`` in a
subprocess, start-up included, with every indicator enabled. Target: under 3 s (2 s stretch).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = """no_price_comparison_procurement_methods = Random Selection
[exclusions]
procurement_method_details = Excluded
[R003]
[R018]
[R024]
[R025]
[R028]
[R030]
[R035]
[R036]
[R038]
[R048]
[R058]
"""
STATUSES = ["valid"] * 6 + ["disqualified", "disqualified", "pending", "withdrawn"]
DETAILS = ["Open tender"] * 12 + ["Request for quotations"] * 6 + ["Random Selection", "Excluded"]


def release(rng: random.Random, n: int) -> dict[str, object]:
    day = rng.randrange(1, 28)
    tenderers = [f"KZ-BIN-{rng.randrange(20_000):06d}" for _ in range(rng.randrange(2, 6))]
    bids = []
    for i, tenderer in enumerate(tenderers):
        bids.append({
            "id": f"{n}-bid-{i}", "status": rng.choice(STATUSES), "date": f"2024-03-{day + rng.randrange(0, 3):02d}"
            f"T{rng.randrange(24):02d}:00:00Z",
            "tenderers": [{"id": tenderer}],
            "value": {"amount": rng.choice([100_000, 105_000, 110_000, 111_000, 125_000, 1_000]) + rng.randrange(50),
                      "currency": "KZT"},
        })
    winner = rng.choice(tenderers)
    awards = [{
        "id": f"{n}-award-1", "status": rng.choice(["active"] * 8 + ["cancelled", "pending"]),
        "date": f"2024-04-{day:02d}T10:00:00Z",
        "suppliers": [{"id": winner, "name": f"TOO {winner[-4:]}"}],
        "items": [{"id": str(k), "description": "СМР",
                   "classification": {"scheme": "CPV", "id": f"{rng.randrange(10, 99)}{rng.randrange(10**6):06d}"},
                   "quantity": rng.randrange(1, 100)} for k in range(rng.randrange(1, 3))],
    }]
    buyer = f"KZ-GOV-{rng.randrange(400):04d}"
    return {
        "ocid": f"ocds-kz0000-{n:08d}", "id": f"{n}-1", "date": "2024-04-01T00:00:00Z", "tag": ["compiled"],
        "initiationType": "tender",
        "buyer": {"id": buyer, "name": f"ГУ ОС {buyer[-4:]}"},
        "tender": {
            "id": f"{n}", "title": "Водопровод", "status":
            rng.choice(["active"] * 19 + ["cancelled"]), "procurementMethod": rng.choice(["open", "selective",
                                                                                       "limited", "direct"]),
            "procurementMethodDetails": rng.choice(DETAILS), "numberOfTenderers": len(tenderers) if rng.random()
            < 0.9 else 1, "procuringEntity": {"id": buyer, "name": "ГУ"},
            "tenderPeriod": {"startDate": f"2024-03-{day:02d}T09:00:00+05:00",
                             "endDate": f"2024-03-{min(day + rng.randrange(3, 25), 28):02d}T18:00:00+05:00"},
        },
        "bids": {"details": bids},
        "awards": awards,
    }


def write_releases(path: Path, count: int, seed: int) -> int:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps(release(rng, n), ensure_ascii=False, separators=(",", ":")) + "\n")
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write (or reuse) the releases here instead of a temporary file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = args.keep or folder / "releases.jsonl"
        size = data.stat().st_size if data.exists() else write_releases(data, args.releases, args.seed)
        settings = folder / "settings.ini"
        settings.write_text(SETTINGS, encoding="utf-8")
        tandau = Path(sys.executable).with_name("tandau")
        started = time.perf_counter()
        done = subprocess.run([str(tandau), "control", "flags", str(data), "--settings", str(settings),
                               "--format", "json"], capture_output=True, check=True)
        seconds = time.perf_counter() - started
    result = json.loads(done.stdout)
    flagged = {group: len(ids) for group, ids in result.items() if group != "Meta"}
    report = {"releases": args.releases, "bytes": size, "seconds": round(seconds, 3), "flagged": flagged,
              "summary": done.stderr.decode().strip().splitlines()[-1]}
    print(json.dumps(report, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))


if __name__ == "__main__":
    main()
