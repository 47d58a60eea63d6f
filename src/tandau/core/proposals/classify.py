"""Theme classification of citizens' proposals in Kazakh and Russian (issue 13, item 6).

The text is normalised (:func:`normalise`): lower case, ``ё`` → ``е``, Kazakh letters folded onto their Russian
keyboard look-alikes (``қ`` → ``к``, ``і`` → ``и``: many people type Kazakh without them), Latin-script Kazakh
transliterated to Cyrillic and Latin look-alikes inside Cyrillic words (``мeктeп``) replaced, digits → ``0``,
punctuation → space. Each word gives its character n-grams with word boundaries (``char_wb`` 2-5, as
scikit-learn's analyser) and a ``#theme`` feature when it starts with one of the theme's stems
(:mod:`~tandau.core.proposals.themes`). Features are weighted by TF-IDF (sublinear tf, smoothed idf, l2 norm)
and a multinomial logistic regression (scikit-learn) gives each theme a probability; the most probable theme
is the answer, its probability the confidence.

A :class:`ThemeModel` holds plain arrays (vocabulary, idf, coefficients), so it can be stored without pickle
(:mod:`tandau.io.proposals_model`) and predicts without scikit-learn: a word's features are computed once and
cached, so 100,000 proposals take a few seconds.

>>> normalise("Біздің АУЫЛДА су жоқ!!! Köşede 3 shūñqyr, мeктeп")
'биздин ауылда су жок кошеде 0 шункыр мектеп'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tandau.core.proposals.themes import THEME_CODES, THEMES
from tandau.errors import InputError

__all__ = ["FORMAT_VERSION", "Prediction", "ThemeModel", "default_lexicon", "normalise", "train_model",
           "word_features"]

FORMAT_VERSION = 1
_MAX_CACHE = 400_000  # words whose feature indices are kept (a few tens of MB at most)

_FOLD = {"ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
         "й": "и", "ъ": ""}
_FOLD.update({str(d): "0" for d in range(1, 10)})
_FOLD_TABLE = str.maketrans(_FOLD)
_LATIN_LETTERS = "a-zäğñöūüışçéáóúý"
_HAS_LATIN = re.compile(f"[{_LATIN_LETTERS}]")
_WORD_WITH_LATIN = re.compile(f"\\w*[{_LATIN_LETTERS}]\\w*")
_CYRILLIC = re.compile("[а-яёәғқңөұүһі]")
_LOOKALIKE = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к",
                            "m": "м", "t": "т", "h": "н", "b": "в", "i": "і", "ı": "і"})
_LATIN_PAIRS = (("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ya", "я"), ("ia", "я"),
                ("yu", "ю"), ("iu", "ю"), ("io", "е"))
_LATIN = str.maketrans({"a": "а", "ä": "а", "á": "а", "b": "б", "c": "с", "ç": "ч", "d": "д", "e": "е", "é": "е",
                        "f": "ф", "g": "г", "ğ": "г", "h": "х", "i": "и", "ı": "и", "j": "ж", "k": "к", "q": "к",
                        "l": "л", "m": "м", "n": "н", "ñ": "н", "o": "о", "ö": "о", "ó": "о", "p": "п", "r": "р",
                        "s": "с", "ş": "ш", "t": "т", "u": "у", "ū": "у", "ü": "у", "ú": "у", "v": "в", "w": "у",
                        "x": "х", "y": "ы", "ý": "ы", "z": "з"})
_NON_WORD = re.compile(r"[\W_]+")


def _latin_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if _CYRILLIC.search(word):  # a Cyrillic word with Latin look-alikes typed in
        return word.translate(_LOOKALIKE)
    for latin, cyrillic in _LATIN_PAIRS:
        word = word.replace(latin, cyrillic)
    return word.translate(_LATIN)


def normalise(text: str) -> str:
    """The text as the classifier reads it (see the module's docstring); words separated by one space."""
    text = text.lower()
    if _HAS_LATIN.search(text):
        text = _WORD_WITH_LATIN.sub(_latin_word, text)
    return " ".join(_NON_WORD.sub(" ", text.translate(_FOLD_TABLE)).split())


def default_lexicon() -> tuple[tuple[str, str], ...]:
    """(normalised stem, theme code) pairs from the theme registry; a stem ending in ``=`` is a whole word."""
    pairs: list[tuple[str, str]] = []
    for theme in THEMES:
        for stem in theme.stems:
            exact = stem.endswith("=")
            norm = normalise(stem.rstrip("="))
            if norm:
                pairs.append((norm + ("=" if exact else ""), theme.code))
    return tuple(sorted(set(pairs)))


def word_features(word: str, ngram: tuple[int, int], lexicon: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The features of one normalised word: its character n-grams within ``' word '`` and its ``#theme`` tags.

    >>> word_features("су", (2, 3), {"су=": ("water",)})
    [' с', 'су', 'у ', ' су', 'су ', '#water']
    """
    padded = f" {word} "
    out = [padded[i:i + n] for n in range(ngram[0], ngram[1] + 1) for i in range(len(padded) - n + 1)]
    tags: set[str] = set(lexicon.get(word + "=", ()))
    for end in range(2, len(word) + 1):
        tags.update(lexicon.get(word[:end], ()))
    out.extend(f"#{t}" for t in sorted(tags))
    return out


def _lexicon_map(lexicon: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for stem, theme in lexicon:
        grouped.setdefault(stem, []).append(theme)
    return {stem: tuple(sorted(themes)) for stem, themes in grouped.items()}


@dataclass(frozen=True, slots=True)
class Prediction:
    """The theme of one proposal and the model's probability for it (0-1)."""

    theme: str
    confidence: float


@dataclass(frozen=True)
class ThemeModel:
    """A trained classifier as plain arrays: features (``vocabulary``), ``idf``, ``coef`` (themes × features),
    ``intercept``, the theme codes (``classes``), the n-gram range and the stem lexicon it was trained with."""

    vocabulary: tuple[str, ...]
    idf: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    classes: tuple[str, ...]
    ngram: tuple[int, int] = (2, 5)
    lexicon: tuple[tuple[str, str], ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _words: dict[str, NDArray[np.int32]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _lexmap: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.vocabulary)
        if self.idf.shape != (n,) or self.coef.shape != (len(self.classes), n) or \
                self.intercept.shape != (len(self.classes),):
            raise InputError(f"inconsistent model arrays: {n} features, idf {self.idf.shape}, coef "
                             f"{self.coef.shape}, intercept {self.intercept.shape}, {len(self.classes)} themes")
        self._index.update((f, i) for i, f in enumerate(self.vocabulary))
        self._lexmap.update(_lexicon_map(self.lexicon))

    def _word(self, word: str) -> NDArray[np.int32]:
        cached = self._words.get(word)
        if cached is None:
            index = self._index
            found = [index[f] for f in word_features(word, self.ngram, self._lexmap) if f in index]
            cached = np.asarray(found, dtype=np.int32)
            if len(self._words) >= _MAX_CACHE:
                self._words.clear()
            self._words[word] = cached
        return cached

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The TF-IDF matrix of ``texts`` (rows l2-normalised)."""
        return tfidf(_counts(texts, self._word, len(self.vocabulary)), self.idf)

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Probability of every theme (columns in ``classes`` order) for each text."""
        scores = np.asarray(self.features(texts) @ self.coef.T) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def predict(self, texts: Sequence[str], *, batch: int = 20_000) -> tuple[Prediction, ...]:
        """The most probable theme of each text, with its probability."""
        out: list[Prediction] = []
        for start in range(0, len(texts), batch):
            p = self.probabilities(texts[start:start + batch])
            best = p.argmax(axis=1)
            out.extend(Prediction(self.classes[k], float(p[i, k])) for i, k in enumerate(best))
        return tuple(out)


def _counts(texts: Sequence[str], word: Any, n_features: int) -> sparse.csr_matrix:
    chunks: list[NDArray[np.int32]] = []
    indptr = [0]
    for text in texts:
        total = indptr[-1]
        for w in normalise(text).split(" "):
            if w:
                idx = word(w)
                chunks.append(idx)
                total += len(idx)
        indptr.append(total)
    indices = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix((data, indices, np.asarray(indptr, dtype=np.int64)), shape=(len(texts), n_features))
    matrix.sum_duplicates()
    return matrix


def tfidf(counts: sparse.csr_matrix, idf: NDArray[np.float64]) -> sparse.csr_matrix:
    """Sublinear tf (1 + ln count) × idf, rows scaled to unit length (scikit-learn's TfidfTransformer)."""
    m = counts.copy()
    m.data = (1.0 + np.log(m.data)) * idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m.data /= np.repeat(norms, np.diff(m.indptr))
    return m


def train_model(texts: Sequence[str], themes: Sequence[str], *, c: float = 20.0, ngram: tuple[int, int] = (2, 5),
                min_df: int = 2, lexicon: Sequence[tuple[str, str]] | None = None,
                valid: Sequence[str] = THEME_CODES) -> ThemeModel:
    """Fit a model on labelled texts (scikit-learn's LogisticRegression, deterministic).

    Every theme must be one of ``valid``; at least two themes must occur. Features seen in fewer than
    ``min_df`` texts are dropped; ``c`` is the inverse regularisation strength.
    """
    from sklearn.linear_model import LogisticRegression

    if len(texts) != len(themes):
        raise InputError(f"{len(texts)} texts but {len(themes)} themes")
    unknown = sorted(set(themes) - set(valid))
    if unknown:
        raise InputError(f"unknown theme(s) {', '.join(unknown)}; valid: {', '.join(valid)}")
    if len(set(themes)) < 2:
        raise InputError("training needs proposals of at least two themes")
    lex = tuple(lexicon) if lexicon is not None else default_lexicon()
    lexmap = _lexicon_map(lex)
    cache: dict[str, list[str]] = {}
    df: dict[str, int] = {}
    for text in texts:
        seen: set[str] = set()
        for w in normalise(text).split(" "):
            if w and w not in cache:
                cache[w] = word_features(w, ngram, lexmap)
            seen.update(cache.get(w, ()))
        for f in seen:
            df[f] = df.get(f, 0) + 1
    vocabulary = tuple(sorted(f for f, k in df.items() if k >= min_df))
    index = {f: i for i, f in enumerate(vocabulary)}
    words = {w: np.asarray([index[f] for f in fs if f in index], dtype=np.int32) for w, fs in cache.items()}
    n = len(texts)
    idf = np.asarray([math.log((1 + n) / (1 + df[f])) + 1.0 for f in vocabulary], dtype=np.float64)
    x = tfidf(_counts(texts, words.__getitem__, len(vocabulary)), idf)
    model = LogisticRegression(C=c, max_iter=1000, tol=1e-4)
    model.fit(x, list(themes))
    classes = tuple(str(k) for k in model.classes_)
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: expand to the softmax form
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.asarray([-intercept[0] / 2, intercept[0] / 2])
    return ThemeModel(vocabulary, idf, coef, intercept, classes, ngram, lex,
                      {"format_version": FORMAT_VERSION, "trained_on": n, "c": c, "min_df": min_df})
