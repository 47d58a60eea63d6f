"""``tandau nominees select``: the CLI contract (JSON shape, exit codes, errors naming file, row and column)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app

HEADER = "district,id,name,sex,birth_date,votes,tags\n"
ROWS = """3,b1,K. Akhmetov,M,1965-03-03,200,
3,b2,D. Omarova,F,1975-07-07,80,
5,c1,S. Iskakov,M,1980-01-01,50,
5,c2,R. Bekov,M,1999-01-01,50,disability
5,c3,G. Sultanova,F,1975-01-01,10,
7,a1,B. Nurlanov,M,1970-01-01,59,
7,a2,A. Seitova,F,1985-05-02,41,
"""


def _file(tmp_path: Path, text: str = HEADER + ROWS) -> Path:
    path = tmp_path / "DISTRICTS.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["nominees", "select", *args])


def test_json_follows_the_contract(tmp_path: Path) -> None:
    res = _run(str(_file(tmp_path)), "--rules", "nur-otan-2019", "--election-date", "2026-03-15", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    # district order: first appearance in the file; c2 is 2nd in district 5 on equal votes (nominated after c1).
    # A woman from district 3 or 7 costs the same: the smallest ranks in district order keep district 3's winner.
    assert [(n["district"], n["id"], n["primary_rank"]) for n in data["nominees"]] == [
        ("3", "b1", 1), ("5", "c2", 2), ("7", "a2", 2)]
    assert data["nominees"][2]["reason"] == (
        "district 7: A. Seitova, 2nd with 41% of the district's votes, nominated instead of the winner B. Nurlanov "
        "so that the council's nominees hold at least 30% women (nur-otan-2019)")
    assert data["nominees"][2]["why"]["code"] == "nominee_for_rules"
    assert data["nominees"][0]["reason"] is None
    assert data["departures"] == 2
    assert [(c["rule"], c["ok"], c["detail"]) for c in data["checks"]] == [
        ("women ≥ 30% (rounded up) of the list (nur-otan-2019)", True, "1 of 3 (bound 1)"),
        ("people under 35 ≥ 20% (rounded up) of the list (nur-otan-2019)", True, "1 of 3 (bound 1)")]


def test_equal_votes_follow_file_order_and_pins_and_exclusions_apply(tmp_path: Path) -> None:
    res = _run(str(_file(tmp_path)), "--rules", "kz-law-2022", "--election-date", "2026-03-15", "--format", "csv",
               "--pin", "3=b2", "--exclude", "c1")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "district,id,name,sex,votes,votes_share,primary_rank,winner_id,pinned,reason"
    assert lines[1].startswith('3,b2,D. Omarova,F,80,29%,2,b1,yes,"district 3: D. Omarova, 2nd with 29% of the '
                               "district's votes, nominated by the leadership (pinned) instead of the winner")
    assert lines[2].startswith("5,c2,R. Bekov,M,50,45%,2,c1,,\"district 5: R. Bekov, 2nd with 45% of the district's "
                               "votes, nominated because the winner S. Iskakov is excluded")


def test_table(tmp_path: Path) -> None:
    res = _run(str(_file(tmp_path)), "--rules", "kz-law-2022", "--election-date", "2026-03-15")
    assert res.exit_code == 0, res.output
    assert "departure" in res.output and "ok" in res.output


def test_infeasible_exits_2_with_the_diagnosis(tmp_path: Path) -> None:
    res = _run(str(_file(tmp_path)), "--rules", "nur-otan-2019", "--election-date", "2026-03-15",
               "--exclude", "a2", "--exclude", "b2", "--exclude", "c3")
    assert res.exit_code == 2
    assert "no choice of nominees for the 3 districts meets every rule" in res.output
    assert "needs at least 1 women among the 3 nominees; 0 district(s) can nominate one (short by 1)" in res.output
    assert "relaxation: at least 0 women instead of 1" in res.output


def test_bad_input_names_file_row_and_column(tmp_path: Path) -> None:
    bad = _file(tmp_path, HEADER + ROWS.replace("1999-01-01", "1999-13-01"))
    res = _run(str(bad), "--rules", "nur-otan-2019", "--election-date", "2026-03-15")
    assert res.exit_code == 2
    assert f"{bad}, row 5, column 'birth_date': expected a date as YYYY-MM-DD" in res.output
    for text, where in [(HEADER + ROWS.replace(",41,", ",many,"), "row 8, column 'votes'"),
                        (HEADER + ROWS.replace("b2,D", "a1,D"), "row 7, column 'id': duplicate id 'a1' (first at "
                                                                "row 3)"),
                        (HEADER + ",x,X,F,,1,\n", "row 2, column 'district': empty district"),
                        (HEADER.replace(",tags", ""), "missing column 'tags'")]:
        res = _run(str(_file(tmp_path, text)), "--rules", "pl-2011")
        assert res.exit_code == 2 and where in res.output, res.output


def test_age_rules_need_the_election_date_and_positional_rules_are_refused(tmp_path: Path) -> None:
    res = _run(str(_file(tmp_path)), "--rules", "nur-otan-2019")
    assert res.exit_code == 2 and "so an election date is needed: pass --election-date" in res.output
    res = _run(str(_file(tmp_path)), "--rules", "pt-2019")
    assert res.exit_code == 2 and "at most 2 consecutive candidates of the same sex (pt-2019)" in res.output
    res = _run(str(_file(tmp_path)), "--rules", "pl-2011", "--pin", "7")
    assert res.exit_code == 2 and "a pin is DISTRICT=ID" in res.output
    res = _run(str(_file(tmp_path)), "--rules", "pl-2011", "--exclude", "zz")
    assert res.exit_code == 2 and "excluded id(s) zz not among the candidates" in res.output
    res = _run(str(tmp_path / "missing.csv"), "--rules", "pl-2011")
    assert res.exit_code == 2 and "missing.csv: no such file" in res.output


def test_a_mixed_council_with_its_list(tmp_path: Path) -> None:
    listed = tmp_path / "LIST.csv"
    listed.write_text("id,name,sex,birth_date,votes,tags\nL1,List One,F,1995-01-01,0,\n", encoding="utf-8")
    res = _run(str(_file(tmp_path)), "--rules", "nur-otan-2019", "--election-date", "2026-03-15",
               "--with-list", str(listed), "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    # 4 candidates: 2 women and 1 under 35 needed; the list's young woman counts for both
    assert data["departures"] == 1 and data["nominees"][2]["id"] == "a2"
    assert "the council's candidates (list and nominees) hold at least 30% women" in data["nominees"][2]["reason"]
