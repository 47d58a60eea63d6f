"""Same seed and scale: byte-identical files; members.csv optional without changing the rest; the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.errors import InputError
from tandau.services.scenario import generate

FILES = ("README.txt", "scenario.json", "councils.csv", "candidates.csv", "members.csv")


def _bytes(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in FILES if (directory / name).exists()}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=11, scale=0.005)
    generate(tmp_path / "b", seed=11, scale=0.005)
    generate(tmp_path / "c", seed=12, scale=0.005)
    a, b, c = _bytes(tmp_path / "a"), _bytes(tmp_path / "b"), _bytes(tmp_path / "c")
    assert set(a) == set(FILES)
    assert a == b
    assert a["candidates.csv"] != c["candidates.csv"]
    assert a["councils.csv"] == c["councils.csv"]


def test_no_members_changes_nothing_else(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=3, scale=0.005)
    generate(tmp_path / "b", seed=3, scale=0.005, write_members=False)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert "members.csv" not in b
    assert a["candidates.csv"] == b["candidates.csv"]
    assert a["councils.csv"] == b["councils.csv"]


def test_layout_2021_and_election_date(tmp_path: Path) -> None:
    summary = generate(tmp_path, seed=1, scale=0.003, layout="2021", election_date="2021-01-10", write_members=False)
    meta = json.loads((tmp_path / "scenario.json").read_text(encoding="utf-8"))
    assert meta["layout"] == "2021"
    assert summary.counts["councils"] == 217
    assert summary.counts["councils_by_level"] == {"national": 1, "regional": 14, "republican_city": 3, "city": 36,
                                                   "district": 163}
    majilis = (tmp_path / "councils.csv").read_text(encoding="utf-8").splitlines()[1]
    assert majilis.startswith("KZ-MAJILIS,")
    assert majilis.endswith(",98,official,127")


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [({"scale": 0.0}, "--scale"), ({"seed": -1}, "--seed"), ({"election_date": "2023-02-30"}, "--election-date"),
     ({"layout": "2019"}, "--layout")],
)
def test_bad_parameters(tmp_path: Path, kwargs: dict[str, object], parameter: str) -> None:
    args: dict[str, object] = {"seed": 1, "scale": 0.01, **kwargs}
    with pytest.raises(InputError) as info:
        generate(tmp_path, **args)  # type: ignore[arg-type]
    assert info.value.parameter == parameter


def test_cli_generate(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "generate", "--out", str(tmp_path), "--seed", "5", "--scale", "0.004",
                                 "--no-members"])
    assert result.exit_code == 0, result.output
    assert "synthetic" in result.output
    assert not (tmp_path / "members.csv").exists()
    assert (tmp_path / "candidates.csv").exists()
    bad = runner.invoke(app, ["demo", "generate", "--out", str(tmp_path), "--seed", "5", "--election-date", "soon"])
    assert bad.exit_code == 2
    assert "--election-date" in bad.output
