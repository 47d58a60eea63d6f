"""The vectorised approval reader counts exactly as the line-by-line reader, on random ids, and never hangs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings

from tandau.core.tally import Contestant
from tandau.io.ballots_csv import fast_approval_scores, format_ballots_csv, read_ballots_csv
from tests.property.strategies import ballot_files
from tests.timebound import finishes_within


@settings(max_examples=300, deadline=None)
@given(ballot_files())
def test_fast_reader_equals_line_reader_on_random_ids(case: tuple[dict[str, list[str]], list[tuple[str, list[str]]]]
                                                      ) -> None:
    ids, rows = case
    cands = {k: [Contestant(i, i) for i in v] for k, v in ids.items()}
    text = format_ballots_csv(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.csv"
        path.write_bytes(text.encode())
        fast, _ = finishes_within(10.0, lambda: read_ballots_csv(path, candidates=cands, need_ballots=False))
        slow = read_ballots_csv(path, candidates=cands, need_ballots=True)
    assert {k: (p.approvals(), p.total) for k, p in fast.items()} == {
        k: (p.approvals(), p.total) for k, p in slow.items()}
    scores, _ = finishes_within(10.0, lambda: fast_approval_scores(text.encode(), cands, None))
    simple = all(len(x.encode()) <= 8 and x.isascii() and min(x) >= "-" for x in (*ids, *(i for v in ids.values()
                                                                                           for i in v)))
    if simple and all(len(v) <= 64 for v in ids.values()):
        assert scores is not None, "well-formed ids of at most 8 bytes take the vectorised path"
