"""Scores of a classifier against known themes: accuracy, macro-F1 (the unweighted mean of each theme's F1 over
the themes that occur among the true or the predicted ones, as scikit-learn's ``f1_score(average="macro")``),
the same by language, and the confusion counts.

>>> e = evaluate(["water", "roads", "roads"], ["water", "roads", "water"], ["kk", "ru", "ru"])
>>> e.overall.accuracy, round(e.overall.macro_f1, 3), e.by_language["kk"].n
(0.6666666666666666, 0.667, 1)
>>> e.confusion["roads"]["water"]
1
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tandau.errors import InputError

__all__ = ["Evaluation", "Scores", "evaluate", "macro_f1", "scores"]


@dataclass(frozen=True, slots=True)
class Scores:
    """Accuracy and macro-F1 over ``n`` proposals."""

    n: int
    accuracy: float
    macro_f1: float

    def as_dict(self) -> dict[str, float | int]:
        """``{"accuracy", "macro_f1", "n"}`` (scores rounded to 4 places)."""
        return {"accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4), "n": self.n}


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores overall and by language; ``confusion[true][predicted]`` counts (only non-zero cells)."""

    overall: Scores
    by_language: Mapping[str, Scores]
    confusion: Mapping[str, Mapping[str, int]]


def macro_f1(true: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean F1 over the labels in ``true`` or ``predicted`` (0 for an empty input)."""
    labels = sorted(set(true) | set(predicted))
    if not labels:
        return 0.0
    pairs = Counter(zip(true, predicted, strict=True))
    t, p = Counter(true), Counter(predicted)
    total = 0.0
    for label in labels:
        tp = pairs[(label, label)]
        denominator = t[label] + p[label]
        total += 2 * tp / denominator if denominator else 0.0
    return total / len(labels)


def scores(true: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Accuracy and macro-F1 of ``predicted`` against ``true``."""
    if len(true) != len(predicted):
        raise InputError(f"{len(true)} true themes but {len(predicted)} predictions")
    n = len(true)
    right = sum(a == b for a, b in zip(true, predicted, strict=True))
    return Scores(n, right / n if n else 0.0, macro_f1(true, predicted))


def evaluate(true: Sequence[str], predicted: Sequence[str], languages: Sequence[str]) -> Evaluation:
    """Scores overall, by language (in first-seen order) and the confusion counts."""
    if not len(true) == len(predicted) == len(languages):
        raise InputError(f"{len(true)} true themes, {len(predicted)} predictions and {len(languages)} languages")
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for t, p, lang in zip(true, predicted, languages, strict=True):
        group = groups.setdefault(lang, ([], []))
        group[0].append(t)
        group[1].append(p)
    confusion: dict[str, dict[str, int]] = {}
    for (t, p), count in sorted(Counter(zip(true, predicted, strict=True)).items()):
        confusion.setdefault(t, {})[p] = count
    return Evaluation(scores(true, predicted), {lang: scores(*g) for lang, g in groups.items()}, confusion)
