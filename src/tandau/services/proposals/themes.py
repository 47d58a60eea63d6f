"""The one place where proposals meet the theme classifier and the language detector (issue 13, item 6).

The classifier and its taxonomy live in :mod:`tandau.core.proposals` (themes with stable codes and kk/ru/en names,
a TF-IDF + logistic-regression model trained on the packaged labelled set: :func:`tandau.io.proposals_model.
default_model`). Everything in the proposals services that needs a theme, a confidence, a theme's name or a
language asks here, so the integration is in one module.

When the model cannot be loaded (no labelled set installed, a read-only cache that cannot be written and no
cached model), proposals are stored without a theme (``theme`` null, confidence null): moderators set one by
hand, and :func:`classify_missing` can run again later.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from tandau.errors import TandauError

log = logging.getLogger(__name__)

_KK_LETTERS = frozenset("әғқңөұүһі")


def _themes_module() -> Any | None:
    try:
        return import_module("tandau.core.proposals.themes")
    except ImportError:  # pragma: no cover - the taxonomy ships with the package
        return None


def theme_codes() -> tuple[str, ...]:
    """The theme codes of the taxonomy, in its order (none without the taxonomy)."""
    module = _themes_module()
    return () if module is None else tuple(module.THEME_CODES)


def theme_name(code: str | None, lang: str) -> str:
    """A theme's name in ``lang`` (kk, ru, en); the code itself when the taxonomy does not know it."""
    if not code:
        return ""
    module = _themes_module()
    if module is None or code not in module.THEME_CODES:
        return code
    return str(module.get_theme(code).name(lang))


def detect_language(text: str) -> str:
    """``kk``, ``ru``, ``mixed`` or ``unknown`` (:func:`tandau.core.proposals.language.detect_language`)."""
    try:
        detect = import_module("tandau.core.proposals.language").detect_language
    except ImportError:  # pragma: no cover - the detector ships with the package
        return "kk" if any(ch in _KK_LETTERS for ch in text.lower()) else "ru"
    return str(detect(text))


def _model() -> Any | None:
    try:
        return import_module("tandau.io.proposals_model").default_model()
    except (ImportError, TandauError, OSError) as exc:
        log.warning("no theme model (%s): proposals are stored without a theme", type(exc).__name__)
        return None


def classify(texts: Sequence[str]) -> list[tuple[str | None, float | None]]:
    """(theme code, confidence 0-1) of each text by the classifier; (None, None) for each when it is unavailable."""
    if not texts:
        return []
    model = _model()
    if model is None:
        return [(None, None)] * len(texts)
    return [(str(p.theme), round(float(p.confidence), 4)) for p in model.predict(list(texts))]
