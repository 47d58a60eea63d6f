"""Repeat appeals (core.appeals.repeats) against an oracle: the batch linking of an import equals, appeal by
appeal, :func:`find_repeat` against every appeal received before it; the window, the applicant rule and the
territory rule each on their own; and the terms of the workflow."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tandau.core.appeals.repeats import Prior, find_repeat, link_batch
from tandau.core.appeals.terms import Terms, extension_limit, retention_ends

BASE = ["Во дворе дома {n} по улице Абая разбита дорога, прошу отремонтировать",
        "Не работает уличное освещение на улице Сейфуллина возле дома {n}",
        "Ауылдағы мектептің шатыры ағып тұр, {n} сыныпта балалар отыра алмайды",
        "Прошу выделить место в детском саду, очередь {n} лет не движется"]


def _variant(rng: random.Random, text: str) -> str:
    words = text.split()
    if rng.random() < 0.5:
        words[rng.randrange(len(words))] = rng.choice(("срочно", "пожалуйста", "тез", "очень"))
    return " ".join(words) + rng.choice(("", "!", " Спасибо.", " Рахмет."))


@pytest.mark.parametrize("seed", range(4))
def test_batch_linking_equals_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    items: list[Prior] = []
    start = date(2026, 1, 1)
    for index in range(300):
        if items and rng.random() < 0.4:
            base = rng.choice(items)
            text, kato = _variant(rng, base.text), base.kato if rng.random() < 0.8 else "710000000"
            who = base.applicant if rng.random() < 0.5 else f"h{rng.randrange(40)}"
        else:
            text = rng.choice(BASE).format(n=rng.randrange(1, 30))
            kato, who = rng.choice(("750000000", "751210000", "190000000")), f"h{rng.randrange(40)}"
        items.append(Prior(f"a{index:03d}", kato, who if rng.random() < 0.8 else None, text,
                           start + timedelta(days=rng.randrange(200))))
    batch = link_batch(items, window=90)
    ordered = sorted(items, key=lambda p: (p.received, p.id))
    oracle = {}
    for i, new in enumerate(ordered):
        match = find_repeat(new, ordered[:i], window=90)
        if match is not None:
            oracle[new.id] = match
    assert len(oracle) > 50
    assert {k: (v.reason, v.score) for k, v in batch.items()} == {k: (v.reason, v.score) for k, v in oracle.items()}


def test_window_applicant_and_territory() -> None:
    day = date(2026, 3, 2)
    old = Prior("a1", "750000000", "h1", "Во дворе дома 5 по улице Абая разбита дорога", day)
    # the same applicant, a text only loosely alike (Jaccard 0.3-0.6): a repeat for them, not for a stranger
    loose = "Разбита дорога во дворе дома 5 на Абая, повторно прошу"  # Jaccard 0.35
    assert find_repeat(Prior("a2", "750000000", "h1", loose, day + timedelta(days=10)), [old], window=90) is not None
    assert find_repeat(Prior("a3", "750000000", "h2", loose, day + timedelta(days=10)), [old], window=90) is None
    # a near-duplicate from anyone in the same territory; not in another, not after the window, not before
    near = old.text + "!"
    assert find_repeat(Prior("a4", "750000000", None, near, day + timedelta(days=90)), [old], window=90) is not None
    assert find_repeat(Prior("a5", "710000000", None, near, day + timedelta(days=1)), [old], window=90) is None
    assert find_repeat(Prior("a6", "750000000", None, near, day + timedelta(days=91)), [old], window=90) is None
    assert find_repeat(Prior("a7", "750000000", None, near, day - timedelta(days=1)), [old], window=90) is None


def test_terms() -> None:
    assert extension_limit(date(2026, 12, 31), Terms()) == date(2027, 2, 28)
    assert retention_ends(date(2026, 3, 2), Terms(retention_years=1)) == date(2027, 3, 2)
    assert Terms().deadlines().answer_working_days == 15
    with pytest.raises(ValueError, match="answer_days"):
        Terms(answer_days=0)
