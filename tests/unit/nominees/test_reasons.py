"""Nominee reasons: a registry of codes, reasons that fit it, and every code emitted by some selection or refusal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from fractions import Fraction

import pytest

from tandau.core.candidates import Candidate
from tandau.core.nominees import (
    CODES,
    District,
    NomineeReason,
    NomineeRequest,
    NomineesInfeasibleError,
    nominee_reason,
    select_nominees,
)
from tandau.core.reasons import Reason
from tandau.core.rules import MEN, WOMEN, Balance, Quota, under

DAY = date(2026, 3, 15)


def _d(did: str, *spec: tuple[str, str, int, int]) -> District:
    return District(did, tuple(Candidate(cid, f"N {cid}", sex, date(born, 1, 1), votes, order=k)  # type: ignore[arg-type]
                               for k, (cid, sex, votes, born) in enumerate(spec)))


COUNCIL = tuple(_d(str(k), (f"m{k}", "M", 9, 1960), (f"f{k}", "F", 5, 1960), (f"y{k}", "M", 1, 1999))
                for k in range(1, 7))
REQUESTS = [
    NomineeRequest(COUNCIL, (Quota(WOMEN, share=Fraction(1, 2), origin="a"), Quota(under(35), count=2, origin="b")),
                   DAY, pins=(("1", "y1"),), exclude=frozenset({"m2"})),
    NomineeRequest(COUNCIL, (Quota(MEN, bound="max", count=4, origin="c"),), DAY),
    NomineeRequest(COUNCIL, (Quota(MEN, bound="max", share=Fraction(1, 2), origin="d"),), DAY),
    NomineeRequest(COUNCIL, (Balance(gap=0, origin="e"),), DAY),
    NomineeRequest(COUNCIL, (Quota(WOMEN, share=Fraction(1, 2), origin="f"),), DAY,
                   exclude=frozenset({"f1", "f2", "f3", "f4"})),
    NomineeRequest(COUNCIL, (Quota(MEN, bound="max", count=0, origin="k"),), DAY, exclude=frozenset({"f1"})),
    NomineeRequest(COUNCIL, (Quota(WOMEN, bound="max", count=0, origin="g"), Quota(MEN, bound="max", count=0,
                                                                                    origin="h")), DAY),
    NomineeRequest(COUNCIL, (Quota(WOMEN, count=6, origin="i"),), DAY, pins=(("1", "m1"),)),
    NomineeRequest(COUNCIL, (), DAY, exclude=frozenset({"m3", "f3", "y3"})),
    NomineeRequest(COUNCIL[:1], (Balance(gap=0, origin="l"),), DAY),
]


def _corpus() -> Iterator[NomineeReason]:
    for request in REQUESTS:
        try:
            result = select_nominees(request)
        except NomineesInfeasibleError as exc:
            yield exc.summary
            yield from exc.reasons
        else:
            yield from (n.why for n in result.nominees if n.why is not None)


def _walk(r: NomineeReason) -> Iterator[NomineeReason]:
    yield r
    for value in r.params.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, NomineeReason):
                yield from _walk(item)


def test_the_registry_is_consistent() -> None:
    for code, (_family, kinds) in CODES.items():
        assert code == code.lower() and " " not in code and code.startswith("nominee")
        assert set(kinds.values()) <= {"int", "name", "percent", "rule", "rules", "group", "whys"}


def test_a_reason_must_fit_the_registry() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        nominee_reason("nominee_moved", "x")
    with pytest.raises(ValueError, match="takes"):
        nominee_reason("nominees_refused", "x")
    with pytest.raises(ValueError, match="is not a group"):
        nominee_reason("nominee_why_min_count", "x", group=WOMEN.reason().params.get("x", "women"), count=1,
                       origin="")


def test_every_code_is_emitted_and_each_text_nests_its_parameters() -> None:
    seen = {r.code for top in _corpus() for r in _walk(top)}
    assert seen == set(CODES), sorted(set(CODES) - seen)
    for top in _corpus():
        for r in _walk(top):
            for value in r.params.values():
                for item in value if isinstance(value, tuple) else (value,):
                    if isinstance(item, Reason | NomineeReason):
                        assert item.text in r.text, (r.code, item.code)
