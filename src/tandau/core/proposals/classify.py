"""Theme classification of citizens' proposals in Kazakh and Russian (issue 13, item 6).

The text is normalised (:func:`normalise`): lower case, ``ё`` → ``е``, Kazakh letters folded onto their Russian
keyboard look-alikes (``қ`` → ``к``, ``і`` → ``и``: many people type Kazakh without them), Latin-script Kazakh
transliterated to Cyrillic and Latin look-alikes inside Cyrillic words (``мeктeп``) replaced, digits → ``0``,
punctuation → space. Each word gives its character n-grams with word boundaries (``char_wb`` 3-5, as
scikit-learn's analyser) and a ``#theme`` feature when it starts with one of the theme's stems
(:mod:`~tandau.core.proposals.themes`). Features are weighted by TF-IDF: a word's vector is its feature counts
× smoothed idf (``ln((1 + n) / (1 + df)) + 1``, as scikit-learn's), a document the sum of its words' vectors
scaled by ``1 / sqrt(Σ ||word vector||²)``. That scale is scikit-learn's l2 norm without the cross terms between
words, chosen so that a document's scores are sums of per-word scores: a word is computed once and cached,
and 100,000 proposals take about a second. A multinomial logistic regression (scikit-learn) gives each theme a
probability; the most probable theme is the answer, its probability the confidence.

A :class:`ThemeModel` holds plain arrays (vocabulary, idf, coefficients), so it can be stored without pickle
(:mod:`tandau.io.proposals_model`) and predicts without scikit-learn.

>>> normalise("Біздің АУЫЛДА су жоқ!!! Köşede 3 shūñqyr, мeктeп")
'биздин ауылда су жок кошеде 0 шункыр мектеп'
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tandau.core.proposals.themes import THEME_CODES, THEMES
from tandau.errors import InputError

__all__ = ["FORMAT_VERSION", "Prediction", "ThemeModel", "default_lexicon", "normalise", "normalise_token",
           "raw_tokens", "train_model", "word_features"]

FORMAT_VERSION = 1
_MAX_CACHE = 400_000  # words whose feature indices are kept (a few tens of MB at most)

_FOLD = {"ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
         "й": "и", "ъ": ""}
_FOLD.update({str(d): "0" for d in range(1, 10)})
_FOLD_TABLE = str.maketrans(_FOLD)
_LATIN_LETTERS = "a-zäğñöūüışçéáóúýǵń"
_HAS_LATIN = re.compile(f"[{_LATIN_LETTERS}]")
_CYRILLIC = re.compile("[а-яёәғқңөұүһі]")
_LOOKALIKE = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к",
                            "m": "м", "t": "т", "h": "н", "b": "в", "i": "і", "ı": "і"})
_LATIN_PAIRS = (("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ya", "я"), ("ia", "я"),
                ("yu", "ю"), ("iu", "ю"), ("io", "е"))
_LATIN = str.maketrans({
    "a": "а", "ä": "а", "á": "а", "b": "б", "c": "с", "ç": "ч", "d": "д", "e": "е", "é": "е", "f": "ф", "g": "г",
    "ğ": "г", "ǵ": "г", "h": "х", "i": "и", "ı": "и", "j": "ж", "k": "к", "q": "к", "l": "л", "m": "м", "n": "н",
    "ñ": "н", "ń": "н", "o": "о", "ö": "о", "ó": "о", "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у",
    "ū": "у", "ü": "у", "ú": "у", "v": "в", "w": "у", "x": "х", "y": "ы", "ý": "ы", "z": "з"})
_WORDS = re.compile(r"[^\W_]+")


def _latin_word(word: str) -> str:
    if _CYRILLIC.search(word):  # a Cyrillic word with Latin look-alikes typed in
        return word.translate(_LOOKALIKE)
    for latin, cyrillic in _LATIN_PAIRS:
        word = word.replace(latin, cyrillic)
    return word.translate(_LATIN)


def raw_tokens(text: str) -> list[str]:
    """The lower-cased words of ``text`` (runs of letters and digits), before folding."""
    return _WORDS.findall(text.lower())


def normalise_token(token: str) -> str:
    """One lower-cased word as the classifier reads it ('' when nothing is left)."""
    if _HAS_LATIN.search(token):
        token = _latin_word(token)
    return token.translate(_FOLD_TABLE)


def normalise(text: str) -> str:
    """The text as the classifier reads it (see the module's docstring); words separated by one space."""
    return " ".join(t for t in map(normalise_token, raw_tokens(text)) if t)


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
    heads = lexicon.heads if isinstance(lexicon, _Lexicon) else None
    if heads is None or word[:2] in heads:  # most words start like no stem: skip the prefix walk
        for end in range(2, len(word) + 1):
            tags.update(lexicon.get(word[:end], ()))
    if tags:
        out.extend(f"#{t}" for t in sorted(tags))
    return out


class _Lexicon(dict[str, tuple[str, ...]]):
    """Stems → themes, with the first two letters of every prefix stem (``heads``) for a quick rejection."""

    heads: frozenset[str]


def _lexicon_map(lexicon: Iterable[tuple[str, str]]) -> _Lexicon:
    grouped: dict[str, list[str]] = {}
    for stem, theme in lexicon:
        grouped.setdefault(stem, []).append(theme)
    out = _Lexicon((stem, tuple(sorted(themes))) for stem, themes in grouped.items())
    out.heads = frozenset(stem[:2] for stem in out if not stem.endswith("="))
    return out


@dataclass(frozen=True, slots=True)
class Prediction:
    """The theme of one proposal and the model's probability for it (0-1)."""

    theme: str
    confidence: float


class _WordTable:
    """Per-model cache: a raw token's row in ``scores`` (its theme scores, coef · v) and ``sq`` (its ||v||²)."""

    def __init__(self, classes: int) -> None:
        self.lock = threading.Lock()  # a web server predicts from several threads with one model
        self.ids: dict[str, int] = {}
        self.scores = np.zeros((0, classes))
        self.sq = np.zeros(0)

    def rows(self, model: ThemeModel, tokens: list[str]) -> NDArray[np.int64]:
        ids = self.ids
        missing = [t for t in set(tokens) if t not in ids]
        if missing:
            if len(ids) + len(missing) > _MAX_CACHE:
                ids.clear()
                self.scores, self.sq = self.scores[:0], self.sq[:0]
                missing = list(set(tokens))
            v = model.word_vectors([normalise_token(t) for t in missing])
            first = len(ids)
            ids.update((t, first + i) for i, t in enumerate(missing))
            self.scores = np.vstack([self.scores, np.asarray(v @ model.coef.T)])
            self.sq = np.concatenate([self.sq, np.asarray(v.multiply(v).sum(axis=1)).ravel()])
        return np.fromiter(map(ids.__getitem__, tokens), dtype=np.int64, count=len(tokens))


def _doc_words(texts: Sequence[str], rows: Callable[[list[str]], NDArray[np.int64]], n_words: Callable[[], int]
               ) -> sparse.csr_matrix:
    """Documents × words counts (rows from ``rows``; ``n_words`` read after the lookup)."""
    flat: list[str] = []
    lengths = np.zeros(len(texts) + 1, dtype=np.int64)
    for i, text in enumerate(texts):
        words = raw_tokens(text)
        flat.extend(words)
        lengths[i + 1] = len(words)
    ids = rows(flat)
    return sparse.csr_matrix((np.ones(len(ids)), ids, np.cumsum(lengths)), shape=(len(texts), n_words()))


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: models compare by identity
class ThemeModel:
    """A trained classifier as plain arrays: features (``vocabulary``), ``idf``, ``coef`` (themes × features),
    ``intercept``, the theme codes (``classes``), the n-gram range and the stem lexicon it was trained with.

    A document is the sum of its words' vectors ``v`` (each word's feature counts × idf) divided by
    ``sqrt(Σ ||v||²)`` over its words, so its scores ``coef · x`` are sums over words of cached per-word scores.
    """

    vocabulary: tuple[str, ...]
    idf: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    classes: tuple[str, ...]
    ngram: tuple[int, int] = (3, 5)
    lexicon: tuple[tuple[str, str], ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _lex: list[_Lexicon] = field(default_factory=list, init=False, repr=False, compare=False)
    _table: list[_WordTable] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.vocabulary)
        if self.idf.shape != (n,) or self.coef.shape != (len(self.classes), n) or \
                self.intercept.shape != (len(self.classes),):
            raise InputError(f"inconsistent model arrays: {n} features, idf {self.idf.shape}, coef "
                             f"{self.coef.shape}, intercept {self.intercept.shape}, {len(self.classes)} themes")
        self._index.update((f, i) for i, f in enumerate(self.vocabulary))
        self._lex.append(_lexicon_map(self.lexicon))
        self._table.append(_WordTable(len(self.classes)))

    def word_vectors(self, words: Sequence[str]) -> sparse.csr_matrix:
        """Each normalised word's vector: its feature counts × idf (words × features)."""
        return _word_counts(words, self._index, self.ngram, self._lex[0]).multiply(self.idf).tocsr()

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The documents' feature matrix (see the class docstring); the input of the logistic regression."""
        words: dict[str, int] = {}

        def rows(tokens: list[str]) -> NDArray[np.int64]:
            for t in tokens:
                words.setdefault(t, len(words))
            return np.fromiter(map(words.__getitem__, tokens), dtype=np.int64, count=len(tokens))

        a = _doc_words(texts, rows, lambda: len(words))
        v = self.word_vectors([normalise_token(t) for t in words])
        return _scale(a @ v, a @ np.asarray(v.multiply(v).sum(axis=1)).ravel())

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Probability of every theme (columns in ``classes`` order) for each text."""
        table = self._table[0]
        with table.lock:
            a = _doc_words(texts, lambda tokens: table.rows(self, tokens), lambda: len(table.sq))
            sq = a @ table.sq
            scores = np.asarray(a @ table.scores)
        scores /= np.sqrt(np.where(sq > 0, sq, 1.0))[:, None]
        scores += self.intercept
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
            conf = p[np.arange(len(best)), best]
            out.extend(map(Prediction, [self.classes[k] for k in best], conf.tolist()))
        return tuple(out)


def _word_counts(words: Sequence[str], index: Mapping[str, int], ngram: tuple[int, int],
                 lexmap: Mapping[str, tuple[str, ...]]) -> sparse.csr_matrix:
    found: list[int] = []
    indptr = [0]
    get = index.get
    for w in words:
        found.extend(map(get, word_features(w, ngram, lexmap), repeat(-1)))
        indptr.append(len(found))
    ids = np.asarray(found, dtype=np.int64)
    known = ids >= 0
    ids, ptr = ids[known], np.concatenate([[0], np.cumsum(known)])[indptr]  # drop unknown features
    m = sparse.csr_matrix((np.ones(len(ids)), ids, ptr), shape=(len(words), len(index)))
    m.sum_duplicates()
    return m


def _scale(x: sparse.csr_matrix, sq: NDArray[np.float64]) -> sparse.csr_matrix:
    norms = np.sqrt(np.where(sq > 0, sq, 1.0))
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)


def train_model(texts: Sequence[str], themes: Sequence[str], *, c: float = 20.0, ngram: tuple[int, int] = (3, 5),
                min_df: int = 1, lexicon: Sequence[tuple[str, str]] | None = None, lexicon_weight: float = 3.0,
                valid: Sequence[str] = THEME_CODES) -> ThemeModel:
    """Fit a model on labelled texts (scikit-learn's LogisticRegression, SAGA solver with a fixed seed: the same
    texts give the same model).

    Every theme must be one of ``valid``; at least two themes must occur. Features seen in fewer than
    ``min_df`` texts are dropped; ``c`` is the inverse regularisation strength; the idf of a ``#theme`` feature is
    multiplied by ``lexicon_weight`` (a stem is worth more than one n-gram among a word's dozen). ``meta``
    records the settings and whether the solver converged.
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
    words: dict[str, int] = {}

    def rows(tokens: list[str]) -> NDArray[np.int64]:
        for t in tokens:
            words.setdefault(t, len(words))
        return np.fromiter(map(words.__getitem__, tokens), dtype=np.int64, count=len(tokens))

    a = _doc_words(texts, rows, lambda: len(words))
    normal = [normalise_token(t) for t in words]
    every = sorted({f for w in set(normal) for f in word_features(w, ngram, lexmap)})
    counts = _word_counts(normal, {f: i for i, f in enumerate(every)}, ngram, lexmap)
    df = np.diff(sparse.csc_matrix((a @ counts) > 0).indptr)
    keep = np.flatnonzero(df >= min_df)
    vocabulary = tuple(every[i] for i in keep)
    n = len(texts)
    idf = np.log((1 + n) / (1 + df[keep])) + 1.0
    idf *= np.asarray([lexicon_weight if f.startswith("#") else 1.0 for f in vocabulary])
    v = sparse.csr_matrix(counts[:, keep].multiply(idf))
    x = _scale(a @ v, a @ np.asarray(v.multiply(v).sum(axis=1)).ravel())
    model = LogisticRegression(C=c, solver="saga", tol=1e-4, max_iter=3000, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, list(themes))
    converged = not any("converge" in str(w.message).lower() for w in caught)
    classes = tuple(str(k) for k in model.classes_)
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: expand to the softmax form
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.asarray([-intercept[0] / 2, intercept[0] / 2])
    return ThemeModel(vocabulary, idf, coef, intercept, classes, ngram, lex,
                      {"format_version": FORMAT_VERSION, "trained_on": n, "c": c, "min_df": min_df,
                       "lexicon_weight": lexicon_weight, "converged": converged})
