"""Legal thresholds: a share of a named base, alternatives ("or N seats elsewhere"), Kazakh runner-up admission.

Bases (stable ids): ``party-votes`` (valid votes cast for lists), ``valid-votes`` (plus valid ballots for no list,
e.g. "against all", Kazakhstan since 2023), ``ballots`` (every ballot cast, including invalid ones).
Kazakhstan, Constitutional Law on Elections, Art. 97-1: lists that received at least the threshold take part;
if only one does, the list with the next largest number of votes is admitted as well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from tandau.core.seats.ties import TieBreaker
from tandau.errors import InputError, TandauError

Base = Literal["party-votes", "valid-votes", "ballots"]
BASES: dict[str, str] = {
    "party-votes": "valid votes cast for the lists",
    "valid-votes": "valid votes, including ballots valid for no list ('against all')",
    "ballots": "every ballot cast, valid or not",
}


class NoListPassesError(TandauError):
    """No list reached the threshold, so no seat can be allocated by these rules."""

    def __init__(self, needed: Fraction, best: str, best_votes: int) -> None:
        self.needed = needed
        super().__init__(
            f"no list reached the threshold ({float(needed):.2f} votes needed; best was {best!r} with {best_votes})"
        )


@dataclass(frozen=True, slots=True)
class Threshold:
    """``share`` of ``base``; ``inclusive`` means reaching it exactly suffices ("not less than", Art. 97-1).

    ``alt_seats``: a list that won at least that many seats elsewhere (e.g. constituencies) is admitted anyway
    (New Zealand Electoral Act 1993 s. 191(4): 5% or one electorate). ``runner_up``: Kazakh admission of the
    runner-up when only one list passes.
    """

    share: Fraction
    base: Base = "party-votes"
    inclusive: bool = True
    alt_seats: int | None = None
    runner_up: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.share < 1:
            raise InputError(f"a threshold must be a share in [0, 1), got {self.share}", parameter="threshold")
        if self.base not in BASES:
            from tandau.errors import UnknownIdError

            raise UnknownIdError("threshold base", self.base, sorted(BASES))


@dataclass(frozen=True, slots=True)
class ThresholdReport:
    """Who takes part and why: ``reasons`` maps each party to share / seats-elsewhere / runner-up / below."""

    threshold: Threshold
    base_votes: int
    needed: Fraction
    admitted: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "share": str(self.threshold.share), "base": self.threshold.base, "base_votes": self.base_votes,
            "votes_needed": str(self.needed), "admitted": list(self.admitted), "reasons": dict(self.reasons),
        }


def parse_share(text: str) -> Fraction:
    """``"7%"`` or ``"0.07"`` → ``Fraction(7, 100)``; exact (no float on the way).

    >>> parse_share("7%"), parse_share("0.05"), parse_share("5.5%")
    (Fraction(7, 100), Fraction(1, 20), Fraction(11, 200))
    """
    raw = text.strip()
    try:
        value = Fraction(raw[:-1].strip()) / 100 if raw.endswith("%") else Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise InputError(f"expected a share such as 7% or 0.07, got {text!r}", parameter="threshold") from None
    if not 0 <= value < 1:
        raise InputError(f"a threshold must be between 0 and 1 (or 0% and 100%), got {text!r}",
                         parameter="threshold")
    return value


def apply_threshold(threshold: Threshold, names: Sequence[str], votes: Sequence[int], *, other_valid_votes: int = 0,
                    invalid_ballots: int = 0, seats_elsewhere: Mapping[str, int] | None = None,
                    tie_breaker: TieBreaker | None = None) -> ThresholdReport:
    """Admit the lists that pass ``threshold``; raise :class:`NoListPassesError` when none does.

    >>> r = apply_threshold(Threshold(Fraction(7, 100), runner_up=True), ["A", "B", "C"], [900, 60, 40])
    >>> r.admitted, dict(r.reasons)["B"]
    (('A', 'B'), 'runner-up')
    """
    party_total = sum(votes)
    base_votes = party_total
    if threshold.base in ("valid-votes", "ballots"):
        base_votes += other_valid_votes
    if threshold.base == "ballots":
        base_votes += invalid_ballots
    needed = threshold.share * base_votes
    elsewhere = seats_elsewhere or {}
    reasons: dict[str, str] = {}
    for name, v in zip(names, votes, strict=True):
        if v > needed or (threshold.inclusive and v == needed and v > 0):
            reasons[name] = "share"
        elif threshold.alt_seats is not None and elsewhere.get(name, 0) >= threshold.alt_seats:
            reasons[name] = "seats elsewhere"
        else:
            reasons[name] = "below"
    passed = [i for i, n in enumerate(names) if reasons[n] != "below"]
    if not passed:
        best = max(range(len(names)), key=votes.__getitem__)
        raise NoListPassesError(needed, names[best], votes[best])
    if threshold.runner_up and len(passed) == 1:
        rest = [i for i in range(len(names)) if i not in passed and votes[i] > 0]
        if rest:
            top = max(votes[i] for i in rest)
            tied = [i for i in rest if votes[i] == top]
            if len(tied) > 1:
                tb = tie_breaker or TieBreaker()
                tied = tb.pick(tied, 1, names, "runner-up admission: equal votes")
            reasons[names[tied[0]]] = "runner-up"
    admitted = tuple(n for n in names if reasons[n] != "below")
    return ThresholdReport(threshold, base_votes, needed, admitted, tuple(reasons.items()))
