"""CLI: ``tandau tally`` and ``tandau verify`` through the runner."""

from __future__ import annotations

import json
import random
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.core.tally import ApprovalProfile, Contestant, count, new_tracking_code
from tandau.io.bulletin import header_object, write_bulletin

runner = CliRunner()
GLASGOW = Path(__file__).parents[2] / "vectors" / "glasgow" / "data"
CANDS = [Contestant("a", "Aida", sex="F"), Contestant("b", "Bolat", sex="M"), Contestant("c", "Cholpan", sex="F")]
BALLOTS = [["a", "b"], ["b"], ["b", "c"], ["c"], ["a", "b", "c"]]


def _bulletin(tmp_path: Path, *, elected: list[str] | None = None, dup: bool = False) -> tuple[Path, list[str]]:
    prof = ApprovalProfile.build(CANDS, [([["a", "b", "c"].index(x) for x in b], 1) for b in BALLOTS], max_marks=3)
    r = count("approval", prof, 2)
    rng = random.Random(4)
    codes = [new_tracking_code(rng) for _ in BALLOTS]
    if dup:
        codes[1] = codes[0]
    head = header_object(contest_id="k", contest_name="K", rule="approval", seats=2, max_marks=3, candidates=CANDS,
                         election_date=None, ballot_count=len(BALLOTS),
                         elected=elected if elected is not None else list(r.elected), ranking=list(r.ranking),
                         counts={k: int(v) for k, v in (r.scores or {}).items()})
    path = tmp_path / "board.jsonl"
    write_bulletin(path, head, zip(codes, BALLOTS, strict=True))
    return path, codes


def test_tally_blt_json_has_elected_ranking_and_trace() -> None:
    blt = str(GLASGOW / "Calton-2007.blt")
    res = runner.invoke(app, ["tally", blt, "--method", "stv-scottish", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["elected_names"] == ["George Redmond", "Alison E Thewliss", "Ruth Simpson"]
    assert len(out["ranking"]) == 10
    assert out["trace"][1]["surplus"] == 682
    assert out["trace"][1]["votes"]["1"] == "130.40863"
    assert out["quota"] == 1300


def test_tally_csv_with_group_and_table(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("contest,id,name,sex,birth_date,tags\nk,a,Aida,F,,\nk,b,Bolat,M,,\nk,c,Ch,F,,\n",
                                    encoding="utf-8")
    (tmp_path / "b.csv").write_text("contest,marks\n" + "".join(f"k,{' '.join(b)}\n" for b in BALLOTS),
                                    encoding="utf-8")
    args = ["tally", str(tmp_path / "b.csv"), "-m", "approval", "-n", "2", "--candidates", str(tmp_path / "c.csv"),
            "--group", "sex=F"]
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["elected"] == ["b", "c"]
    assert out["groups"][0]["ranking"] == ["c", "a"]
    assert runner.invoke(app, args).exit_code == 0


def test_tally_rejects_a_bad_file_whole(tmp_path: Path) -> None:
    (tmp_path / "b.blt").write_text('2 1\n1 1 1 0\n1 2 0\n0\n"A"\n"B"\n"T"\n', encoding="utf-8")
    res = runner.invoke(app, ["tally", str(tmp_path / "b.blt"), "-m", "stv-scottish"])
    assert res.exit_code == 2
    assert "line 2" in res.output


def test_verify_ok_and_tracker(tmp_path: Path) -> None:
    path, codes = _bulletin(tmp_path)
    res = runner.invoke(app, ["verify", str(path), "--tracker", codes[2]])
    assert res.exit_code == 0, res.output
    assert "found" in res.output
    assert runner.invoke(app, ["verify", str(path), "--tracker", "0000-0000-0000-0000"]).exit_code == 1


def test_verify_mismatch_and_duplicate_trackers(tmp_path: Path) -> None:
    path, _ = _bulletin(tmp_path, elected=["a", "c"])
    assert runner.invoke(app, ["verify", str(path)]).exit_code == 1
    path, _ = _bulletin(tmp_path, dup=True)
    res = runner.invoke(app, ["verify", str(path)])
    assert res.exit_code == 1
    assert "already" in res.output


def test_verify_malformed_input(tmp_path: Path) -> None:
    path, _ = _bulletin(tmp_path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    assert runner.invoke(app, ["verify", str(path)]).exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "other"}\n', encoding="utf-8")
    assert runner.invoke(app, ["verify", str(bad)]).exit_code == 2
