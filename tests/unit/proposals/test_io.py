"""PROPOSALS.csv reading and model files: errors name the file, row and column; nothing half-read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import tandau.io.proposals_model as model_io
from tandau.core.proposals import ThemeModel
from tandau.errors import InputError
from tandau.io.proposals_csv import read_labelled, read_proposals
from tandau.io.proposals_model import default_model, load_model, save_model


def _write(tmp_path: Path, text: str, name: str = "PROPOSALS.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_required_and_optional_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "ID;Text;lang;theme;territory;age;channel;submitted_at\n"
                            "a1;Ауылға су керек;kk;water;Қаскелең;34;sms;2026-03-01\n"
                            "a2;\"Нет света, помогите\";;;;;;\n\n")
    rows = read_proposals(path)
    assert [r.id for r in rows] == ["a1", "a2"]
    assert rows[0].lang == "kk" and rows[0].theme == "water" and rows[0].age == 34
    assert str(rows[0].submitted_at) == "2026-03-01" and rows[0].row == 2
    assert rows[1].lang is None and rows[1].theme is None and rows[1].text == "Нет света, помогите"


def test_reads_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "text", "age"])
    sheet.append([17, "Жол жоқ", 40])
    path = tmp_path / "p.xlsx"
    book.save(path)
    rows = read_proposals(path)
    assert rows[0].id == "17" and rows[0].age == 40


@pytest.mark.parametrize(("content", "row", "column", "words"), [
    ("id,texts\n1,a\n", 1, "text", "missing column"),
    ("id,text\n1,abc\n1,def\n", 3, "id", "duplicate id '1' (first in row 2)"),
    ("id,text\n1,abc\n,def\n", 3, "id", "empty"),
    ("id,text\n1,\n", 2, "text", "empty"),
    ("id,text,lang\n1,abc,en\n", 2, "lang", "expected one of kk, ru, mixed"),
    ("id,text,theme\n1,abc,weather\n", 2, "theme", "expected one of water"),
    ("id,text,age\n1,abc,-3\n", 2, "age", "whole years"),
    ("id,text,submitted_at\n1,abc,01.03.2026\n", 2, "submitted_at", "YYYY-MM-DD"),
])
def test_bad_rows_name_file_row_and_column(tmp_path: Path, content: str, row: int, column: str, words: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(InputError) as info:
        read_proposals(path)
    assert info.value.file == "PROPOSALS.csv" and info.value.row == row and info.value.column == column
    assert words in str(info.value)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no proposals"):
        read_proposals(_write(tmp_path, "id,text\n"))
    with pytest.raises(InputError, match="file not found"):
        read_proposals(tmp_path / "nope.csv")


def test_labelled_needs_a_theme_on_every_row(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_labelled(_write(tmp_path, "id,text,theme\n1,abc,water\n2,def,\n"))
    assert (info.value.row, info.value.column) == (3, "theme")


def test_model_file_errors(tmp_path: Path, train_split_model: ThemeModel) -> None:
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"garbage\.npz.*not a readable"):
        load_model(garbage)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, header=np.asarray([{"a": 1}], dtype=object))
    with pytest.raises(InputError, match=r"pickled\.npz"):
        load_model(pickled)  # object arrays need pickle: refused
    other = tmp_path / "other.npz"
    np.savez(other, header=np.asarray('{"format": "something-else"}'))
    with pytest.raises(InputError, match="not a Tandau proposals model"):
        load_model(other)
    old = tmp_path / "old.npz"
    save_model(train_split_model, old)
    with np.load(old) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["header"] = np.asarray('{"format": "tandau-proposals-model", "format_version": 999}')
    np.savez(old, **arrays)
    with pytest.raises(InputError, match="format version 999"):
        load_model(old)
    with pytest.raises(InputError, match="model file not found"):
        load_model(tmp_path / "absent.npz")


def test_default_model_is_trained_once_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   train_split_model: ThemeModel) -> None:
    """The first use trains on every row of the shipped set and caches the model; a second start loads it. The
    training itself is the session's (``train_split_model``: training is tested there and in test_classify), so
    this test does not train a second model."""
    monkeypatch.setenv("TANDAU_CACHE_DIR", str(tmp_path / "cache"))
    trained: list[int] = []

    def train(texts: list[str], themes: list[str]) -> ThemeModel:
        trained.append(len(texts))
        assert len(themes) == len(texts)
        return train_split_model

    monkeypatch.setattr(model_io, "train_model", train)
    default_model.cache_clear()
    try:
        model = default_model()
        assert trained == [len(read_labelled())]  # once, on every labelled row
        files = list((tmp_path / "cache").iterdir())
        assert len(files) == 1 and files[0].name.startswith("proposals-") and files[0].suffix == ".npz"
        default_model.cache_clear()
        monkeypatch.setattr(model_io, "train_model", None)  # a second start must load, not train
        again = default_model()
        assert again.vocabulary == model.vocabulary
        assert np.array_equal(again.coef, model.coef)
        assert again.meta == model.meta
    finally:
        default_model.cache_clear()
