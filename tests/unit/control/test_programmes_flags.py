"""Programme red flags P01-P09 on hand-checked series (issue 12, item 4), and their TOML settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest

from tandau.core.control.programmes import FlagSettings, Report, Target, TargetSeries, assess_series
from tandau.core.control.programmes.flags import Flag
from tandau.errors import InputError
from tandau.io.flag_settings import parse_flag_settings, read_flag_settings

REGION = "110000000"
T = Target("p", "i", REGION, "u", "cumulative", "increase", D(0), date(2020, 12, 31), D(120), date(2021, 12, 31),
           budget_kzt=D(1000))


def month_end(year: int, month: int) -> date:
    return date.fromordinal(date(year + month // 12, month % 12 + 1, 1).toordinal() - 1)


def r(month: int, actual: str, *, paid: str | None = None, contracted: str | None = None,
      adjusted: str | None = None, year: int = 2021, region: str = REGION) -> Report:
    def m(x: str | None) -> D | None:
        return None if x is None else D(x)

    return Report("p", "i", region, month_end(year, month), D(actual), None, m(adjusted), m(contracted), m(paid))


def flags(reports: list[Report], as_of: date, target: Target = T, *, versions: tuple[Target, ...] = (),
          settings: FlagSettings | None = None) -> dict[str, Flag]:
    history = TargetSeries((target, *versions))
    _, found = assess_series(history, reports, as_of, settings or FlagSettings())
    return {f.code: f for f in found}


def on_track(months: int) -> list[Report]:
    return [r(m, str(10 * m)) for m in range(1, months + 1)]


def test_a_series_on_its_trajectory_fires_nothing() -> None:
    assert flags(on_track(6), date(2021, 7, 1)) == {}


def test_p01_money_ahead_of_works_is_exact_at_the_threshold() -> None:
    # progress 12/120 = 0.1; paid 300/1000 = 0.3: the gap is exactly 0.20 (a float subtraction gives 0.19999...)
    fired = flags([r(1, "12", paid="300")], date(2021, 2, 1))
    assert fired["P01"].data == {"period_end": "2021-01-31", "paid_kzt": 300, "budget_kzt": 1000,
                                 "paid_share": 0.3, "progress": 0.1, "gap": 0.2}
    assert "P01" not in flags([r(1, "12", paid="299")], date(2021, 2, 1))
    run = [r(1, "12", paid="100"), r(2, "20", paid="400"), r(3, "30", paid="500")]
    assert flags(run, date(2021, 4, 1))["P01"].first_date == date(2021, 2, 28)
    assert "P01" not in flags(run, date(2021, 4, 1), replace(T, budget_kzt=None))


def test_p02_paid_above_contracted_or_contracted_above_adjusted() -> None:
    fired = flags([r(1, "10", paid="50", contracted="40", adjusted="100")], date(2021, 2, 1))["P02"]
    assert (fired.data["which"], fired.first_date) == ("paid_above_contracted", date(2021, 1, 31))
    fired = flags([r(1, "10", paid="30", contracted="140", adjusted="100")], date(2021, 2, 1))["P02"]
    assert fired.data["which"] == "contracted_above_adjusted"
    assert "P02" not in flags([r(1, "10", paid="40", contracted="40", adjusted="40")], date(2021, 2, 1))


@pytest.mark.parametrize(("december", "fires"), [("100", True), ("95", False), ("93", False)])
def test_p03_year_end_rush(december: str, fires: bool) -> None:
    # 2021 payments: 70 (75) by November, December the rest: 30/100 = 0.30 fires; 20/95 = 0.21, 23/93 = 0.247 not
    nov = "70" if december != "95" else "75"
    reports = [*(r(m, str(10 * m), paid=str(7 * m)) for m in range(1, 10)), r(10, "100", paid="70"),
               r(11, "110", paid=nov), r(12, "120", paid=december)]
    fired = flags(reports, date(2022, 1, 1))
    assert ("P03" in fired) == fires
    if fires:
        assert fired["P03"].first_date == date(2021, 12, 31)
        assert fired["P03"].data["december_share"] == 0.3


def test_p03_needs_monthly_data() -> None:
    quarterly = replace(T, frequency="quarterly")
    reports = [r(3, "30", paid="10"), r(6, "60", paid="20"), r(9, "90", paid="30"), r(12, "120", paid="100")]
    assert "P03" not in flags(reports, date(2022, 1, 1), quarterly)


def test_p04_behind_trajectory_at_the_latest_two_reports() -> None:
    # trajectory 120 × days/365; tolerance 10% of 120 = 12
    line = {m: Fraction(120 * (month_end(2021, m) - T.baseline_date).days, 365) for m in range(1, 13)}
    behind = [r(m, str(int(line[m]) - 13)) for m in (1, 2, 3)]  # 13+ below: behind at three reports
    fired = flags(behind, date(2021, 4, 1))["P04"]
    assert fired.first_date == date(2021, 2, 28)  # the run reached two reports there
    assert fired.data["reports_behind"] == 3
    once = [r(1, str(int(line[1]))), r(2, str(int(line[2]) - 13))]
    assert "P04" not in flags(once, date(2021, 3, 1))
    per_day = replace(T, target=D(365))  # the line is the day count; tolerance 36.5
    exactly = [r(3, "53.5"), r(4, "83.5")]  # days 90 and 120: exactly 36.5 behind is not more than 36.5
    assert "P04" not in flags(exactly, date(2021, 5, 1), per_day)
    assert "P04" in flags([r(3, "53.4"), r(4, "83.4")], date(2021, 5, 1), per_day)


def test_p05_unlikely_on_time_with_its_first_date() -> None:
    slow = [r(m, str(5 * m)) for m in range(1, 7)]  # half the required pace, no noise: p = 0 from the start
    fired = flags(slow, date(2021, 7, 1))["P05"]
    assert fired.first_date == date(2021, 1, 31)
    assert fired.data["p_on_time"] == 0.0


def test_p05_after_the_deadline() -> None:
    fired = flags(on_track(6), date(2022, 1, 5))["P05"]
    assert fired.first_date == date(2022, 1, 1)


def test_p06_stale() -> None:
    reports = on_track(3)
    assert "P06" not in flags(reports, date(2021, 5, 31))
    fired = flags(reports, date(2021, 6, 1))["P06"]
    assert fired.first_date == date(2021, 6, 1)
    assert fired.data == {"latest_report": "2021-03-31", "stale_since": "2021-06-01"}


def test_p07_decrease_and_the_2022_split() -> None:
    fired = flags([r(1, "10"), r(2, "9"), r(3, "30")], date(2021, 4, 1))["P07"]
    assert (fired.first_date, fired.data["column"], fired.data["before"], fired.data["after"]) == (
        date(2021, 2, 28), "actual", 10, 9)
    money = flags([r(1, "10", paid="5"), r(2, "20", paid="4")], date(2021, 3, 1))["P07"]
    assert money.data["column"] == "paid_kzt"
    parent = replace(T, region="630000000", deadline=date(2023, 12, 31))  # East Kazakhstan gave Abai in June 2022
    split = [r(5, "100", year=2022, region="630000000"), r(6, "60", year=2022, region="630000000")]
    assert "P07" not in flags(split, date(2022, 7, 1), parent)
    level = replace(T, kind="level")
    assert "P07" not in flags([r(1, "10"), r(2, "9")], date(2021, 3, 1), level)


def test_p08_target_lowered_or_deadline_moved() -> None:
    lowered = replace(T, target=D(100), revised_at=date(2021, 3, 15))
    fired = flags(on_track(3), date(2021, 4, 1), versions=(lowered,))["P08"]
    assert fired.first_date == date(2021, 3, 15)
    assert fired.data["target_before"] == 120 and fired.data["target_after"] == 100
    raised = replace(T, target=D(150), revised_at=date(2021, 3, 15))
    assert "P08" not in flags(on_track(3), date(2021, 4, 1), versions=(raised,))
    moved = replace(T, deadline=date(2022, 6, 30), revised_at=date(2021, 3, 15))
    assert flags(on_track(3), date(2021, 4, 1), versions=(moved,))["P08"].data["moved"] is True
    assert "P08" not in flags(on_track(3), date(2021, 3, 1), versions=(lowered,))  # not yet revised then


@pytest.mark.parametrize(("paid", "fires"), [("899", True), ("900", False)])
def test_p09_underspending(paid: str, fires: bool) -> None:
    reports = [r(m, str(10 * m), paid="0", adjusted="1000") for m in range(1, 12)] + [
        r(12, "120", paid=paid, adjusted="1000", contracted="1000")]
    fired = flags(reports, date(2022, 1, 1))
    assert ("P09" in fired) == fires
    if fires:
        assert fired["P09"].first_date == date(2021, 12, 31)
        assert fired["P09"].data["ratio"] == 0.899


def test_flag_json_shape() -> None:
    flag = flags([r(1, "12", paid="300")], date(2021, 2, 1))["P01"]
    out = flag.to_json()
    assert sorted(out) == ["code", "detail", "indicator", "params", "programme", "region"]
    assert out["params"] == {"threshold": 0.2}
    assert out["detail"]["first_date"] == "2021-01-31"  # type: ignore[index]
    assert "30%" in out["detail"]["text"]  # type: ignore[index]


def test_settings_from_toml(tmp_path: Path) -> None:
    settings = parse_flag_settings("[P01]\nthreshold = 0.3\n[P07]\nenabled = false\n")
    assert settings.get("P01", "threshold") == Fraction(3, 10)
    assert "P07" not in settings.enabled
    assert "P01" not in flags([r(1, "12", paid="300")], date(2021, 2, 1), settings=settings)
    assert "P07" not in flags([r(1, "10"), r(2, "9")], date(2021, 3, 1), settings=settings)
    path = tmp_path / "FLAGS.toml"
    path.write_text("[P04]\nconsecutive = 3\n", encoding="utf-8")
    assert read_flag_settings(path).get("P04", "consecutive") == 3


@pytest.mark.parametrize(("text", "where"), [
    ("[P10]\nx = 1\n", "P10"),
    ("[P01]\nlimit = 1\n", "P01.limit"),
    ("[P03]\ndecember_share = 1.5\n", "P03.december_share"),
    ("[P06]\nperiods = 0.5\n", "P06.periods"),
    ("[P01]\nenabled = 1\n", "P01.enabled"),
    ("[P01]\nthreshold = 'a'\n", "P01.threshold"),
])
def test_bad_settings_name_the_parameter(text: str, where: str) -> None:
    with pytest.raises(InputError) as err:
        parse_flag_settings(text, "FLAGS.toml")
    assert err.value.parameter == where and err.value.file == "FLAGS.toml"


def test_bad_toml() -> None:
    with pytest.raises(InputError, match="not valid TOML"):
        parse_flag_settings("[P01\n", "FLAGS.toml")
