"""The procurement red flags by stable code: title, what the value means, and the source of the definition."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from tandau.errors import UnknownIdError

__all__ = ["INDICATORS", "Indicator", "get_indicator"]

_SOURCE = "Open Contracting Partnership, Cardinal (cardinal-rs), docs/cli/indicators/R/{}.md"


@dataclass(frozen=True)
class Indicator:
    """One red flag: ``code`` (Cardinal's), ``title``, the ``groups`` it reports and what its ``value`` is."""

    code: str
    title: str
    groups: tuple[str, ...]
    value: str
    source: str


def _make(code: str, title: str, groups: tuple[str, ...], value: str) -> Indicator:
    return Indicator(code, title, groups, value, _SOURCE.format(code[1:]))


INDICATORS = MappingProxyType({i.code: i for i in (
    _make("R003", "Short submission period", ("OCID",), "1.0"),
    _make("R018", "Single bid received", ("OCID",), "1.0"),
    _make("R024", "Price close to winning bid", ("OCID", "Tenderer"),
          "the relative difference (OCID); 0.0 for the winner and the second-lowest bidder"),
    _make("R025", "Excessive unsuccessful bids", ("Tenderer",), "the ratio of processes won to valid bids"),
    _make("R028", "Identical bid prices", ("OCID", "Tenderer"), "1.0"),
    _make("R030", "Late bid won", ("OCID", "Tenderer"), "1.0"),
    _make("R035", "All except winning bid disqualified", ("OCID", "Tenderer"),
          "the number of disqualified tenderers (OCID); 0.0 for the winner"),
    _make("R036", "Lowest bid disqualified", ("OCID",), "1.0"),
    _make("R038", "Excessive disqualified bids", ("Buyer", "ProcuringEntity", "Tenderer"),
          "the ratio of disqualified to submitted bids"),
    _make("R048", "Heterogeneous supplier", ("Tenderer",), "the number of distinct classification prefixes"),
    _make("R058", "Heavily discounted bid", ("OCID", "Tenderer"),
          "the relative difference (OCID); 0.0 for the winner"),
)})


def get_indicator(code: str) -> Indicator:
    """The indicator with ``code``; an unknown code lists the valid ones."""
    try:
        return INDICATORS[code]
    except KeyError:
        raise UnknownIdError("indicator", code, sorted(INDICATORS)) from None
