"""National roll-ups (sum of cumulative values, weighted mean of levels) and the ranking of regions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from tandau.core.control.programmes import Report, ReportSeries, Target, TargetSeries, assess_board, roll_up

NAT = Target("p", "share", "KZ", "%", "level", "increase", D(50), date(2020, 12, 31), D(90), date(2022, 12, 31))
A = replace(NAT, region="110000000", weight=D(3))
B = replace(NAT, region="150000000", weight=D(1))


def rep(region: str, day: date, value: str, paid: str | None = None) -> Report:
    return Report("p", "share", region, day, D(value), paid_kzt=None if paid is None else D(paid))


def test_level_roll_up_is_weighted_and_carries_the_latest_values() -> None:
    ra = [rep("110000000", date(2021, 1, 31), "60", "10"), rep("110000000", date(2021, 3, 31), "70", "30")]
    rb = [rep("150000000", date(2021, 2, 28), "40")]
    out = roll_up(NAT, {"110000000": (A, ra), "150000000": (B, rb)})
    assert [(r.period_end, r.actual, r.paid_kzt) for r in out] == [
        (date(2021, 1, 31), D(3 * 60 + 50) / 4, D(10)),  # B still at its baseline
        (date(2021, 2, 28), D(3 * 60 + 40) / 4, D(10)),
        (date(2021, 3, 31), D(3 * 70 + 40) / 4, D(30)),
    ]


def test_cumulative_roll_up_sums() -> None:
    nat = replace(NAT, kind="cumulative", baseline=D(0), target=D(100))
    a, b = replace(nat, region="110000000"), replace(nat, region="150000000", baseline=D(5))
    out = roll_up(nat, {"1": (a, [rep("110000000", date(2021, 1, 31), "10")]), "2": (b, [])})
    assert [r.actual for r in out] == [D(15)]


def test_board_rolls_up_the_national_series_and_ranks_regions() -> None:
    targets = {t.key: TargetSeries((t,)) for t in (NAT, A, B)}
    good = [rep("110000000", date(2021, m, 28), str(50 + 2 * m)) for m in range(1, 7)]
    poor = [rep("150000000", date(2021, m, 28), str(50 + m // 3)) for m in range(1, 7)]
    reports = {A.key: ReportSeries(tuple(good)), B.key: ReportSeries(tuple(poor))}
    board = assess_board(targets, reports, date(2021, 7, 1))
    assert [a.region for a in board.assessments] == ["110000000", "150000000", "KZ"]
    national = board.assessments[-1]
    assert national.actual == (D(62) * 3 + D(52)) / 4
    assert [r.region for r in board.ranking] == ["110000000", "150000000"]
    assert board.ranking[0].rank == 1 and board.ranking[1].off_track == 1
