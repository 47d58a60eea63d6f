"""Any country's territory from two CSV files, official seat tables, and the `tandau territory` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.core.territory import check_territory
from tandau.errors import InputError
from tandau.io.territory import load_kz, load_official_seats, load_territory

UNITS = """id,name,kind,parent,population,name_xx
XL,Lilliput,country,,100000,Lilliputia
N,North,region,XL,60000,
S,South,region,XL,40000,
N1,Mildendo,city,N,30000,
N2,Blefuscu Marsh,district,N,30000,
"""
COUNCILS = """id,name,level,unit,seats,list_seats,ceiling
PARL,Parliament,national,XL,50,30,
C-N,North Council,regional,N,21,,25
C-S,South Council,regional,S,15,,25
C-N1,Mildendo Council,city,N1,9,,11
C-N2,Marsh Council,district,N2,7,,
"""


@pytest.fixture
def country(tmp_path: Path) -> tuple[Path, Path]:
    units, councils = tmp_path / "units.csv", tmp_path / "councils.csv"
    units.write_text(UNITS, encoding="utf-8")
    councils.write_text(COUNCILS, encoding="utf-8")
    return units, councils


def test_tiny_country_loads(country: tuple[Path, Path]) -> None:
    territory = load_territory(*country, country="XL")
    assert territory.counts() == {"national": 1, "regional": 2, "city": 1, "district": 1}
    assert territory.seats() == 21 + 15 + 9 + 7
    parl = territory.council("PARL")
    assert (parl.seats, parl.list_seats, parl.region_id, parl.seats_source) == (50, 30, None, "official")
    assert territory.council("C-N2").region_id == "N"
    assert territory.unit("XL").name_in("xx") == "Lilliputia"
    assert check_territory(territory) == ()


def _rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("which", "old", "new", "row", "column"),
    [
        (0, "N2,Blefuscu Marsh,district,N,", "N2,Blefuscu Marsh,district,Q,", 6, "parent"),
        (0, "S,South,region", "N,South,region", 4, "id"),
        (0, "S,South,region", "S,South,province", 4, "kind"),
        (0, "40000", "many", 4, "population"),
        (1, "C-S,South Council,regional", "C-S,South Council,county", 4, "level"),
        (1, "C-N2,Marsh Council,district,N2,7", "C-N2,Marsh Council,district,N3,7", 6, "unit"),
        (1, "C-N2,Marsh Council,district,N2,7", "C-N2,Marsh Council,district,N2,0", 6, "seats"),
        (1, "PARL,Parliament,national,XL,50,30", "PARL,Parliament,national,XL,50,60", 2, "list_seats"),
        (1, "id,name,level,unit,seats", "id,name,tier,unit,seats", 1, "level"),
    ],
)
def test_bad_cells_are_named(country: tuple[Path, Path], which: int, old: str, new: str, row: int,
                             column: str) -> None:
    _rewrite(country[which], old, new)
    with pytest.raises(InputError) as info:
        load_territory(*country)
    assert (info.value.file, info.value.row, info.value.column) == (str(country[which]), row, column)


def test_ceiling_violation_is_reported(country: tuple[Path, Path]) -> None:
    _rewrite(country[1], "C-N1,Mildendo Council,city,N1,9", "C-N1,Mildendo Council,city,N1,12")
    problems = check_territory(load_territory(*country))
    assert [(p.check, p.subject) for p in problems] == [("ceiling", "C-N1")]


def test_official_seats_override_derived(tmp_path: Path) -> None:
    table = tmp_path / "official.csv"
    table.write_text("council_id,seats,list_seats\nM-59,31,\nM-5910,19,19\n", encoding="utf-8")
    territory = load_official_seats(table, load_kz("2023"))
    nko, petropavl = territory.council("M-59"), territory.council("M-5910")
    assert (nko.seats, nko.list_seats, nko.seats_source) == (31, 15, "official")
    assert (petropavl.seats, petropavl.list_seats, petropavl.seats_source) == (19, 19, "official")
    assert territory.council("M-39").seats_source == "derived"
    assert load_kz("2023").council("M-59").seats == 30  # the cached dataset is untouched


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        ("council_id,seats\nM-99,10\n", 2, "council_id"),
        ("council_id,seats\nM-59,51\n", 2, "seats"),
        ("council_id,seats\nM-59,30\nM-59,31\n", 3, "council_id"),
        ("council_id,seats\nM-59,thirty\n", 2, "seats"),
        ("council,seats\nM-59,30\n", 1, "council_id"),
    ],
)
def test_official_seat_errors(tmp_path: Path, body: str, row: int, column: str) -> None:
    table = tmp_path / "official.csv"
    table.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_official_seats(table, load_kz("2023"))
    assert (info.value.row, info.value.column) == (row, column)


runner = CliRunner()


def test_cli_councils_json_and_csv() -> None:
    result = runner.invoke(app, ["territory", "councils", "--layout", "2021", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 217
    assert {"council_id": "M-75", "seats": 39, "seats_source": "derived"}.items() <= rows[
        [r["council_id"] for r in rows].index("M-75")].items()
    result = runner.invoke(app, ["territory", "councils", "--format", "csv", "--level", "district"])
    assert result.exit_code == 0
    assert result.output.startswith("council_id,name,name_ru,level,")
    assert len(result.output.strip().splitlines()) == 1 + 166


def test_cli_check(country: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["territory", "check", "--layout", "2021"])
    assert result.exit_code == 0, result.output
    assert "city 36, district 163" in result.output
    assert "all checks passed" in result.output
    _rewrite(country[1], "C-N1,Mildendo Council,city,N1,9", "C-N1,Mildendo Council,city,N1,12")
    result = runner.invoke(app, ["territory", "check", "--units", str(country[0]), "--councils", str(country[1])])
    assert result.exit_code == 1
    assert "C-N1" in result.output


@pytest.mark.parametrize(
    "args",
    [["councils", "--layout", "2022"], ["councils", "--format", "xml"], ["check", "--units", "u.csv"],
     ["units", "--units", "missing.csv", "--councils", "missing.csv"]],
)
def test_cli_bad_input_exits_2(args: list[str]) -> None:
    result = runner.invoke(app, ["territory", *args])
    assert result.exit_code == 2
    assert "error" in result.output


def test_cli_units_table() -> None:
    result = runner.invoke(app, ["territory", "units", "--format", "csv"])
    assert result.exit_code == 0
    assert "\n1910,Konaev,г. Конаев,Қонаев қаласы,city,19," in result.output
    assert "\n1036,Ayagoz District,Аягозский район,Аягөз ауданы,district,10," in result.output
