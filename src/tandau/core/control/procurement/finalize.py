"""The indicators decided over all releases: fences over ratios, varieties and price differences."""

from __future__ import annotations

from tandau.core.control.procurement.quantiles import lower_fence, quantile, upper_fence
from tandau.core.control.procurement.settings import ProcurementSettings
from tandau.core.control.procurement.state import FlagState

__all__ = ["finalize"]


def finalize(state: FlagState, settings: ProcurementSettings) -> None:
    """Run the finalizing step of each enabled indicator, in Cardinal's order."""
    enabled = settings.enabled
    if "R024" in enabled:
        _r024(state, settings)
    if "R025" in enabled:
        _r025(state, settings)
    if "R038" in enabled:
        _r038(state, settings)
    if "R048" in enabled:
        _r048(state, settings)
    if "R058" in enabled:
        _r058(state, settings)


def _quartiles(state: FlagState, code: str, values: list[float], prefix: str = "") -> tuple[float, float]:
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    meta = state.meta.setdefault(code, {})
    meta[prefix + "q1"] = q1
    meta[prefix + "q3"] = q3
    return q1, q3


def _r024(state: FlagState, settings: ProcurementSettings) -> None:
    """Price close to winning bid: a difference at or below the lower fence (skipped unless Q1 and the fence
    are positive, else most processes would be flagged)."""
    if settings.r024_threshold is None:
        q1, q3 = _quartiles(state, "R024", list(state.ratios.values()))
        fence = lower_fence(q1, q3)
    else:
        fence, q1 = settings.r024_threshold, 1.0
    state.meta.setdefault("R024", {})["lower_fence"] = fence
    if q1 > 0.0 and fence > 0.0:
        for ocid, ratio in state.ratios.items():
            if ratio <= fence:
                state.flag("OCID", ocid, "R024", ratio)
                for tenderer in state.winners[ocid]:
                    state.flag("Tenderer", tenderer, "R024", 0.0)


def _r025(state: FlagState, settings: ProcurementSettings) -> None:
    """Excessive unsuccessful bids: a top tenderer (valid bids at or above the percentile) whose ratio of wins is
    at or below the lower fence."""
    table = state.r025_tenderer
    top = quantile([float(f[1]) for f in table.values()], settings.r025_percentile / 100.0)
    if settings.r025_threshold is None:
        q1, q3 = _quartiles(state, "R025", [f[0] / f[1] for f in table.values()])
        fence = lower_fence(q1, q3)
    else:
        fence, q1 = settings.r025_threshold, 1.0
    meta = state.meta.setdefault("R025", {})
    meta["upper_fence"] = top
    meta["lower_fence"] = fence
    if q1 > 0.0 and fence > 0.0:
        for tenderer, (won, valid) in table.items():
            ratio = won / valid
            if valid >= top and ratio <= fence:
                state.flag("Tenderer", tenderer, "R025", ratio)


def _r038(state: FlagState, settings: ProcurementSettings) -> None:
    """Excessive disqualified bids: a ratio (sum over sum) at or above the upper fence, per group, among the
    organisations with enough submitted bids."""
    for group, table, minimum in (
        ("Buyer", state.r038_buyer, settings.r038_minimum_processes),
        ("ProcuringEntity", state.r038_procuring_entity, settings.r038_minimum_processes),
        ("Tenderer", state.r038_tenderer, settings.r038_minimum_bids),
    ):
        ratios = {key: num / den for key, (num, den) in table.items() if den >= minimum}
        if not ratios:
            continue
        if settings.r038_threshold is None:
            q1, q3 = _quartiles(state, "R038", list(ratios.values()), prefix=group + "_")
            fence = upper_fence(q1, q3)
        else:
            fence = settings.r038_threshold
        state.meta.setdefault("R038", {})[group + "_upper_fence"] = fence
        if fence > 0.0:
            for key, ratio in ratios.items():
                if ratio >= fence:
                    state.flag(group, key, "R038", ratio)


def _r048(state: FlagState, settings: ProcurementSettings) -> None:
    """Heterogeneous supplier: the number of distinct classification prefixes at or above the upper fence,
    among suppliers in enough processes."""
    lengths = {
        key: float(len(codes)) for key, (count, codes) in state.r048_classifications.items()
        if count[0] >= settings.r048_minimum_processes
    }
    if settings.r048_threshold is None:
        q1, q3 = _quartiles(state, "R048", list(lengths.values()))
        fence = upper_fence(q1, q3)
    else:
        fence = float(settings.r048_threshold)
    state.meta.setdefault("R048", {})["upper_fence"] = fence
    for key, length in lengths.items():
        if length >= fence:
            state.flag("Tenderer", key, "R048", length)


def _r058(state: FlagState, settings: ProcurementSettings) -> None:
    """Heavily discounted bid: a difference at or above the upper fence (skipped unless the fence is positive)."""
    if settings.r058_threshold is None:
        q1, q3 = _quartiles(state, "R058", list(state.ratios.values()))
        fence = upper_fence(q1, q3)
    else:
        fence = settings.r058_threshold
    state.meta.setdefault("R058", {})["upper_fence"] = fence
    if fence > 0.0:
        for ocid, ratio in state.ratios.items():
            if ratio >= fence:
                state.flag("OCID", ocid, "R058", ratio)
                state.flag("Tenderer", state.winners[ocid][0], "R058", 0.0)
