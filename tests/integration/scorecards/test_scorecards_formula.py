"""The formula by hand: each component's rate, the renormalised weights, the comparability threshold, and the
scorecards of the seeded world (conftest.py) worked out independently of the service."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction as F
from pathlib import Path

import pytest

from tandau.core.scorecards import (
    COMPONENTS,
    MIN_RECORDS,
    component,
    expected_receptions,
    explain,
    satisfaction_rate,
    score,
)
from tandau.services.control.data import import_control
from tandau.services.scorecards.compute import SubjectCard, compute
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS, AS_OF


def test_weighted_mean_over_components_with_records() -> None:
    card = score([component("attendance", 3, 4), component("appeals_on_time", 1, 2),
                  component("commitments", 0, 0, note="not linkable")])
    # (2 × 3/4 + 2 × 1/2) / 4: commitments have no record and drop out, the weights renormalised over 4
    assert card.score == F(5, 8)
    assert card.effective == {"attendance": F(1, 2), "appeals_on_time": F(1, 2)}
    assert card.n == 6 and not card.comparable
    assert explain(card) == "score = (2 × 0.750 [attendance] + 2 × 0.500 [appeals_on_time]) / 4 = 0.625"


def test_no_record_no_score() -> None:
    card = score([component("attendance", 0, 0)])
    assert card.score is None and card.n == 0 and not card.comparable


@pytest.mark.parametrize(("n", "comparable"), [(MIN_RECORDS - 1, False), (MIN_RECORDS, True), (MIN_RECORDS + 1, True)])
def test_comparability_threshold(n: int, comparable: bool) -> None:
    assert score([component("attendance", n, n)]).comparable is comparable
    # the threshold is on the total over components
    split = [component("attendance", 1, n - 1), component("cases_resolved", 1, 1)]
    assert score(split).comparable is comparable


def test_satisfaction_and_receptions() -> None:
    assert satisfaction_rate([1]).value == 0 and satisfaction_rate([5]).value == 1
    assert satisfaction_rate([5, 4, 2]).value == F((4 + 3 + 1), 12)  # mean 11/3: (11/3 - 1) / 4 = 8/12
    assert expected_receptions(91) == 1 and expected_receptions(182) == 2 and expected_receptions(90) == 1
    assert component("receptions", 3, 4).value == F(3, 4)
    with pytest.raises(ValueError):
        satisfaction_rate([6])
    with pytest.raises(KeyError):
        component("popularity", 1, 1)


def test_weights_are_documented() -> None:
    assert {name: spec.weight for name, spec in COMPONENTS.items()} == {
        "attendance": 2, "inquiries": 1, "receptions": 1, "appeals_on_time": 2, "satisfaction": 1,
        "cases_resolved": 1, "commitments": 2}


def _cards(db: Db) -> dict[tuple[str, str], SubjectCard]:
    with db.Session() as s:
        return {(c.kind, c.subject): c for c in compute(s, ACTORS["central"], as_of=AS_OF)}


def _values(card: SubjectCard) -> dict[str, tuple[F | None, int]]:
    return {m.name: (m.value, m.n) for m in card.card.components}


def test_a_deputy_by_hand(db: Db) -> None:
    card = _cards(db)[("deputy", "M-75-L01")]
    assert _values(card) == {"attendance": (F(6, 8), 8), "inquiries": (F(1, 2), 2), "receptions": (F(3, 4), 4),
                             "appeals_on_time": (F(3, 4), 4), "satisfaction": (F(7, 8), 2),
                             "cases_resolved": (F(1, 2), 2), "commitments": (None, 0)}
    # (2×6/8 + 1×1/2 + 1×3/4 + 2×3/4 + 1×7/8 + 1×1/2) / 8 = 5.625 / 8
    assert card.card.score == F(45, 64)
    assert card.card.n == 22 and card.card.comparable
    assert card.links["commitments"] == "/deputies/d/M-75-L01#commitments"  # none named: n = 0, the link unused
    assert card.links["appeals_on_time"] == "/appeals/queue?handler=p1"
    assert card.links["attendance"] == "/deputies/d/M-75-L01"


def test_a_deputy_with_few_records_is_not_comparable(db: Db) -> None:
    card = _cards(db)[("deputy", "M-75-L02")]
    # attendance 3/3 (n 3), receptions 0 of 4 expected (n 4): (2×1 + 1×0) / 3
    assert card.card.score == F(2, 3)
    assert card.card.n == 7 and not card.card.comparable


def test_a_faction_pools_its_deputies(db: Db) -> None:
    card = _cards(db)[("faction", "M-75")]
    values = _values(card)
    assert values["attendance"] == (F(9, 11), 11)
    assert values["receptions"] == (F(3, 8), 8)  # two mandates of 365 days: 8 quarters
    expected = (2 * F(9, 11) + F(1, 2) + F(3, 8) + 2 * F(3, 4) + F(7, 8) + F(1, 2)) / 8
    assert card.card.score == expected
    assert card.links["cases_resolved"] == "/control/cases?territory=750000000"


def test_a_branch_and_an_akim(db: Db) -> None:
    cards = _cards(db)
    branch = cards[("branch", "750000000")]
    assert _values(branch)["appeals_on_time"] == (F(1), 2)
    assert _values(branch)["cases_resolved"] == (F(0), 1)
    assert branch.card.score == F(2, 3) and not branch.card.comparable
    assert _values(branch)["attendance"] == (None, 0)
    akim = cards[("akim", "akim-1")]
    assert _values(akim)["appeals_on_time"] == (F(0), 1)
    assert _values(akim)["cases_resolved"] == (F(0), 1)
    assert akim.card.score == 0
    assert akim.links["appeals_on_time"] == "/appeals/queue?territory=751110000&status=redirected"


def test_the_reader_sees_their_territory_only(db: Db) -> None:
    with db.Session() as s:
        mine = {c.subject for c in compute(s, ACTORS["sec-region"], as_of=AS_OF)}
        assert mine == {"M-19-L01", "M-19"}
        assert {c.subject for c in compute(s, ACTORS["dep-almaty"], kind="deputy", as_of=AS_OF)} == {
            "M-75-L01", "M-75-L02"}


SOURCE = '"election programme M-75, commitment {}, territory 750000000"'
TARGETS = "\n".join([
    "programme,indicator,region,unit,kind,direction,baseline,baseline_date,target,deadline,budget_kzt,source",
    "M-75,roads,750000000,km,cumulative,increase,0,2024-01-01,100,2026-12-31,," + SOURCE.format("D-1"),
    "M-75,schools,750000000,schools,cumulative,increase,0,2024-01-01,10,2025-12-31,," + SOURCE.format("D-2"),
]) + "\n"
REPORTS = """programme,indicator,region,period_end,actual,allocated_kzt,adjusted_kzt,contracted_kzt,paid_kzt
M-75,roads,750000000,2025-06-30,100,,,,
M-75,schools,750000000,2025-06-30,1,,,,
"""


def test_commitments_read_the_control_board(db: Db, tmp_path: Path) -> None:
    """The council's programme targets: roads reached its target (achieved), schools one of ten after its
    deadline (off track): 1 of 2 on track or achieved, for the faction and for the region's branch."""
    (tmp_path / "T.csv").write_text(TARGETS, encoding="utf-8")
    (tmp_path / "R.csv").write_text(REPORTS, encoding="utf-8")
    with db.Session() as s:
        import_control(s, ACTORS["central"], targets=tmp_path / "T.csv", reports=tmp_path / "R.csv",
                       now=datetime(2026, 3, 1, tzinfo=UTC))
        s.commit()
    cards = _cards(db)
    for key in (("faction", "M-75"), ("branch", "750000000")):
        assert _values(cards[key])["commitments"] == (F(1, 2), 2), key
    assert _values(cards[("faction", "M-19")])["commitments"] == (None, 0)
    faction = cards[("faction", "M-75")]
    assert faction.links["commitments"] == "/control/regions/750000000?programme=M-75"
