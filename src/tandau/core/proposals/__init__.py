"""Citizens' proposals (issue 13, item 6): themes, language detection, the theme classifier and its scores.

>>> from tandau.core.proposals import detect_language, get_theme
>>> detect_language("Ауылға жол керек"), get_theme("roads").kk
('kk', 'Жолдар және көлік')
"""

from tandau.core.proposals.classify import (
    FORMAT_VERSION,
    Prediction,
    ThemeModel,
    default_lexicon,
    normalise,
    train_model,
    word_features,
)
from tandau.core.proposals.evaluate import Evaluation, Scores, evaluate, macro_f1, scores
from tandau.core.proposals.language import LANGUAGES, Language, LanguageVotes, detect_language, language_votes
from tandau.core.proposals.themes import THEME_CODES, THEMES, Theme, get_theme

__all__ = [
    "FORMAT_VERSION",
    "LANGUAGES",
    "THEMES",
    "THEME_CODES",
    "Evaluation",
    "Language",
    "LanguageVotes",
    "Prediction",
    "Scores",
    "Theme",
    "ThemeModel",
    "default_lexicon",
    "detect_language",
    "evaluate",
    "get_theme",
    "language_votes",
    "macro_f1",
    "normalise",
    "scores",
    "train_model",
    "word_features",
]
