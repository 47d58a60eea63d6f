"""Procurement red flags over OCDS compiled releases, with the semantics of Open Contracting's Cardinal.

Feed releases one by one to a :class:`FlagAccumulator` (or call :func:`compute_flags`), then take the
:class:`FlagResult`. A release is dropped (and counted with its reason) if it is not an object, its ``ocid`` is not
a string, its tender is cancelled or its ``procurementMethodDetails`` is excluded. The "first observed" main
currency is the first in file order (Cardinal, reading in parallel, takes the first its threads see).

>>> from tandau.core.control.procurement.settings import settings_from_tables
>>> releases = [{"ocid": "a", "tender": {"numberOfTenderers": 1, "procurementMethod": "open"}},
...             {"ocid": "b", "tender": {"numberOfTenderers": 1.0, "procurementMethod": "open"}}]
>>> compute_flags(releases, settings_from_tables({"R018": {}})).as_dict(meta=False)
{'OCID': {'a': {'R018': 1.0}}}
"""

from __future__ import annotations

from collections.abc import Iterable

from tandau.core.control.procurement.finalize import finalize
from tandau.core.control.procurement.fold import fold_release
from tandau.core.control.procurement.settings import ProcurementSettings
from tandau.core.control.procurement.state import FlagResult, FlagState

__all__ = ["FlagAccumulator", "compute_flags"]


class FlagAccumulator:
    """Accumulates releases; :meth:`result` runs the fences once and returns the flags."""

    def __init__(self, settings: ProcurementSettings) -> None:
        self.settings = settings
        self.state = FlagState()
        self._done = False

    def add(self, release: object) -> str | None:
        """Add one parsed release; returns why it was skipped, or ``None`` if it was used."""
        reason = fold_release(self.state, self.settings, release)
        key = "used" if reason is None else reason
        counts = self.state.counts
        counts[key] = counts.get(key, 0) + 1
        return reason

    def can_merge(self, later: FlagState) -> bool:
        """Whether :meth:`merge` of the state of the releases that follow gives what folding them here would: the
        main currency must not depend on the split (set, or observed in at most one part, or the same)."""
        mine, theirs = self.state.currency, later.currency
        return self.settings.currency is not None or mine is None or theirs is None or mine == theirs

    def merge(self, later: FlagState) -> None:
        """Add the state of the releases that follow in the file, folded apart (Cardinal's reduce step); check
        :meth:`can_merge` first. Identifiers found in both parts merge their codes, as the fold would."""
        state = self.state
        if state.currency is None:
            state.currency = later.currency
        for group, entries in later.results.items():
            mine = state.results[group]
            for key, codes in entries.items():
                if key in mine:
                    mine[key].update(codes)
                else:
                    mine[key] = codes
        state.ratios.update(later.ratios)
        state.winners.update(later.winners)
        for name in ("r025_tenderer", "r038_buyer", "r038_procuring_entity", "r038_tenderer"):
            table: dict[str, list[int]] = getattr(state, name)
            for key, (numerator, denominator) in getattr(later, name).items():
                fraction = table.get(key)
                if fraction is None:
                    table[key] = [numerator, denominator]
                else:
                    fraction[0] += numerator
                    fraction[1] += denominator
        for key, (count, prefixes) in later.r048_classifications.items():
            entry = state.r048_classifications.get(key)
            if entry is None:
                state.r048_classifications[key] = (count, prefixes)
            else:
                entry[0][0] += count[0]
                entry[1].update(prefixes)
        for reason, n in later.counts.items():
            state.counts[reason] = state.counts.get(reason, 0) + n
        state.other_currency_bids += later.other_currency_bids

    def result(self) -> FlagResult:
        """The flags (call once, after the last release)."""
        if not self._done:
            finalize(self.state, self.settings)
            self._done = True
        warnings = list(self.settings.warnings)
        if self.state.other_currency_bids:
            warnings.append(f"{self.state.other_currency_bids} bid(s) not in the main currency "
                            f"{self.state.currency} were left out of R024, R036 and R058")
        return FlagResult(self.state.results, self.state.meta, dict(self.state.counts), tuple(warnings))


def compute_flags(releases: Iterable[object], settings: ProcurementSettings) -> FlagResult:
    """The red flags of ``releases`` (parsed JSON objects) under ``settings``."""
    accumulator = FlagAccumulator(settings)
    for release in releases:
        accumulator.add(release)
    return accumulator.result()
