"""Near-duplicate grouping of citizens' proposals (issue 13, item 6): character shingles, MinHash and exact Jaccard.

Two proposals of the same territory (the same 9-digit KATO code) are **near-duplicates** when the Jaccard
similarity of their sets of character 5-shingles is at least :data:`THRESHOLD` (0.6). The text is first
normalised (:func:`normalise`: lower case, ``ё`` → ``е``, punctuation and digits removed, one space between
words), so "Отремонтируйте дорогу на ул. Абая!" and "отремонтируйте дорогу на улице Абая" are close, while two
proposals that only share a theme are not. Groups are the connected components of the near-duplicate relation
(single linkage: A~B and B~C put A, B and C together); a group is named after its first member in the order
given (the caller gives the oldest first), and a proposal without a near-duplicate has no group.

Finding the pairs without comparing every two proposals: each text's shingles are hashed (a polynomial rolling
hash over the code points, modulo 2^64), a MinHash signature of :data:`BANDS` × :data:`ROWS` = 96 values is
taken with fixed coefficients (seeded: the same input always gives the same groups), and texts whose signatures
agree on all the rows of some band become candidates (locality-sensitive hashing). A pair at Jaccard 0.6 becomes
a candidate with probability 1 - (1 - 0.6³)³² ≈ 0.9996; every candidate is then checked by its **exact**
Jaccard, so no pair below the threshold is ever grouped. Texts whose normalised forms are equal are joined before
any of this. In a bucket, each text is compared with at most the :data:`WINDOW` (300) texts that came before it,
which bounds the work when a flood of similar texts fills one bucket (a pair can then be missed only when more than
300 distinct texts of one territory fall into the same bucket between them). 20,000 proposals take a few seconds.

Source: A. Broder, "On the resemblance and containment of documents" (1997); J. Leskovec, A. Rajaraman,
J. Ullman, *Mining of Massive Datasets*, ch. 3 (MinHash and LSH banding).

>>> items = [Item("a", "750000000", "Отремонтируйте дорогу на улице Абая, там ямы"),
...          Item("b", "750000000", "Отремонтируйте дорогу на ул. Абая!!! там ямы"),
...          Item("c", "750000000", "Постройте детский сад в микрорайоне Самал"),
...          Item("d", "710000000", "Отремонтируйте дорогу на улице Абая, там ямы")]
>>> group(items)
{'a': 'a', 'b': 'a'}
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["BANDS", "ROWS", "SHINGLE", "THRESHOLD", "WINDOW", "Item", "group", "jaccard", "nearest", "normalise",
           "shingles"]

THRESHOLD = 0.6
SHINGLE = 5
BANDS = 32
ROWS = 3
SEED = 20261205
WINDOW = 300  # in a band's bucket, each text is compared with at most this many texts before it
_BASE = np.uint64(1_000_003)
_NON_LETTER = re.compile(r"[\W\d_]+")
_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


@dataclass(frozen=True, slots=True)
class Item:
    """A proposal as the grouping sees it: its id, territory (KATO) and text."""

    id: str
    territory: str
    text: str


def normalise(text: str) -> str:
    """Lower case, ``ё`` → ``е``, anything but letters turned into one space.

    >>> normalise("  Отремонтируйте, ПОЖАЛУЙСТА: ул. 5-я Ёлочная!")
    'отремонтируйте пожалуйста ул я елочная'
    """
    return " ".join(_NON_LETTER.sub(" ", text.lower().replace("ё", "е")).split())


def shingles(text: str, k: int = SHINGLE) -> NDArray[np.uint64]:
    """The sorted distinct hashes of the ``k``-character shingles of the normalised text (one for a shorter
    text; none for a text without letters)."""
    norm = normalise(text)
    if not norm:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = min(k, len(codes))
    n = len(codes) - width + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(width):
        h = h * _BASE + codes[j:j + n]
    return np.unique(h)


def jaccard(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> float:
    """Jaccard similarity of two sorted distinct shingle arrays (0 when both are empty).

    >>> round(jaccard(shingles("дорога на Абая"), shingles("дорога на Абая")), 2)
    1.0
    """
    if len(a) == 0 and len(b) == 0:
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def _coefficients() -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    rng = np.random.default_rng(SEED)
    count = BANDS * ROWS
    a = rng.integers(1, 2**63, size=count, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=count, dtype=np.uint64)
    return a, b


def _signature(s: NDArray[np.uint64], a: NDArray[np.uint64], b: NDArray[np.uint64]) -> NDArray[np.uint64]:
    if len(s) == 0:
        return np.full(len(a), _MASK32, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return (((a[:, None] * s[None, :] + b[:, None]) >> _SHIFT) & _MASK32).min(axis=1)  # type: ignore[no-any-return]


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)  # the earlier item stays the root


def group(items: Sequence[Item], *, threshold: float = THRESHOLD) -> dict[str, str]:
    """Proposal id -> group id (the id of the group's first item) for every item with a near-duplicate in its
    territory; items without one are left out. Items whose normalised texts are equal are joined at once; the
    others are found through the MinHash bands and checked by exact Jaccard."""
    a, b = _coefficients()
    components = _Components(len(items))
    first: dict[tuple[str, str], int] = {}
    distinct: list[int] = []  # the first item of each (territory, normalised text)
    for index, item in enumerate(items):
        key = (item.territory, normalise(item.text))
        if not key[1]:
            continue
        if key in first:
            components.union(first[key], index)
        else:
            first[key] = index
            distinct.append(index)
    sets = {i: shingles(items[i].text) for i in distinct}
    buckets: dict[tuple[str, int, bytes], list[int]] = defaultdict(list)
    for index in distinct:
        signature = _signature(sets[index], a, b)
        for band in range(BANDS):
            key2 = signature[band * ROWS:(band + 1) * ROWS].tobytes()
            buckets[(items[index].territory, band, key2)].append(index)
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        for y in range(1, len(members)):
            for x in range(max(0, y - WINDOW), y):
                i, j = members[x], members[y]
                if (i, j) in checked or components.find(i) == components.find(j):
                    continue
                checked.add((i, j))
                if jaccard(sets[i], sets[j]) >= threshold:
                    components.union(i, j)
    roots: dict[int, list[int]] = defaultdict(list)
    for index in range(len(items)):
        roots[components.find(index)].append(index)
    return {items[i].id: items[root].id for root, members in roots.items() if len(members) > 1 for i in members}


def nearest(text: str, others: Iterable[tuple[str, str]], *, threshold: float = THRESHOLD) -> tuple[str, float] | None:
    """The most similar of ``others`` ((id, text) pairs, the same territory) at or above ``threshold``, with its
    Jaccard similarity; None when none is that close (ties: the first given).

    >>> nearest("Постройте школу в селе Каскелен", [("x", "Нужна больница"), ("y", "постройте школу в селе Каскелен!")])
    ('y', 1.0)
    """
    mine = shingles(text)
    best: tuple[str, float] | None = None
    for other_id, other_text in others:
        score = jaccard(mine, shingles(other_text))
        if score >= threshold and (best is None or score > best[1]):
            best = (other_id, score)
    return best
