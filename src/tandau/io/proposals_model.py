"""Theme models on disk, without pickle (a server loads them): one ``.npz`` of plain arrays (NumPy, loaded with
``allow_pickle=False``) holding the vocabulary, idf, coefficients, intercepts, themes, n-gram range, stem
lexicon and a JSON header with the format version.

The default model is trained from the labelled set shipped in ``tandau/data/proposals/labelled.csv`` on first
use (all of its rows; a few seconds) and cached as ``proposals-<sha256 of the set>-v<format>.npz`` in
``$TANDAU_CACHE_DIR`` (default ``$XDG_CACHE_HOME/tandau``, else ``~/.cache/tandau``); an unwritable cache only
costs the training again. Writes are atomic: a temporary file beside the target, then a rename.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zipfile
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from tandau.core.proposals.classify import FORMAT_VERSION, ThemeModel, train_model
from tandau.errors import InputError

__all__ = ["cache_dir", "default_model", "load_model", "packaged_labelled_bytes", "save_model"]


def save_model(model: ThemeModel, path: Path) -> None:
    """Write ``model`` to ``path`` (.npz) atomically."""
    header = {"format": "tandau-proposals-model", "format_version": FORMAT_VERSION, "meta": dict(model.meta)}
    arrays = {
        "header": np.asarray(json.dumps(header, ensure_ascii=False)),
        "vocabulary": np.asarray(model.vocabulary, dtype=str),
        "idf": model.idf,
        "coef": model.coef,
        "intercept": model.intercept,
        "classes": np.asarray(model.classes, dtype=str),
        "ngram": np.asarray(model.ngram, dtype=np.int64),
        "lexicon_stems": np.asarray([s for s, _ in model.lexicon], dtype=str),
        "lexicon_themes": np.asarray([t for _, t in model.lexicon], dtype=str),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_model(path: Path) -> ThemeModel:
    """Read a model written by :func:`save_model`; a file that is not one raises InputError naming it."""
    name = str(path)
    if not path.is_file():
        raise InputError("model file not found", file=name)
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            if header.get("format") != "tandau-proposals-model":
                raise InputError("not a Tandau proposals model", file=name)
            if header.get("format_version") != FORMAT_VERSION:
                raise InputError(f"model format version {header.get('format_version')}; this Tandau reads version "
                                 f"{FORMAT_VERSION}: retrain with tandau proposals train", file=name)
            stems = [str(s) for s in data["lexicon_stems"]]
            themes = [str(t) for t in data["lexicon_themes"]]
            ngram = tuple(int(n) for n in data["ngram"])
            return ThemeModel(tuple(str(v) for v in data["vocabulary"]), np.asarray(data["idf"], dtype=np.float64),
                              np.asarray(data["coef"], dtype=np.float64),
                              np.asarray(data["intercept"], dtype=np.float64),
                              tuple(str(c) for c in data["classes"]), (ngram[0], ngram[1]),
                              tuple(zip(stems, themes, strict=True)), header.get("meta", {}))
    except InputError as exc:
        if exc.file is None:
            raise InputError(exc.problem, file=name) from None
        raise
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise InputError(f"not a readable Tandau proposals model ({exc.__class__.__name__})", file=name) from None


def packaged_labelled_bytes() -> bytes:
    """The labelled set shipped with Tandau (``tandau/data/proposals/labelled.csv``)."""
    return resources.files("tandau.data").joinpath("proposals", "labelled.csv").read_bytes()


def cache_dir() -> Path:
    """Where the default model is cached (see the module's docstring)."""
    explicit = os.environ.get("TANDAU_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "tandau"


@cache
def default_model() -> ThemeModel:
    """The model trained on every row of the shipped labelled set (cached on disk and in memory)."""
    from tandau.io.proposals_csv import read_labelled

    digest = hashlib.sha256(packaged_labelled_bytes()).hexdigest()[:16]
    path = cache_dir() / f"proposals-{digest}-v{FORMAT_VERSION}.npz"
    if path.is_file():
        try:
            return load_model(path)
        except InputError:
            pass  # a damaged cache file: train again and overwrite it
    rows = read_labelled()
    model = train_model([r.text for r in rows], [r.theme or "" for r in rows])
    with contextlib.suppress(OSError):  # a read-only home or cache: the model lives in memory only
        save_model(model, path)
    return model
