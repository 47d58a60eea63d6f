"""Development-programme indicators: the registry, the checks of a series, DEVELOPMENT.csv (bad input naming file,
row and column) and the SYNTHETIC set on the real territory (determinism, coverage, magnitudes)."""

from __future__ import annotations

from decimal import Decimal as D
from itertools import pairwise
from pathlib import Path

import pytest
from openpyxl import Workbook

from tandau.core.programmes.development import (
    DEV_INDICATORS,
    SECTION_NAMES,
    DevelopmentSet,
    DevIndicator,
    check_indicators,
    section_of,
)
from tandau.core.programmes.model import SECTIONS, is_additive
from tandau.core.programmes.synthetic_dev import BASELINE_YEAR, PLAN_YEARS, DevUnit, synthetic_development
from tandau.errors import InputError
from tandau.io.development_csv import COLUMNS, development_csv, kz_units, parse_development, read_development
from tandau.io.programme_csv import territory_names
from tandau.services.primaries._tabular import parse_table

HEAD = ",".join((*COLUMNS, "section"))
ROWS = [
    "593200000,DP-5932,roads_good,%,2022,61.5,baseline,",
    "593200000,DP-5932,roads_good,%,2027,80,plan,",
    "593200000,DP-5932,roads_good,%,2025,70.25,plan,",
    "593200000,DP-5932,bus_routes,routes,2022,4,baseline,roads",
    "593200000,DP-5932,bus_routes,routes,2026,6,plan,roads",
]
BAIKONYR = "431900000"  # no population, no maslikhat: the synthetic set leaves it out


def write(tmp_path: Path, rows: list[str], head: str = HEAD) -> Path:
    path = tmp_path / "DEVELOPMENT.csv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def units() -> tuple[DevUnit, ...]:
    return kz_units()


@pytest.fixture(scope="module")
def synthetic(units: tuple[DevUnit, ...]) -> DevelopmentSet:
    return synthetic_development(units, seed=5)


def test_the_registry_names_every_indicator_in_three_languages_within_the_taxonomy() -> None:
    assert 15 <= len(DEV_INDICATORS) <= 25
    assert set(SECTION_NAMES) == set(SECTIONS)
    assert {i.section for i in DEV_INDICATORS.values()} == set(SECTIONS) - {"other"}
    for info in DEV_INDICATORS.values():
        assert set(info.names) == {"kk", "ru", "en"} and all(info.names.values())
        for lang in ("kk", "ru"):
            assert "{target}" in info.wording[lang] and "{year}" in info.wording[lang], (info.id, lang)
        assert not (info.kind == "cumulative" and info.direction == "decrease")
    assert section_of("sewerage_urban") == "utilities"
    assert (section_of("bus_routes"), section_of("bus_routes", "roads")) == ("other", "roads")


def test_a_file_is_read_into_series(tmp_path: Path) -> None:
    data = read_development(write(tmp_path, ROWS))
    roads, bus = data.series("593200000")
    assert (roads.indicator, roads.section, roads.baseline.value, roads.baseline.year) == ("roads_good", "roads",
                                                                                         D("61.5"), 2022)
    assert [(p.year, p.value) for p in roads.plan] == [(2025, D("70.25")), (2027, D(80))]
    assert roads.direction == "increase" and roads.info is not None
    assert (bus.indicator, bus.section, bus.info) == ("bus_routes", "roads", None)
    assert data.series("591000000") == ()


def test_an_xlsx_file_is_read(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["593200000", "DP-5932", "unemployment_rate", "%", 2022, 5.4, "baseline"])
    sheet.append(["593200000", "DP-5932", "unemployment_rate", "%", 2027, 4.8, "plan"])
    path = tmp_path / "DEVELOPMENT.xlsx"
    book.save(path)
    (s,) = read_development(path).series()
    assert (s.baseline.value, s.plan_value(2027), s.direction, s.section) == (D("5.4"), D("4.8"), "decrease", "jobs")


@pytest.mark.parametrize(("index", "column", "value", "row", "expected"), [
    (0, 0, "123", 2, "unknown territory"),
    (1, 4, "20x7", 3, "expected a year"),
    (1, 4, "1900", 3, "expected a year"),
    (1, 5, "8O", 3, "expected a number"),
    (1, 5, "", 3, "a number is required"),
    (1, 6, "target", 3, "expected one of baseline, plan"),
    (3, 7, "transport", 5, "unknown section"),
    (1, 1, "", 3, "a value is required"),
])
def test_a_bad_cell_names_file_row_and_column(tmp_path: Path, index: int, column: int, value: str, row: int,
                                               expected: str) -> None:
    rows = list(ROWS)
    cells = rows[index].split(",")
    cells[column] = value
    rows[index] = ",".join(cells)
    with pytest.raises(InputError) as caught:
        read_development(write(tmp_path, rows))
    error = caught.value
    assert (error.file, error.row, error.column) == ("DEVELOPMENT.csv", row, (*COLUMNS, "section")[column])
    assert expected in error.problem


@pytest.mark.parametrize(("extra", "row", "column", "expected"), [
    ("593200000,DP-5932,roads_good,%,2023,60,baseline,", 7, "kind", "a series has one baseline (row 2)"),
    ("593200000,DP-5932,roads_good,%,2022,60,plan,", 7, "year", "not after the baseline year 2022 (row 2)"),
    ("593200000,DP-5932,roads_good,%,2025,71,plan,", 7, "year",
     "a second plan value for 2025 of the same series (row 4)"),
    ("593200000,DP-5932,roads_good,km,2028,90,plan,", 7, "unit", "differs from '%'"),
    ("593200000,DP-5932,bus_routes,routes,2028,9,plan,other", 7, "section", "differs from 'roads'"),
    ("591000000,DP-5910,roads_good,%,2027,80,plan,", 7, "kind", "has no baseline row"),
])
def test_rows_that_are_no_development_programme_are_refused(tmp_path: Path, extra: str, row: int, column: str,
                                                            expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_development(write(tmp_path, [*ROWS, extra]))
    assert (caught.value.row, caught.value.column) == (row, column)
    assert expected in caught.value.problem


def test_missing_column_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_development(write(tmp_path, ROWS, head=HEAD.replace("kind", "type")))
    assert (caught.value.row, caught.value.column) == (1, "kind")
    with pytest.raises(InputError, match="no indicators"):
        read_development(write(tmp_path, []))


def test_the_core_check_without_a_file() -> None:
    a = DevIndicator("593200000", "DP", "x", "pcs", 2022, D(1), "baseline")
    b = DevIndicator("593200000", "DP", "x", "шт", 2023, D(2), "plan")  # another spelling is another unit
    assert [(p.index, p.column, p.other) for p in check_indicators([a, b])] == [(1, "unit", 0)]
    with pytest.raises(InputError, match=r"indicator #2, unit: .* \(see indicator #1\)"):
        DevelopmentSet.of([a, b])


def test_the_synthetic_set_is_deterministic_and_marked(units: tuple[DevUnit, ...], synthetic: DevelopmentSet) -> None:
    assert synthetic_development(units, seed=5).indicators == synthetic.indicators
    assert synthetic_development(units, seed=6).indicators != synthetic.indicators
    assert all(r.source.startswith("SYNTHETIC") for r in synthetic.indicators)


def test_the_synthetic_set_covers_every_territory(synthetic: DevelopmentSet) -> None:
    assert set(synthetic.territories) == set(territory_names()) - {BAIKONYR}
    assert len(synthetic.territories) == 239
    assert {r.indicator for r in synthetic.indicators} == set(DEV_INDICATORS)
    kinds = {u.territory: u.kind for u in kz_units()}
    for territory in synthetic.territories:
        series = synthetic.series(territory)
        assert 15 <= len(series) <= 25, territory
        scopes = {DEV_INDICATORS[s.indicator].scope for s in series}
        if kinds[territory] == "district":
            assert "urban" not in scopes
        elif kinds[territory] in ("city", "city_district", "republican_city"):
            assert "rural" not in scopes
        else:
            assert scopes == {"all", "rural", "urban"}


def test_every_synthetic_series_moves_one_way_from_its_2022_baseline(synthetic: DevelopmentSet) -> None:
    for s in synthetic.series():
        info = DEV_INDICATORS[s.indicator]
        assert s.baseline.year == BASELINE_YEAR and tuple(p.year for p in s.plan) == PLAN_YEARS
        assert s.unit == info.unit and s.section == info.section and s.direction == info.direction
        values = [s.baseline.value, *(p.value for p in s.plan)]
        sign = 1 if info.direction == "increase" else -1
        assert all(sign * (v - s.baseline.value) > 0 for v in values[1:]), s
        assert all(sign * (b - a) >= 0 for a, b in pairwise(values)), s
        if info.unit == "%":
            assert all(D(0) <= v <= D(100) for v in values), s
        else:
            assert all(v >= 0 for v in values), s


def test_synthetic_magnitudes_scale_with_population_and_regions_add_up(synthetic: DevelopmentSet) -> None:
    def value(territory: str, indicator: str, year: int = 2027) -> D:
        (s,) = (s for s in synthetic.series(territory) if s.indicator == indicator)
        found = s.plan_value(year)
        assert found is not None
        return found

    almaty, aiyrtau = "750000000", "593200000"
    assert value(almaty, "kindergarten_places") > 50 * value(aiyrtau, "kindergarten_places")
    assert D(50_000) < value(almaty, "kindergarten_places") < D(250_000)  # ~2.1 million people
    assert D(500) < value(aiyrtau, "kindergarten_places") < D(5000)  # a district of ~40,000
    assert D(2) < value(aiyrtau, "unemployment_rate") < D(7)
    children = [t for t in synthetic.territories if t[:2] == "59" and t != "590000000"]
    assert len(children) == 14  # Petropavl and 13 districts
    for info in DEV_INDICATORS.values():
        if is_additive(info.unit):
            parts = [value(t, info.id) for t in children if any(s.indicator == info.id
                                                                for s in synthetic.series(t))]
            assert value("590000000", info.id) == sum(parts, D(0)), info.id


def test_written_and_read_back_unchanged(tmp_path: Path, synthetic: DevelopmentSet) -> None:
    rows = [r for r in synthetic.indicators if r.territory[:2] == "59"]
    text = development_csv(rows)
    assert text.splitlines()[0] == ",".join((*COLUMNS, "section", "source"))
    back = parse_development(parse_table(text.encode("utf-8"), "DEVELOPMENT.csv", COLUMNS))
    assert back.indicators == tuple(rows)
