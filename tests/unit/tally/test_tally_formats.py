"""Ballot formats: BLT, PrefLib, approval CSV (fast and line-by-line readers agree), bulletin board."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tandau.core.tally import Contestant, new_tracking_code
from tandau.io.ballots_csv import fast_approval_scores, format_ballots_csv, read_ballots_csv
from tandau.io.blt import BallotFileError, format_blt, parse_blt
from tandau.io.bulletin import header_object, parse_bulletin
from tandau.io.preflib import parse_preflib

GLASGOW = Path(__file__).parents[2] / "vectors" / "glasgow" / "data"


def test_blt_round_trip_on_a_glasgow_ward() -> None:
    e = parse_blt((GLASGOW / "Calton-2007.blt").read_text(encoding="utf-8"))
    again = parse_blt(format_blt(e.profile, e.seats))
    assert again.profile.ballots == e.profile.ballots
    assert [c.name for c in again.profile.candidates] == [c.name for c in e.profile.candidates]
    assert (again.seats, e.profile.total) == (3, 5199)


def test_blt_rejects_bad_lines_and_counts_nothing() -> None:
    text = '3 1\n1 1 2 0\n2 1 1 0\n1 4 0\n1 2 3\n0\n"A"\n"B"\n"C"\n"T"\n'
    with pytest.raises(BallotFileError) as exc:
        parse_blt(text, file="x.blt")
    assert [n for n, _ in exc.value.rejections] == [3, 4, 5]
    assert "x.blt" in str(exc.value)
    assert "ranked twice" in exc.value.rejections[0][1]


def test_blt_withdrawn_candidates_are_skipped() -> None:
    e = parse_blt('3 1\n-2\n4 2 1 0\n3 3 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    assert [c.id for c in e.profile.candidates] == ["1", "3"]
    assert e.profile.ballots == (((0,), 4), ((1,), 3))
    assert e.withdrawn == ("B",)


def test_preflib_toi_cuts_at_ties() -> None:
    text = "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: Ann\n3: 1,2,3\n2: 2,{1,3}\n1: {1,2}\n"
    e = parse_preflib(text)
    assert e.profile.candidates[0].name == "Ann"
    assert dict(e.profile.ballots) == {(0, 1, 2): 3, (1,): 2}
    assert e.truncated == 3
    with pytest.raises(BallotFileError):
        parse_preflib("# NUMBER ALTERNATIVES: 2\n1: 1,1\n")


def _cands() -> dict[str, list[Contestant]]:
    return {k: [Contestant(f"{k}c{i}", f"N{i}") for i in range(10)] for k in ("A", "B")}


def test_csv_fast_reader_agrees_with_line_reader(tmp_path: Path) -> None:
    rng = random.Random(3)
    cands = _cands()
    rows = []
    for _ in range(500):
        k = rng.choice("AB")
        rows.append((k, [c.id for c in rng.sample(cands[k], rng.randint(0, 4))]))
    p = tmp_path / "b.csv"
    p.write_text(format_ballots_csv(rows), encoding="utf-8")
    fast = read_ballots_csv(p, candidates=cands, max_marks=4, need_ballots=False)
    slow = read_ballots_csv(p, candidates=cands, max_marks=4, need_ballots=True)
    assert fast_approval_scores(p.read_bytes(), cands, 4) is not None
    for k in ("A", "B"):
        assert fast[k].approvals() == slow[k].approvals()
        assert fast[k].total == slow[k].total == sum(1 for c, _ in rows if c == k)


@pytest.mark.parametrize(("line", "reason"), [
    ("A,Ac1 Ac1", "twice"), ("A,Ac1 Bc1", "unknown candidate"), ("C,Ac1", "unknown contest"),
    ("A,Ac1 Ac2 Ac3", "overvote"), ("A;Ac1", "expected"), ("A,Ac1  Ac2", "empty mark"),
])
def test_csv_rejects_bad_ballots_with_line_numbers(tmp_path: Path, line: str, reason: str) -> None:
    p = tmp_path / "b.csv"
    p.write_text(f"contest,marks\nA,Ac1\n{line}\n", encoding="utf-8")
    for need in (True, False):
        with pytest.raises(BallotFileError) as exc:
            read_ballots_csv(p, candidates=_cands(), max_marks=2, need_ballots=need)
        assert exc.value.rejections[0][0] == 3
        assert reason in exc.value.rejections[0][1]


def _bulletin_lines(ballots: list[list[str]], *, rule: str = "approval", count: int | None = None) -> list[str]:
    cands = [Contestant(x, x.upper(), sex="F" if x in "ac" else "M") for x in "abcd"]
    head = header_object(contest_id="k1", contest_name="K", rule=rule, seats=2, max_marks=3, candidates=cands,
                         election_date=None, ballot_count=len(ballots) if count is None else count,
                         elected=[], ranking=[], counts=None)
    rng = random.Random(1)
    key = "marks" if rule == "approval" else "ranking"
    return [json.dumps(head)] + [json.dumps({"tracker": new_tracking_code(rng), key: b}) for b in ballots]


def test_bulletin_parse_collects_problems_by_kind() -> None:
    lines = _bulletin_lines([["a", "b"], ["c"], []])
    lines.append(json.dumps({"tracker": "NOT-A-CODE", "marks": ["a"]}))
    lines.append('{"tracker": ')
    lines.append(json.dumps({"tracker": "7K2M-9QXD-P4RT-HB3W", "marks": ["a", "z"]}))
    b = parse_bulletin(lines)
    assert b.profile.total == 4
    assert [n for n, _ in b.tracker_problems] == [5]
    assert [n for n, _ in b.malformed] == [6, 7]
