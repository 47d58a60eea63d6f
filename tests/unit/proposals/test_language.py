"""Language detection: Kazakh letters and words, Russian words and endings, mixed and unknown texts."""

from __future__ import annotations

from collections import Counter

import pytest

from tandau.core.proposals import detect_language, language_votes
from tandau.io.proposals_csv import Proposal


@pytest.mark.parametrize(("text", "expected"), [
    ("Біздің ауылда ауыз су жоқ, көмектесіңіздер", "kk"),
    ("Бизде су жок, ауылга су керек", "kk"),  # Kazakh typed on a Russian keyboard
    ("auylda jol joq, asfalt kerek, suraimyz", "kk"),  # Latin-script Kazakh
    ("Просим отремонтировать дорогу по улице Абая", "ru"),
    ("в нашем доме не работает лифт уже полгода", "ru"),
    ("Сәлеметсіз бе, у нас в доме нет отопления, батареи холодные, помогите пожалуйста", "ru"),  # a greeting
    ("Біздің ауылда су жоқ, мы уже устали ждать, помогите пожалуйста", "mixed"),
    ("2024", "unknown"),
    ("", "unknown"),
])
def test_examples(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_votes_count_words() -> None:
    votes = language_votes("Мен сіздерге жазып отырмын, очень прошу помочь")
    assert votes.kk >= 2 and votes.ru >= 2
    assert votes.language == "mixed"


def test_agrees_with_the_labelled_set(labelled: tuple[Proposal, ...]) -> None:
    verdicts = Counter((r.lang, detect_language(r.text)) for r in labelled)
    n = len(labelled)
    right = verdicts[("kk", "kk")] + verdicts[("ru", "ru")]
    swapped = verdicts[("kk", "ru")] + verdicts[("ru", "kk")]
    assert right / n >= 0.93, verdicts
    assert swapped / n <= 0.01, verdicts
