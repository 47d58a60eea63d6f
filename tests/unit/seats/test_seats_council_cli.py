"""``tandau seats council`` and ``tandau seats simulate-council`` (issue 11, item 4), and their file readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.errors import InputError
from tandau.io.district_results import read_district_estimates, read_party_lists, read_results

runner = CliRunner()
VOTES = ("party,votes\nAmanat,195232\nAuyl,44220\nRespublica,22115\nPeople's Party of Kazakhstan,22325\n"
         "Ak Zhol,66220\n")
BASE = ["seats", "council", "--system", "kz-2023", "--council", "M-39"]


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _results(tmp_path: Path) -> str:
    rows = ["district,winner,party,votes,sex,birth_date,vacated"]
    rows += [f"{k},W{k},Amanat,{1000 + k},F,1990-01-01," for k in range(1, 11)]
    rows += ["11,Z,Ak Zhol,900,M,1970-01-01,", "12,U,,800,M,,", "13,V,,800,M,,", "14,X,,800,F,,",
             "15,Y,,800,M,,", "16,Q,,700,M,1980-02-02,2023-06-01"]
    return _write(tmp_path, "results.csv", "\n".join(rows) + "\n")


def _lists(tmp_path: Path) -> str:
    rows = ["party,id,name,sex,birth_date"]
    rows += [f"Amanat,a{i},A{i},{'F' if i in (3, 10) else 'M'},19{70 + i}-01-01" for i in range(1, 13)]
    rows += [f"Ak Zhol,z{i},Z{i},M,1980-01-01" for i in range(1, 5)]
    return _write(tmp_path, "lists.csv", "\n".join(rows) + "\n")


def test_council_json(tmp_path: Path) -> None:
    by = _write(tmp_path, "by.csv", "district,winner,party,by_election,sex,birth_date\n"
                                    "M-39-D16,B,Amanat,2023-10-29,F,1996-01-01\n")
    out = runner.invoke(app, [*BASE, "--votes", _write(tmp_path, "v.csv", VOTES), "--districts", _results(tmp_path),
                              "--by-elections", by, "--lists", _lists(tmp_path), "--election-date", "2023-03-19"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["system"] == "kz-2023" and data["rules"] == "kz-maslikhat-2023"
    assert {r["party"]: r["total"] for r in data["composition"]} == {
        "Amanat": 20, "Auyl": 2, "Respublica": 1, "People's Party of Kazakhstan": 1, "Ak Zhol": 4,
        "self-nominated": 4}
    amanat = data["factions"][0]
    # list: 9 seats, kz-law-2022 needs ceil(2.7) = 3 women/under-29s; the list (born 1971-1982, 41-52 on election
    # day) has only the women #3 and #10: #9 gives way to #10, then no group member is left (2 of 3, not met)
    assert data["mandates"]["Amanat"]["met"] is False and data["mandates"]["Amanat"]["group_held"] == 2
    assert (amanat["deputies"], amanat["list"], amanat["districts"]) == (20, 9, 11)
    # women: list #3, #10 + districts 1-10 and the by-election winner; under 35: districts 1-10 (33) + the
    # by-election winner (27 on 29 Oct 2023)
    assert amanat["women"] == 2 + 11 and amanat["under_35"] == 10 + 1
    assert data["mandates"]["Ak Zhol"]["elected"] == ["z1", "z2", "z3"]


def test_council_table_and_as_of(tmp_path: Path) -> None:
    out = runner.invoke(app, [*BASE, "--votes", _write(tmp_path, "v.csv", VOTES), "--districts", _results(tmp_path),
                              "--format", "table", "--party", "Amanat", "--as-of", "2023-05-01"])
    assert out.exit_code == 0, out.output
    assert "Amanat: 19 deputies (9 list + 10 districts)" in out.stdout
    assert "9 list mandate(s) without a list" in out.stdout


@pytest.mark.parametrize(("text", "where"), [
    ("district,winner,party\n1,W,A\n1,W2,A\n", "results.csv, row 3, column 'district'"),
    ("district,winner,party,by_election\n1,W,A,2023-02-30\n", "results.csv, row 2, column 'by_election'"),
    ("district,winner,party,sex\n1,W,A,X\n", "results.csv, row 2, column 'sex'"),
    ("district,winner\n1,W\n", "results.csv, row 1, column 'party'"),
    ("district,winner,party\n40,W,A\n", "results.csv, row 2, column 'district'"),
])
def test_council_errors_name_file_row_column(tmp_path: Path, text: str, where: str) -> None:
    path = _write(tmp_path, "results.csv", text)
    out = runner.invoke(app, [*BASE, "--votes", _write(tmp_path, "v.csv", VOTES), "--districts", path])
    assert out.exit_code == 2
    assert where in out.output


def test_council_needs_votes_and_election_date(tmp_path: Path) -> None:
    out = runner.invoke(app, [*BASE, "--districts", _results(tmp_path)])
    assert out.exit_code == 2 and "--votes" in out.output
    out = runner.invoke(app, [*BASE, "--votes", _write(tmp_path, "v.csv", VOTES), "--districts", _results(tmp_path),
                              "--lists", _lists(tmp_path)])
    assert out.exit_code == 2 and "--election-date" in out.output


def test_readers_are_all_or_nothing(tmp_path: Path) -> None:
    good = _results(tmp_path)
    bad_by = _write(tmp_path, "by.csv", "district,winner,party,by_election\n16,B,A,\n")
    with pytest.raises(InputError, match=r"by.csv, row 2, column 'by_election'"):
        read_results(good, bad_by)
    assert len(read_results(good)) == 16
    lists = read_party_lists(_lists(tmp_path))
    assert list(lists) == ["Amanat", "Ak Zhol"] and [c.order for c in lists["Ak Zhol"]] == [0, 1, 2, 3]
    est = read_district_estimates(_write(tmp_path, "e.csv", "district,party,share,sigma\n1,A,41%,0.05\n1,,0.2,\n"))
    assert (est[0].share, est[0].sigma, est[1].party, est[1].sigma) == (0.41, 0.05, "self-nominated", None)
    with pytest.raises(InputError, match=r"e.csv, row 2, column 'share'"):
        read_district_estimates(_write(tmp_path, "e.csv", "district,party,share\n1,A,141%\n"))


def test_simulate_council_json_table_and_plot(tmp_path: Path) -> None:
    shares = _write(tmp_path, "s.csv", "party,share\nAmanat,56%\nAuyl,13%\nRespublica,6%\nAk Zhol,19%\n")
    rows = ["district,party,share,name,sex,birth_date"]
    for k in range(1, 17):
        rows += [f"{k},Amanat,0.45,N{k},{'F' if k % 3 == 0 else 'M'},1992-01-01", f"{k},Ak Zhol,0.35,,,",
                 f"{k},,0.2,,,"]
    est = _write(tmp_path, "e.csv", "\n".join(rows) + "\n")
    plot = tmp_path / "w.vl.json"
    args = ["seats", "simulate-council", "--system", "kz-2023", "--council", "M-39", "--shares", shares,
            "--districts", est, "--lists", _lists(tmp_path), "--election-date", "2027-03-21", "--draws", "2000",
            "--seed", "4", "--swing", "0.02"]
    out = runner.invoke(app, [*args, "--plot", str(plot)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    amanat = data["parties"][0]
    assert amanat["party"] == "Amanat" and 8 < amanat["expected_list"] < 10 and amanat["expected_districts"] > 10
    assert amanat["expected_deputies"] == pytest.approx(amanat["expected_list"] + amanat["expected_districts"])
    assert amanat["expected_women"] is not None and amanat["expected_under_35"] is not None
    assert len(data["nominees"]) == 48 and data["seed"] == 4
    assert json.loads(plot.read_text(encoding="utf-8"))["vconcat"][0]["title"]["text"] == (
        "Chance of winning each district")
    again = runner.invoke(app, args)
    assert json.loads(again.stdout) == data
    table = runner.invoke(app, [*args, "--format", "table", "--party", "Amanat"])
    assert table.exit_code == 0 and "chance of winning the district" in table.stdout


def test_all_list_council_needs_no_district_results(tmp_path: Path) -> None:
    votes = _write(tmp_path, "v.csv", "party,votes\nNur Otan,7000\nAk Zhol,2000\nAuyl,1000\n")
    out = runner.invoke(app, ["seats", "council", "--system", "kz-2021", "--council", "M-39", "--votes", votes])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["rules"] == "kz-maslikhat-2021" and data["single_member"] == 0
    assert sum(r["total"] for r in data["composition"]) == data["seats"]
    out = runner.invoke(app, [*BASE, "--votes", votes])
    assert out.exit_code == 2 and "give --districts RESULTS.csv" in out.output
