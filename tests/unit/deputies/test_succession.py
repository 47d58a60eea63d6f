"""The successor of a list mandate against a brute-force reading of the rule, and the activity summary."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.candidates import Candidate
from tandau.core.deputies import Record, quota_needed, successor, summarise
from tandau.errors import InputError

DAY = date(2023, 3, 19)


def _group(c: Candidate) -> bool:
    return c.sex == "F" or "disability" in c.tags or (c.birth_date is not None and c.birth_date > date(1994, 3, 19))


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Candidate], list[str], str, list[str]]:
    n = draw(st.integers(2, 14))
    people = []
    for i in range(n):
        sex = draw(st.sampled_from("FM"))
        young = draw(st.booleans())
        tags = frozenset({"disability"}) if draw(st.integers(0, 9)) == 0 else frozenset()
        people.append(Candidate(f"c{i}", f"c{i}", sex, date(2000, 1, 1) if young else date(1970, 1, 1), 0, tags, i))
    seats = draw(st.integers(1, n - 1))
    holders = [c.id for c in draw(st.permutations(people))[:seats]]
    vacating = draw(st.sampled_from(holders))
    rest = [c.id for c in people if c.id not in holders]
    used = draw(st.lists(st.sampled_from(rest), unique=True, max_size=len(rest))) if rest else []
    return people, holders, vacating, used


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_successor_is_the_first_name_that_keeps_the_quota_it_can(case: tuple[list[Candidate], list[str], str,
                                                                                 list[str]]) -> None:
    people, holders, vacating, used = case
    got = successor(people, holders, vacating, used=used, election_day=DAY)
    by_id = {c.id: c for c in people}
    free = [c for c in people if c.id not in set(holders) | set(used)]
    held_rest = sum(_group(by_id[h]) for h in holders if h != vacating)
    needed = math.ceil(0.3 * len(holders))
    assert got.needed == needed == quota_needed(len(holders))
    if not free:
        assert got.successor is None and got.reason == "exhausted"
        return
    target = min(needed, held_rest + any(_group(c) for c in free))
    expected = next(c for c in free if held_rest + _group(c) >= target)
    assert got.successor == expected
    assert got.held_after == held_rest + _group(expected)
    assert got.reason == ("next-on-list" if expected == free[0] else "quota")
    assert list(got.skipped) == [c.id for c in free[:free.index(expected)]]


def test_bad_calls_are_refused() -> None:
    people = [Candidate(str(i), str(i), "M", None, 0, frozenset(), i) for i in range(3)]
    with pytest.raises(InputError):
        successor(people, ["0"], "9")
    with pytest.raises(InputError):
        successor(people, ["0"], "1")


def test_summary_counts_within_the_period() -> None:
    d = date(2024, 5, 1)
    rows = [Record("session", d, attended=True), Record("session", date(2022, 1, 1), attended=True),
            Record("reception", d, people=7), Record("report_to_voters", d, people=40),
            Record("vote", d, choice="for"), Record("inquiry", d)]
    s = summarise(rows, since=date(2023, 1, 1), until=date(2024, 12, 31))
    assert (s.sessions, s.receptions, s.people_received, s.reports, s.votes_cast, s.inquiries,
            s.inquiries_answered) == (1, 1, 7, 1, 1, 1, 0)
    assert s.attendance == 1.0 and summarise([]).attendance is None
