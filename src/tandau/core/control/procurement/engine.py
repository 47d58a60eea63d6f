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
