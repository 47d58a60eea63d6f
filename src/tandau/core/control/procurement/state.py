"""What the procurement red flags accumulate over the releases, and the shapes of the result."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["GROUPS", "FlagResult", "FlagState"]

# the result's groups, in output order, and the identifier each is keyed by
GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")

Results = dict[str, dict[str, dict[str, float]]]


@dataclass
class FlagState:
    """The running totals (one instance per run; Cardinal's ``Indicators`` item after its fold)."""

    results: Results = field(default_factory=lambda: {g: {} for g in GROUPS})
    meta: dict[str, dict[str, float]] = field(default_factory=dict)
    currency: str | None = None
    # R024/R058: (second-lowest valid bid - winning bid) / winning bid, and (winner, lowest non-winner) per ocid
    ratios: dict[str, float] = field(default_factory=dict)
    winners: dict[str, tuple[str, str]] = field(default_factory=dict)
    # [numerator, denominator]: R025 won/valid per tenderer; R038 disqualified/submitted per organisation
    r025_tenderer: dict[str, list[int]] = field(default_factory=dict)
    r038_buyer: dict[str, list[int]] = field(default_factory=dict)
    r038_procuring_entity: dict[str, list[int]] = field(default_factory=dict)
    r038_tenderer: dict[str, list[int]] = field(default_factory=dict)
    # R048: per supplier, the number of processes and the set of classification prefixes
    r048_classifications: dict[str, tuple[list[int], set[str]]] = field(default_factory=dict)
    # release counts: "used" and each reason a release was skipped; bids skipped for another currency
    counts: dict[str, int] = field(default_factory=dict)
    other_currency_bids: int = 0

    def flag(self, group: str, key: str, code: str, value: float) -> None:
        """Record ``value`` for indicator ``code`` on ``key`` of ``group``."""
        entry = self.results[group].get(key)
        if entry is None:
            self.results[group][key] = {code: value}
        else:
            entry[code] = value


@dataclass(frozen=True)
class FlagResult:
    """Cardinal's ``indicators`` output: group -> identifier -> {code: value}; ``meta``: quartiles and fences."""

    results: Mapping[str, Mapping[str, Mapping[str, float]]]
    meta: Mapping[str, Mapping[str, float]]
    counts: Mapping[str, int]
    warnings: tuple[str, ...] = ()

    def as_dict(self, *, meta: bool = True) -> dict[str, object]:
        """The JSON object: groups with results in the order OCID, Buyer, ProcuringEntity, Tenderer, then Meta
        (rounded to 4 decimals, half away from zero; NaN when a fence had no data becomes null).

        >>> FlagResult({"OCID": {"x": {"R003": 1.0}}, "Buyer": {}}, {}, {}).as_dict(meta=False)
        {'OCID': {'x': {'R003': 1.0}}}
        """
        out: dict[str, object] = {
            g: {k: dict(v) for k, v in self.results[g].items()} for g in GROUPS if self.results.get(g)
        }
        if meta:
            out["Meta"] = {code: {k: _round4(v) for k, v in values.items()} for code, values in self.meta.items()}
        return out


def _round4(value: float) -> float | None:
    """Rust's ``(v * 10000).round() / 10000`` (ties away from zero); ``None`` for NaN.

    >>> _round4(0.00005), _round4(-0.00005), _round4(float("nan"))
    (0.0001, -0.0001, None)
    """
    if value != value:
        return None
    if value in (float("inf"), float("-inf")):
        return value
    scaled = value * 10_000.0
    magnitude = abs(scaled)
    whole = math.floor(magnitude)
    rounded = whole + 1.0 if magnitude - whole >= 0.5 else float(whole)
    return (rounded if scaled >= 0 else -rounded) / 10_000.0
