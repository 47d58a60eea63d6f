"""Official district tables from CSV (council, district, name[, kato]) and `tandau territory districts / systems`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.errors import InputError
from tandau.io.territory import kz_districts, load_districts

PETROPAVL = "council,district,name,kato\n" + "".join(
    f"M-5910,PTR-{k},Petropavl district No. {k},591010000\n" for k in range(1, 19))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "districts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_official_districts_replace_the_derived_ones(tmp_path: Path) -> None:
    d = load_districts(_write(tmp_path, PETROPAVL), kz_districts("2023"))
    petropavl = d.council("M-5910")
    assert [x.id for x in petropavl.districts][:2] == ["PTR-1", "PTR-2"]
    assert petropavl.districts[17].name == "Petropavl district No. 18"
    assert {x.source for x in petropavl.districts} == {"official"}
    assert [x.number for x in petropavl.districts] == list(range(1, 19))
    assert petropavl.basis.startswith("official districts: ")
    assert d.council("M-5932").districts == kz_districts("2023").council("M-5932").districts  # untouched
    assert d.single_member() == kz_districts("2023").single_member()


def test_kato_and_names_are_optional(tmp_path: Path) -> None:
    text = "council,district,name\n" + "".join(f"M-71,AST-{k},\n" for k in range(1, 18))
    d = load_districts(_write(tmp_path, text), kz_districts("2023"))
    first = d.council("M-71").districts[0]
    assert (first.id, first.name, first.kato) == ("AST-1", "", "")


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [
        ("council,district\nM-5910,X\n", 1, "name", "missing column"),
        ("council,district,name\nM-0000,X,\n", 2, "council", "unknown council 'M-0000'"),
        ("council,district,name\nM-5910,,\n", 2, "district", "empty district id"),
        ("council,district,name\nM-5910,X,\nM-5910,X,\n", 3, "district", "duplicate district id 'X' (first on row 2)"),
        ("council,district,name,kato\nM-5910,X,,59a\n", 2, "kato", "up to 9 digits"),
        ("council,district,name,kato\nM-5910,X,,751110000\n", 2, "kato", "outside the council's unit 5910"),
        ("council,district,name\nM-5910,X,\nM-5910,Y,\n", 3, "council", "18 single-member seats; the file gives 2"),
        ("council,district,name\nM-5910,M-5932-D01,\n", 2, "district", "already a district of another council"),
        ("council,district,name\nM-5910,X,,extra\n", 2, None, "more cells than header columns"),
    ],
)
def test_bad_rows_name_file_row_and_column(tmp_path: Path, text: str, row: int, column: str | None,
                                           message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_districts(path, kz_districts("2023"))
    assert (err.value.file, err.value.row, err.value.column) == (str(path), row, column)
    assert message in err.value.problem


def test_councils_without_single_member_seats_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "council,district,name\nM-5910,X,\n")
    with pytest.raises(InputError, match="no single-member seats in this layout"):
        load_districts(path, kz_districts("2021"))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_districts(tmp_path / "missing.csv", kz_districts("2023"))


# ---------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_districts_table_summary() -> None:
    res = runner.invoke(app, ["territory", "districts"], terminal_width=250)
    assert res.exit_code == 0, res.output
    assert "kz-2023 (2023): local seats 3415 = 317 list + 3098 single-member; national: 69 list + 29" in res.output
    res = runner.invoke(app, ["territory", "districts", "--layout", "2021"], terminal_width=250)
    assert "kz-2021 (2021): local seats 3278 = 3278 list + 0 single-member; national: 98 list + 0" in res.output


def test_cli_districts_csv_round_trips(tmp_path: Path) -> None:
    res = runner.invoke(app, ["territory", "districts", "--council", "M-5910", "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "council,district,name,kato,number,source"
    assert lines[1] == "M-5910,M-5910-D01,,5910,1,derived"
    assert len(lines) == 19
    path = _write(tmp_path, res.output)
    again = load_districts(path, kz_districts("2023"))
    assert [x.id for x in again.council("M-5910").districts] == [x.id for x in
                                                                  kz_districts("2023").council("M-5910").districts]


def test_cli_districts_json_with_official_table(tmp_path: Path) -> None:
    path = _write(tmp_path, PETROPAVL)
    res = runner.invoke(app, ["territory", "districts", "--system", "kz-2023", "--council", "M-5910", "--format",
                              "json", "--districts", str(path)])
    assert res.exit_code == 0, res.output
    [council] = json.loads(res.output)
    assert (council["system"], council["seats"], council["list_seats"], council["single_member"]) == (
        "kz-2023", 18, 0, 18)
    assert council["districts"][0] == {"id": "PTR-1", "number": 1, "name": "Petropavl district No. 1",
                                       "kato": "591010000", "source": "official"}
    majilis = json.loads(runner.invoke(app, ["territory", "districts", "--council", "KZ-MAJILIS", "--format",
                                             "json"]).output)[0]
    assert (majilis["list_seats"], len(majilis["districts"])) == (69, 29)


def test_cli_districts_council_table_and_errors(tmp_path: Path) -> None:
    res = runner.invoke(app, ["territory", "districts", "--council", "M-71"], terminal_width=200)
    assert res.exit_code == 0
    assert "M-71-D17" in res.output and "M-71-D18" not in res.output  # Astana derived 33: 16 list + 17
    res = runner.invoke(app, ["territory", "districts", "--system", "kz-2021", "--layout", "2023"])
    assert res.exit_code == 2
    assert "system kz-2021 is used on layout 2021" in res.output
    res = runner.invoke(app, ["territory", "districts", "--council", "M-9999"])
    assert res.exit_code == 2 and "unknown council 'M-9999'" in res.output
    res = runner.invoke(app, ["territory", "districts", "--format", "xml"])
    assert res.exit_code == 2 and "unknown format 'xml'" in res.output
    bad = _write(tmp_path, "council,district,name\nM-5910,X,\n")
    res = runner.invoke(app, ["territory", "districts", "--districts", str(bad)])
    assert res.exit_code == 2 and "row 2, column 'council'" in res.output


def test_cli_districts_of_another_country(tmp_path: Path) -> None:
    units = tmp_path / "u.csv"
    councils = tmp_path / "c.csv"
    units.write_text("id,name,kind,parent\nXL,Lilliput,country,\nN,North,region,XL\n", encoding="utf-8")
    councils.write_text("id,name,level,unit,seats,list_seats\nPARL,Parliament,national,XL,50,30\n"
                        "C-N,North Council,regional,N,21,11\n", encoding="utf-8")
    res = runner.invoke(app, ["territory", "districts", "--units", str(units), "--councils", str(councils),
                              "--format", "csv"])
    assert res.exit_code == 0, res.output
    ids = [line.split(",")[1] for line in res.output.splitlines()[1:]]
    assert ids[:2] == ["PARL-D01", "PARL-D02"] and ids[-1] == "C-N-D10" and len(ids) == 20 + 10


def test_cli_systems() -> None:
    res = runner.invoke(app, ["territory", "systems", "--format", "json"])
    assert res.exit_code == 0, res.output
    systems = {s["id"]: s for s in json.loads(res.output)}
    assert set(systems) == {"kz-2021", "kz-2023"}
    levels = {lv["level"]: lv for lv in systems["kz-2023"]["levels"]}
    assert (levels["national"]["kind"], levels["national"]["list_seats"]) == ("mixed", "69")
    assert (levels["regional"]["list_seats"], levels["regional"]["threshold"]) == ("floor(seats*1/2)", "5%")
    assert (levels["district"]["kind"], levels["district"]["threshold"]) == ("single-member", "")
    assert sum(n["districts"] for n in systems["kz-2023"]["national_districts"]) == 29
    assert systems["kz-2021"]["national_districts"] == []
    res = runner.invoke(app, ["territory", "systems", "--format", "csv"])
    assert res.output.splitlines()[0] == "system,name,layout,level,kind,list_seats,threshold,seat_rules,note,source"
    assert len(res.output.splitlines()) == 11
    res = runner.invoke(app, ["territory", "systems"], terminal_width=200)
    assert res.exit_code == 0 and "kz-2023" in res.output
