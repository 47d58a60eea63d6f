"""Near-duplicate grouping of proposals (issue 13, item 6): 20,000 synthetic proposals, about 30% of them one-word
edits of an earlier one, grouped by :func:`tandau.core.proposal_groups.group`. Target: a few seconds (the demo
regroups its 20,000 proposals). Moved here from the unit tests (the issue: each timed target is a benchmark).

    python benchmarks/bench_proposal_groups.py [--n 20000] [--seed 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tandau.core.proposal_groups import group

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test's generator: one synthetic set, not two
from tests.unit.proposals_intake.test_proposal_groups import _synthetic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    items = _synthetic(args.n, seed=args.seed)
    started = time.perf_counter()
    found = group(items)
    took = time.perf_counter() - started
    result = {"proposals": args.n, "grouped": len(found), "groups": len(set(found.values())),
              "seconds": round(took, 2)}
    print(json.dumps(result) if args.json else f"{args.n} proposals: {len(found)} grouped in "
          f"{result['groups']} groups, {took:.2f} s")


if __name__ == "__main__":
    main()
