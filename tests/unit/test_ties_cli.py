"""One ``--ties`` option on every command that breaks ties (``--tie-policy`` a hidden alias), ``lot`` only with
``--seed`` (an integer of at most 256 bits, decimal or 0x-hex), the old spellings kept (issue 10, Scope 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tandau.cli.main import app

SEED = "0x" + "f" * 64  # 2**256 - 1
VOTES = "party,votes\nA,10\nB,10\nC,10\n"
CANDS = ("id,name,sex,birth_date,votes,tags\na,Arman,M,1970-01-01,50,\nb,Dana,F,1972-01-01,50,\n"
         "c,Erlan,M,1999-01-01,10,\n")
BALLOTS = "contest,marks\nk,a\nk,b\nk,c\n"
BALLOT_CANDS = "contest,id,name,sex,birth_date,tags\nk,a,Aida,F,,\nk,b,Bolat,M,,\nk,c,Cholpan,F,,\n"


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    out = {}
    for name, text in (("votes", VOTES), ("cands", CANDS), ("ballots", BALLOTS), ("ballot_cands", BALLOT_CANDS)):
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
        out[name] = str(tmp_path / f"{name}.csv")
    return out


def _commands(files: dict[str, str]) -> dict[str, list[str]]:
    return {
        "tally": ["tally", files["ballots"], "--method", "approval", "--seats", "1", "--candidates",
                  files["ballot_cands"], "--format", "json"],
        "lists": ["lists", "build", files["cands"], "--rules", "nur-otan-2019", "--length", "2", "--election-date",
                  "2025-03-19", "--format", "json"],
        "seats": ["seats", "allocate", files["votes"], "--seats", "1", "--method", "dhondt"],
    }


ORDER = {"tally": "nomination-order", "lists": "nomination-order", "seats": "registration-order"}
OTHER = {"tally": "registration-order", "lists": "registration-order", "seats": "nomination-order"}


@pytest.mark.parametrize("command", ["tally", "lists", "seats"])
def test_lot_without_a_seed_is_refused(files: dict[str, str], command: str) -> None:
    for option in ("--ties", "--tie-policy"):
        res = _run(*_commands(files)[command], option, "lot")
        assert res.exit_code == 2, res.output
        assert "needs a seed" in res.output and "--seed" in res.output
        assert "Traceback" not in res.output


@pytest.mark.parametrize("command", ["tally", "lists", "seats"])
def test_lot_with_a_256_bit_seed_is_reproducible(files: dict[str, str], command: str) -> None:
    runs = [_run(*_commands(files)[command], "--ties", "lot", "--seed", SEED) for _ in range(2)]
    assert all(r.exit_code == 0 for r in runs), runs[0].output
    assert runs[0].output == runs[1].output
    assert str(2**256 - 1) in runs[0].output


@pytest.mark.parametrize("command", ["tally", "lists", "seats"])
def test_old_spellings_and_the_hidden_alias(files: dict[str, str], command: str) -> None:
    base = _commands(files)[command]
    canonical = _run(*base, "--ties", ORDER[command])
    assert canonical.exit_code == 0, canonical.output
    spellings = [["--tie-policy", ORDER[command]]]
    if command != "seats":
        spellings.append(["--ties", "nomination"])
    for spelling in spellings:
        res = _run(*base, *spelling)
        assert res.exit_code == 0, res.output
        assert res.output == canonical.output
    res = _run(*base, "--ties", OTHER[command])
    assert res.exit_code == 2
    assert f"use '{ORDER[command]}'" in res.output
    res = _run(*base, "--ties", "coin")
    assert res.exit_code == 2
    assert "valid: refuse, lot, nomination-order, registration-order" in res.output
    res = _run(*base, "--ties", "refuse", "--tie-policy", "lot")
    assert res.exit_code == 2
    assert "disagree" in res.output


@pytest.mark.parametrize("command", ["tally", "lists", "seats"])
def test_help_shows_ties_not_the_alias(command: str) -> None:
    words = {"tally": ["tally"], "lists": ["lists", "build"], "seats": ["seats", "allocate"]}[command]
    res = _run(*words, "--help")
    assert "--ties" in res.output
    assert "--tie-policy" not in res.output
    assert ORDER[command] in res.output
