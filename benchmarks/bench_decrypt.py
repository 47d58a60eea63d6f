"""Decrypting a large sealed contest: how long the key holders' step takes after close (issue 10).

Seeds one sealed contest with ``--ballots`` sealed ballots (boxes made with the contest's public key, written in
bulk: the voting path itself is measured by load_vote.py), closes it, then times
:func:`tandau.services.primaries.keys.decrypt_contest` (open every box, keep each member's last cast, shuffle,
write fresh rows, delete the sealed ones, one transaction) and the rewrite of the sealed table. Loopback only;
a throw-away database. ``python benchmarks/bench_decrypt.py --ballots 200000 [--sqlite] [--json]``
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tandau.core.tally.tracking import new_tracking_code
from tandau.services.primaries import contests, keys, sealing
from tandau.store import make_engine, session_factory
from tandau.store.models import ElectionKey, Participation, SealedBallot
from web_bench_common import CENTRAL, CONTEST, SHARES, database, machine, seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=200_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with database(args.sqlite) as url:
        members = seed(url, args.ballots)
        engine = make_engine(url)
        sessions = session_factory(engine)
        with sessions() as s:
            key = s.query(ElectionKey).one()
            public = bytes.fromhex(key.public_key)
            cands = list(s.execute(text("SELECT member_id FROM nominations WHERE contest_id = :c"),
                                   {"c": CONTEST}).scalars())
            pad = sealing.padded_length(cands, 2)
            rng = secrets.SystemRandom()
            t0 = time.perf_counter()
            rows = [{"contest_id": CONTEST, "member_id": m, "cast_no": 1,
                     "box": sealing.seal(public, new_tracking_code(rng), rng.sample(cands, 2), pad)} for m in members]
            seal_s = time.perf_counter() - t0
            for start in range(0, len(rows), 10_000):
                s.execute(insert(SealedBallot), rows[start:start + 10_000])
                s.execute(insert(Participation), [{"member_id": r["member_id"], "contest_id": CONTEST,
                                                   "voted_on": key.created_at.date()}
                                                  for r in rows[start:start + 10_000]])
            s.commit()
            contests.close_contest(s, CENTRAL, CONTEST, early=True)
        private = sealing.combine([share for _, share in list(SHARES.items())[:2]], key.public_key)
        with sessions() as s:
            t0 = time.perf_counter()
            done = keys.decrypt_contest(s, CENTRAL, CONTEST, private)
            decrypt_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        keys.purge_sealed(engine)
        purge_s = time.perf_counter() - t0
        engine.dispose()
    result = {"backend": "sqlite" if args.sqlite else "postgresql", "ballots": done.counted,
              "seal_seconds": round(seal_s, 2), "decrypt_seconds": round(decrypt_s, 2),
              "ballots_per_second": round(done.counted / decrypt_s), "rewrite_seconds": round(purge_s, 2),
              **machine()}
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
