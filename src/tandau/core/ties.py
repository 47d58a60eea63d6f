"""One vocabulary of tie policies for every engine (counting, list formation, seat allocation), and the lot.

Policies (stable ids):

- ``refuse``: raise :class:`tandau.errors.TieError` naming the tied, and let a human decide.
- ``lot``: a drawing of lots from an explicit seed, recorded in the result; refused without a seed.
- ``nomination-order``: among candidates, the one nominated earlier is favoured (counting, list formation).
- ``registration-order``: among party lists, the one registered earlier wins (seat allocation; Constitutional
  Law of the Republic of Kazakhstan "On Elections", Art. 97-1, for equal remainders).

Today's older spellings are aliases: ``nomination`` is ``nomination-order``. :func:`normalise_tie_policy` is the
one place that turns a spelling into the canonical id and refuses an unknown one, listing the valid ids.

>>> normalise_tie_policy("nomination")
'nomination-order'
>>> normalise_tie_policy("coin")
Traceback (most recent call last):
...
tandau.errors.UnknownIdError: unknown tie policy 'coin'; valid: refuse, lot, nomination-order, registration-order
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableSequence, Sequence
from typing import Literal, TypeVar

from tandau.errors import InputError, UnknownIdError

TiePolicyId = Literal["refuse", "lot", "nomination-order", "registration-order"]

#: Every canonical tie-policy id, in the order they are offered.
TIE_POLICIES: tuple[TiePolicyId, ...] = ("refuse", "lot", "nomination-order", "registration-order")
#: Older spellings, kept working: each normalises to its canonical id.
TIE_ALIASES: dict[str, TiePolicyId] = {"nomination": "nomination-order"}
#: The policies that apply to ties among candidates (counting the primaries, forming a list).
CANDIDATE_TIE_POLICIES: tuple[TiePolicyId, ...] = ("refuse", "lot", "nomination-order")
#: The policies that apply to ties among party lists (allocating seats).
PARTY_TIE_POLICIES: tuple[TiePolicyId, ...] = ("refuse", "lot", "registration-order")

_OTHER_ORDER = {
    "nomination-order": "party lists tie-break by registration order: use 'registration-order'",
    "registration-order": "candidates tie-break by nomination order: use 'nomination-order'",
}

#: The largest seed: seeds are integers of at most 256 bits.
MAX_SEED = 2**256 - 1

T = TypeVar("T")


def normalise_tie_policy(policy: str, allowed: Sequence[str] = TIE_POLICIES, *, parameter: str = "ties") -> TiePolicyId:
    """The canonical id of ``policy`` (an id or an alias); unknown ids raise :class:`UnknownIdError` listing the
    valid ones, and a known id that does not apply here (``allowed``) raises :class:`InputError` saying which does.

    >>> normalise_tie_policy("registration-order", CANDIDATE_TIE_POLICIES)
    Traceback (most recent call last):
    ...
    tandau.errors.InputError: parameter ties: candidates tie-break by nomination order: use 'nomination-order'
    """
    canonical = TIE_ALIASES.get(policy, policy)
    if canonical not in TIE_POLICIES:
        raise UnknownIdError("tie policy", policy, TIE_POLICIES)
    if canonical not in allowed:
        raise InputError(_OTHER_ORDER.get(canonical, f"tie policy {policy!r} does not apply here; valid: "
                                                     f"{', '.join(allowed)}"), parameter=parameter)
    return canonical


def as_seed(value: int | bytes | str | None, *, parameter: str = "seed") -> int | None:
    """A lot seed as an integer in ``0 .. 2**256 - 1``: an int, bytes (big-endian, at most 32, e.g.
    ``secrets.token_bytes(32)``) or text (decimal, or hexadecimal after ``0x``); ``None`` stays ``None``.

    >>> as_seed(b"\\x01\\x00"), as_seed("0xff"), as_seed("42")
    (256, 255, 42)
    >>> as_seed(-1)
    Traceback (most recent call last):
    ...
    tandau.errors.InputError: parameter seed: a lot seed is an integer from 0 to 2**256 - 1, got -1
    """
    return None if value is None else _seed_int(value, parameter)


def _seed_int(value: int | bytes | str, parameter: str) -> int:
    seed: int
    if isinstance(value, bool):
        raise InputError(f"a lot seed is an integer, got {value!r}", parameter=parameter)
    if isinstance(value, bytes | bytearray):
        if len(value) > 32:
            raise InputError(f"a lot seed is at most 32 bytes (256 bits), got {len(value)}", parameter=parameter)
        seed = int.from_bytes(value, "big")
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            seed = int(text[2:], 16) if text.lower().startswith("0x") else int(text, 10)
        except ValueError:
            raise InputError(f"a lot seed is a decimal integer or hexadecimal after 0x, got {value!r}",
                             parameter=parameter) from None
    elif isinstance(value, int):
        seed = value
    else:
        raise InputError(f"a lot seed is an integer, got {type(value).__name__}", parameter=parameter)
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"a lot seed is an integer from 0 to 2**256 - 1, got {value!r}", parameter=parameter)
    return seed


def require_seed(policy: str, seed: int | bytes | str | None, *, parameter: str = "seed") -> int | None:
    """The seed as an integer; ``lot`` without a seed is refused (a draw nobody can replay is no draw)."""
    out = as_seed(seed, parameter=parameter)
    if policy == "lot" and out is None:
        raise InputError("the 'lot' tie policy needs a seed (an integer of at most 256 bits), recorded in the "
                         "result so that anyone can replay the draw", parameter=parameter)
    return out


class Lot:
    """A drawing of lots that anyone can replay from the seed alone, on any machine and any Python.

    Draw number ``k`` (0, 1, 2, ...) is ``SHA-256(b"tandau-lot/1" || seed as 32 bytes big-endian || k as 8 bytes
    big-endian)`` read as a 256-bit big-endian integer ``x``; a number below ``n`` is ``x mod n``, drawing again
    while ``x >= n * floor(2**256 / n)`` (rejection keeps every outcome equally likely; a redraw happens with
    probability below ``n / 2**256``). :meth:`shuffle` is Fisher-Yates from the last place down
    (``j = below(i + 1)`` for ``i = len - 1 .. 1``); :meth:`choice` is ``items[below(len)]``; :meth:`sample` takes
    the first ``k`` of a shuffled copy. Every tie of one count draws from the same stream, in the order met.

    >>> lot = Lot(2**256 - 1)
    >>> lot.shuffle(list("abcd")) == Lot(2**256 - 1).shuffle(list("abcd"))
    True
    >>> sorted(Lot(7).sample("abcde", 2)) == sorted(Lot(7).sample("abcde", 2))
    True
    """

    __slots__ = ("_counter", "_key", "seed")

    def __init__(self, seed: int) -> None:
        checked = _seed_int(seed, "seed")
        self.seed = checked
        self._key = b"tandau-lot/1" + checked.to_bytes(32, "big")
        self._counter = 0

    def below(self, n: int) -> int:
        """A uniform integer in ``0 .. n - 1``."""
        if n < 1:
            raise ValueError("n must be at least 1")
        limit = (2**256 // n) * n
        while True:
            digest = hashlib.sha256(self._key + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            x = int.from_bytes(digest, "big")
            if x < limit:
                return x % n

    def shuffle(self, items: MutableSequence[T]) -> MutableSequence[T]:
        """Shuffle ``items`` in place (and return them)."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def choice(self, items: Sequence[T]) -> T:
        """One of ``items``."""
        return items[self.below(len(items))]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """``k`` distinct items (the first ``k`` of a shuffled copy)."""
        return list(self.shuffle(list(items)))[:k]
