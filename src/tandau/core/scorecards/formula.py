"""The scorecard formula: every component is a rate in [0, 1] with the number of records behind it (``n``) and a
weight; the score is the weighted mean of the components that rest on at least one record, the weights
renormalised over those; a scorecard resting on fewer than :data:`MIN_RECORDS` records in all is *not comparable*.

Nothing is hidden: :class:`Scorecard` carries every component with its numerator, denominator, ``n``, weight and
the weight it had after renormalisation, so a page can show the sum it shows the result of.

>>> card = score([component("attendance", 9, 10), component("inquiries", 1, 2)])
>>> card.score, card.comparable, card.n
(Fraction(23, 30), True, 12)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

MIN_RECORDS = 10
RECEPTIONS_PER_QUARTER = 1  # the party's expectation: at least one reception of citizens per quarter of mandate
SUBJECT_KINDS = ("deputy", "faction", "branch", "akim")


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """A component of the formula: its stable id, weight and what its rate is (numerator / denominator)."""

    name: str
    weight: int
    numerator: str
    denominator: str


# the registry: stable ids, weights (integers; they are renormalised over the components with records)
COMPONENTS: dict[str, ComponentSpec] = {spec.name: spec for spec in (
    ComponentSpec("attendance", 2, "sessions attended", "sessions"),
    ComponentSpec("inquiries", 1, "inquiries answered", "inquiries sent"),
    ComponentSpec("receptions", 1, "receptions held (capped at the expectation)",
                  f"receptions expected ({RECEPTIONS_PER_QUARTER} per quarter of mandate)"),
    ComponentSpec("appeals_on_time", 2, "appeals answered on time", "appeals answered"),
    ComponentSpec("satisfaction", 1, "mean rating minus 1, over 4 (ratings 1 to 5)", "appeals rated"),
    ComponentSpec("cases_resolved", 1, "control cases resolved or closed", "control cases owned"),
    ComponentSpec("commitments", 2, "commitments on track or achieved", "commitments owned (control targets)"),
)}


@dataclass(frozen=True, slots=True)
class Measured:
    """One component of one subject: the rate ``value`` = ``numerator`` / ``denominator`` (in [0, 1]; ``None``
    without records), ``n`` the records behind it, ``weight`` the registry's weight and ``note`` what was not
    available (e.g. nothing links commitments to a deputy)."""

    name: str
    numerator: Fraction
    denominator: int
    n: int
    weight: int
    note: str = ""

    @property
    def value(self) -> Fraction | None:
        if self.n == 0 or self.denominator == 0:
            return None
        return min(Fraction(1), self.numerator / self.denominator)


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The result: the score (``None`` when no component has records), whether it is comparable, the total
    ``n``, and every component with its effective (renormalised) weight."""

    score: Fraction | None
    comparable: bool
    n: int
    components: tuple[Measured, ...]
    effective: dict[str, Fraction]


def component(name: str, numerator: int | Fraction, denominator: int, *, n: int | None = None,
              note: str = "") -> Measured:
    """A measured component of the registry; ``n`` defaults to the denominator (one record per unit).

    >>> component("attendance", 3, 4).value
    Fraction(3, 4)
    >>> component("commitments", 0, 0, note="not linkable").value is None
    True
    """
    spec = COMPONENTS.get(name)
    if spec is None:
        raise KeyError(f"unknown scorecard component {name!r}; valid: {', '.join(COMPONENTS)}")
    if denominator < 0 or Fraction(numerator) < 0:
        raise ValueError(f"{name}: counts cannot be negative")
    records = denominator if n is None else n
    return Measured(name, Fraction(numerator), denominator, records, spec.weight, note)


def satisfaction_rate(ratings: list[int]) -> Measured:
    """Satisfaction: the mean rating ``s`` (1 to 5) as ``(s - 1) / 4``; ``n`` is the number of ratings.

    >>> satisfaction_rate([5, 3]).value
    Fraction(3, 4)
    """
    if any(r < 1 or r > 5 for r in ratings):
        raise ValueError("a satisfaction rating is 1 to 5")
    return satisfaction_of(len(ratings), sum(ratings))


def satisfaction_of(rated: int, total: int) -> Measured:
    """:func:`satisfaction_rate` from the count of ratings and their sum (as a database counts them): the mean
    ``total / rated`` as ``(mean - 1) / 4``.

    >>> satisfaction_of(2, 8).value
    Fraction(3, 4)
    """
    if rated < 0 or not rated <= total <= 5 * rated:
        raise ValueError("a satisfaction rating is 1 to 5")
    return component("satisfaction", Fraction(total - rated, 4), rated)


def expected_receptions(days_of_mandate: int) -> int:
    """Receptions expected over ``days_of_mandate`` days: :data:`RECEPTIONS_PER_QUARTER` per full quarter (91
    days), at least one when the mandate covers any day of the period.

    >>> expected_receptions(365), expected_receptions(30), expected_receptions(0)
    (4, 1, 0)
    """
    if days_of_mandate <= 0:
        return 0
    return max(1, days_of_mandate // 91) * RECEPTIONS_PER_QUARTER


def score(components: list[Measured]) -> Scorecard:
    """The weighted mean over the components with ``n > 0``, weights renormalised over them; comparable iff the
    total ``n`` is at least :data:`MIN_RECORDS`."""
    used = [c for c in components if c.value is not None]
    total_weight = sum(c.weight for c in used)
    effective = {c.name: Fraction(c.weight, total_weight) for c in used} if total_weight else {}
    result = sum((effective[c.name] * c.value for c in used if c.value is not None), Fraction(0)) if used else None
    n = sum(c.n for c in components)
    return Scorecard(result, n >= MIN_RECORDS, n, tuple(components), effective)


def explain(card: Scorecard) -> str:
    """The sum behind the score, written out (weights and rates of the components with records).

    >>> explain(score([component("attendance", 9, 10), component("inquiries", 1, 2), component("receptions", 0, 0)]))
    'score = (2 × 0.900 [attendance] + 1 × 0.500 [inquiries]) / 3 = 0.767'
    """
    used = [c for c in card.components if c.value is not None]
    if not used or card.score is None:
        return "score = — (no component rests on a record)"
    terms = " + ".join(f"{c.weight} × {float(c.value or 0):.3f} [{c.name}]" for c in used)
    return f"score = ({terms}) / {sum(c.weight for c in used)} = {float(card.score):.3f}"
