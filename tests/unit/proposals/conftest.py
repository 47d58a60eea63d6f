"""Shared fixtures: the shipped labelled set and a model trained on its train split (once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandau.core.proposals import ThemeModel, train_model
from tandau.io.proposals_csv import Proposal, read_labelled
from tandau.io.proposals_model import save_model


@pytest.fixture(scope="session")
def labelled() -> tuple[Proposal, ...]:
    return read_labelled()


@pytest.fixture(scope="session")
def train_split_model(labelled: tuple[Proposal, ...]) -> ThemeModel:
    train = [r for r in labelled if r.split == "train"]
    return train_model([r.text for r in train], [r.theme or "" for r in train])


@pytest.fixture(scope="session")
def model_file(train_split_model: ThemeModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "model.npz"
    save_model(train_split_model, path)
    return path
