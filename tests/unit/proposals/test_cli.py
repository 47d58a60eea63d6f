"""``tandau proposals classify / train / themes`` end to end, and bad input (exit 2, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import build_app
from tandau.io.proposals_model import load_model


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), ["proposals", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def proposals(tmp_path: Path) -> Path:
    path = tmp_path / "PROPOSALS.csv"
    path.write_text("id,text,lang,theme\n"
                    "1,\"В селе Узынагаш нет питьевой воды, возим бочками\",ru,water\n"
                    "2,\"Ауылымызға жол керек, асфальт жоқ\",kk,roads\n"
                    "3,Емханада дәрігер жетіспейді кезек көп,kk,health\n"
                    "4,Как вступить в вашу партию?,,other\n", encoding="utf-8")
    return path


def test_classify_json(proposals: Path, model_file: Path) -> None:
    code, out, _ = _run("classify", str(proposals), "--model", str(model_file))
    assert code == 0
    result = json.loads(out)
    assert [i["id"] for i in result["items"]] == ["1", "2", "3", "4"]
    assert all(0 < i["confidence"] <= 1 for i in result["items"])
    assert sum(result["summary"].values()) == 4
    assert "accuracy" not in result


def test_classify_evaluate(proposals: Path, model_file: Path) -> None:
    code, out, _ = _run("classify", str(proposals), "--model", str(model_file), "--evaluate")
    assert code == 0
    result = json.loads(out)
    themes = [i["theme"] for i in result["items"]]
    right = sum(t == e for t, e in zip(themes, ["water", "roads", "health", "other"], strict=True))
    assert result["accuracy"] == right / 4
    assert set(result["by_language"]) == {"kk", "ru"}  # row 4 has no lang: detected as Russian
    assert result["by_language"]["kk"]["n"] == 2 and result["by_language"]["ru"]["n"] == 2
    assert sum(sum(row.values()) for row in result["confusion"].values()) == 4
    assert 0 <= result["macro_f1"] <= 1


def test_classify_table(proposals: Path, model_file: Path) -> None:
    code, out, _ = _run("classify", str(proposals), "--model", str(model_file), "--format", "table", "--evaluate")
    assert code == 0
    assert "confidence" in out and "Scores" in out and "Themes" in out


def test_train_then_classify(tmp_path: Path, proposals: Path) -> None:
    labelled = tmp_path / "LABELLED.csv"
    rows = ["id,text,theme"]
    rows += [f"w{i},Ауылда су жоқ құбыр керек {i},water" for i in range(6)]
    rows += [f"r{i},Дорога разбита ямы асфальт {i},roads" for i in range(6)]
    rows += [f"o{i},Спасибо партии за работу {i},other" for i in range(6)]
    labelled.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "models" / "mine.npz"
    code, _, err = _run("train", str(labelled), "--out", str(out))
    assert code == 0 and out.is_file() and "trained on 18 proposals" in err
    assert load_model(out).classes == ("other", "roads", "water")
    code, stdout, _ = _run("classify", str(proposals), "--model", str(out))
    assert code == 0 and json.loads(stdout)["items"][0]["theme"] == "water"


@pytest.mark.parametrize(("content", "where"), [
    ("id,text,theme\n1,abc,water\n2,,roads\n", "LABELLED.csv, row 3, column 'text'"),
    ("id,text,theme\n1,abc,water\n2,def,weather\n", "LABELLED.csv, row 3, column 'theme'"),
    ("id,text\n1,abc\n", "LABELLED.csv, row 1, column 'theme'"),
    ("id,text,theme\n1,abc,water\n2,def,water\n", "at least two themes"),
])
def test_train_bad_input_writes_nothing(tmp_path: Path, content: str, where: str) -> None:
    labelled = tmp_path / "LABELLED.csv"
    labelled.write_text(content, encoding="utf-8")
    out = tmp_path / "m.npz"
    code, _, err = _run("train", str(labelled), "--out", str(out))
    assert code == 2 and where in err
    assert not out.exists()


def test_classify_bad_input(tmp_path: Path, model_file: Path) -> None:
    bad = tmp_path / "P.csv"
    bad.write_text("id,text\n1,abc\n1,def\n", encoding="utf-8")
    code, out, err = _run("classify", str(bad), "--model", str(model_file))
    assert code == 2 and out == "" and "P.csv, row 3, column 'id'" in err
    good = tmp_path / "G.csv"
    good.write_text("id,text,theme\n1,abc,water\n2,def,\n", encoding="utf-8")
    code, out, err = _run("classify", str(good), "--model", str(model_file), "--evaluate")
    assert code == 2 and out == "" and "G.csv, row 3, column 'theme'" in err
    code, _, err = _run("classify", str(good), "--model", str(tmp_path / "none.npz"))
    assert code == 2 and "model file not found" in err
    code, _, err = _run("classify", str(good), "--format", "xml")
    assert code == 2 and "--format" in err


def test_themes_lists_the_registry() -> None:
    code, out, _ = _run("themes", "--format", "json")
    assert code == 0
    themes = json.loads(out)
    assert len(themes) == 14 and themes[0]["code"] == "water" and themes[0]["kk"] == "Су және кәріз"
