"""Every structured reason the list engine gives on the statute vectors and on seeded random requests.

Shared by the reason tests: the vectors' builds and checks (tests/vectors/lists), then, for every preset, seeded
random pools formed at several lengths with pins, exclusions, seat-safe mode, the other objectives and lengths no
list can meet, so that moves, pins, objectives, warnings and refusals all occur.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cache

from tandau.core.candidates import Candidate
from tandau.core.lists import ListInfeasibleError, ListRequest, Pin, form_list
from tandau.core.reasons import Reason
from tandau.core.rules import WOMEN, Alternation, Group, Quota, check_list, get_preset, preset_ids, under
from tandau.errors import InputError
from tests.vectors.lists.test_list_vectors import VECTORS, _pins

ELECTION = date(2026, 3, 15)
# Rules no preset has (as a RULES.toml may write them): a negated group, an intersection, a maximum count, a
# window, a first place, alternation starting with a man.
OLDER = Group("30-or-older", age_under=30, negate=True)
YOUNG_WOMEN = Group("young-women", all_of=(WOMEN, under(35)))
HAND_MADE = (
    (Quota(OLDER, bound="max", count=3, origin="hand"), Quota(YOUNG_WOMEN, count=1, scope="first", size=3)),
    (Alternation(start="M"), Quota(WOMEN, count=2, scope="window", size=4, origin="hand")),
    (Quota(WOMEN, count=1, scope="first", size=1),),
)


def _result_reasons(request: ListRequest) -> Iterator[Reason]:
    try:
        result = form_list(request)
    except ListInfeasibleError as exc:  # any other refusal would be unstructured: let it fail the test
        yield exc.summary
        yield from exc.reasons
        return
    except InputError:  # a request the engine rejects (e.g. too few candidates after exclusions): no reason
        return
    for entry in (*result.entries, *result.left_off):
        if entry.why is not None:
            yield entry.why
    for check in result.checks:
        yield check.label_reason
        yield check.detail_reason
        yield from (v.why for v in check.violations if v.why is not None)
    yield from result.warning_reasons


def _pool(rng: random.Random, size: int) -> tuple[Candidate, ...]:
    tags = ["disability", "minority", "repatriate", "media"]
    return tuple(
        Candidate(
            f"c{i:02d}",
            f"Name {i}",
            rng.choice("FMMM" if rng.random() < 0.5 else "FM"),
            date(rng.randint(1955, 2004), rng.randint(1, 12), 1),
            1000 - 7 * i,
            frozenset(t for t in tags if rng.random() < 0.12),
            order=i,
        )
        for i in range(size)
    )


def _requests() -> Iterator[ListRequest]:
    for vec in VECTORS:
        for case in vec.data.get("build", []):
            yield ListRequest(
                vec.candidates,
                vec.rules(case),
                case["length"],
                vec.election_date,
                pins=_pins(case.get("pins", [])),
                exclude=frozenset(case.get("exclude", [])),
                objective=case.get("objective", "lexicographic"),
                seat_safe=case.get("seat_safe", False),
                seat_safe_from=case.get("seat_safe_from", 2),
            )
    rng = random.Random(20260315)
    for rules in [*(get_preset(p).rules for p in preset_ids()), *HAND_MADE]:
        for _ in range(4):
            pool = _pool(rng, rng.randint(8, 16))
            length = rng.randint(3, len(pool))
            base = ListRequest(pool, rules, length, ELECTION, likely_seats=max(1, length // 3))
            yield base
            yield replace(base, seat_safe=True)
            yield replace(base, objective=rng.choice(["min-swaps", "min-max-demotion"]))
            last = pool[-1].id
            yield replace(base, pins=(Pin(last, position=1),))
            yield replace(base, pins=(Pin(last, within=2), Pin(pool[-2].id, position=length)))
            yield replace(base, pins=(Pin(last, within=1), Pin(pool[-2].id, within=1)))
            yield replace(base, exclude=frozenset(c.id for c in pool if c.sex == "F"), length=min(length, 3))
            few_women = tuple(c for c in pool if c.sex == "M") + tuple(c for c in pool if c.sex == "F")[:1]
            yield replace(base, candidates=few_women, length=min(len(few_women), max(3, length)))


@cache
def corpus() -> tuple[Reason, ...]:
    """Every reason of every request (duplicates kept), and the checker's on the vectors' check cases and on
    random lists under the hand-made rules."""
    out: list[Reason] = []
    for request in _requests():
        out.extend(_result_reasons(request))
    checked = [
        (vec.pick(case["list"]), vec.rules(case), vec.election_date)
        for vec in VECTORS
        for case in vec.data.get("check", [])
    ]
    rng = random.Random(7)
    checked += [(_pool(rng, 9), rules, ELECTION) for rules in HAND_MADE for _ in range(6)]
    for listed, rules, day in checked:
        for check in check_list(listed, rules, day):
            out.extend((check.label_reason, check.detail_reason))
            out.extend(v.why for v in check.violations if v.why is not None)
    return tuple(out)


def walk(reason: Reason) -> Iterator[Reason]:
    """``reason`` and every reason nested in its parameters."""
    yield reason
    for value in reason.params.values():
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, Reason):
                yield from walk(item)
