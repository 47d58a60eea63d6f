"""The vectorised approval reader never loops without bound (issue 10, Scope 9): random ids, UUIDs and 10,000
distinct ids a file are counted in well under a second, and always as the line-by-line reader counts them."""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tandau.core.tally import Contestant
from tandau.io.ballots_csv import (
    HASH_MAX_BITS,
    HASH_TRIES_PER_SIZE,
    _pack_ids,
    _perfect_hash,
    fast_approval_scores,
    format_ballots_csv,
    read_ballots_csv,
)
from tests.timebound import finishes_within

BOUND = 10.0  # seconds: generous on a loaded CI machine, still far from a hang
ALNUM = string.ascii_letters + string.digits


def _random_id(rng: random.Random) -> str:
    return "".join(rng.choice(ALNUM) for _ in range(8))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


def _file(tmp_path: Path, contests: int, per: int, make_id: Callable[[random.Random], str], ballots: int = 3000,
          seed: int = 1) -> tuple[Path, dict[str, list[Contestant]], list[tuple[str, list[str]]]]:
    rng = random.Random(seed)
    ids = set()
    cands: dict[str, list[Contestant]] = {}
    for k in range(contests):
        mine = []
        while len(mine) < per:
            cid = make_id(rng)
            if cid not in ids:
                ids.add(cid)
                mine.append(Contestant(cid, cid))
        cands[f"K{k}"] = mine
    rows = []
    for _ in range(ballots):
        k = rng.choice(list(cands))
        rows.append((k, [c.id for c in rng.sample(cands[k], rng.randint(0, min(4, per)))]))
    path = tmp_path / "ballots.csv"
    path.write_text(format_ballots_csv(rows), encoding="utf-8")
    return path, cands, rows


def _expected(cands: dict[str, list[Contestant]], rows: list[tuple[str, list[str]]]
              ) -> dict[str, tuple[list[int], int]]:
    out = {k: ([0] * len(v), 0) for k, v in cands.items()}
    for k, marks in rows:
        scores, n = out[k]
        for m in marks:
            scores[[c.id for c in cands[k]].index(m)] += 1
        out[k] = (scores, n + 1)
    return {k: v for k, v in out.items() if v[1]}


@pytest.mark.parametrize(("contests", "per", "make_id", "fast"), [
    (10, 20, _random_id, True),      # the file of the issue: it never finished
    (1, 64, _random_id, True),       # the most candidates a contest may have on the fast path
    (200, 50, _random_id, True),     # 10,000 distinct ids, a dense (contest, id) table
    (2000, 5, _random_id, True),     # 10,000 distinct ids over many contests: the sorted (contest, id) list
    (10, 20, _uuid, False),          # ids longer than 8 bytes: the line-by-line reader, at once
], ids=["issue-10x20", "1x64", "200x50", "2000x5", "uuid"])
def test_random_ids_count_quickly_and_correctly(tmp_path: Path, contests: int, per: int,
                                                make_id: Callable[[random.Random], str], fast: bool) -> None:
    path, cands, rows = _file(tmp_path, contests, per, make_id)
    data = path.read_bytes()
    scores, elapsed = finishes_within(BOUND, lambda: fast_approval_scores(data, cands, None))
    assert (scores is not None) is fast
    assert elapsed < 2.0, f"the fast reader took {elapsed:.2f} s"
    profiles, elapsed = finishes_within(BOUND, lambda: read_ballots_csv(path, candidates=cands, need_ballots=False))
    assert elapsed < 3.0, f"reading took {elapsed:.2f} s"
    expected = _expected(cands, rows)
    assert {k: (list(p.approvals()), p.total) for k, p in profiles.items()} == expected
    if scores is not None:
        assert {k: ([int(x) for x in s], n) for k, (s, n) in scores.items()} == expected


def test_perfect_hash_gives_up_after_bounded_tries_and_separates_when_it_succeeds() -> None:
    rng = np.random.default_rng(5)
    many = np.unique(rng.integers(1, 2**63, 10_000, dtype=np.uint64))
    assert finishes_within(BOUND, lambda: _perfect_hash(many))[0] is None  # 10,000 random keys: binary search
    few = _pack_ids([f"K{k:03d}C{c:02d}" for k in range(100) for c in range(20)])  # structured ids: a table
    found = _perfect_hash(few)
    assert found is not None
    mult, shift, table = found
    slots = (few * mult) >> shift
    assert len(np.unique(slots)) == len(few)
    assert list(table[slots.astype(np.int64)]) == list(range(len(few)))
    assert len(table) <= 2**HASH_MAX_BITS
    assert HASH_TRIES_PER_SIZE * HASH_MAX_BITS < 1000  # a bound, not a hope


def test_ids_that_pack_alike_go_to_the_line_reader(tmp_path: Path) -> None:
    cands = {"K": [Contestant("a", "A"), Contestant("a\0", "A0")]}
    data = b"contest,marks\nK,a\n"
    assert fast_approval_scores(data, cands, None) is None
