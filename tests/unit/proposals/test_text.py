"""Normalisation, word features and the theme registry."""

from __future__ import annotations

import pytest

from tandau.core.proposals import THEME_CODES, THEMES, default_lexicon, get_theme, normalise, word_features
from tandau.errors import UnknownIdError


@pytest.mark.parametrize(("text", "expected"), [
    ("Ёлка", "елка"),
    ("ҚАЗАҚСТАН әкімдігі", "казакстан акимдиги"),
    ("Мектеп, мектеп!!! мектеп...", "мектеп мектеп мектеп"),
    ("мeктeп", "мектеп"),  # Latin e typed inside a Cyrillic word
    ("Qazaqstan şaharlary", "казакстан шахарлары"),  # Latin-script Kazakh (2021 alphabet)
    ("auylda shyǵys", "ауылда шыгыс"),
    ("дом №12, кв 7", "дом 00 кв 0"),
    ("жол_жоқ", "жол жок"),
    ("   ", ""),
])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("text", ["Біздің АУЫЛДА су жоқ!!!", "Köşede shūñqyr", "ВОДЫ НЕТ", "мeктeп №5"])
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


def test_word_features_are_char_wb_ngrams_and_stems() -> None:
    feats = word_features("вода", (2, 5), {"вода=": ("water",), "во": ("x",)})
    assert " в" in feats and "вода " in feats and " вода" in feats
    assert "#water" in feats and "#x" in feats
    assert word_features("водопровод", (2, 5), {"вода=": ("water",)})[-1] != "#water"


def test_registry() -> None:
    assert len(set(THEME_CODES)) == len(THEMES) == 14
    assert THEME_CODES[-1] == "other"
    for theme in THEMES:
        assert theme.kk and theme.ru and theme.en and theme.covers
        assert theme.name("kk") == theme.kk and theme.name("xx") == theme.en
        assert all("=" not in stem[:-1] for stem in theme.stems), theme.code
        if theme.code != "other":
            assert len(theme.stems) >= 20, theme.code
    with pytest.raises(UnknownIdError, match="valid: water, utilities"):
        get_theme("weather")


def test_lexicon_stems_survive_normalisation() -> None:
    lexicon = default_lexicon()
    assert all(stem.rstrip("=") for stem, _ in lexicon)
    assert {code for _, code in lexicon} == set(THEME_CODES)
    assert ("кезек", "housing") in lexicon  # кезек: folded from the registry's кезек
