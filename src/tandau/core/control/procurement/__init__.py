"""Procurement red flags on OCDS compiled releases, reimplementing Open Contracting's Cardinal (cardinal-rs).

Indicators R003, R018, R024, R025, R028, R030, R035, R036, R038, R048 and R058, each with Cardinal's exclusions,
settings (its INI file, read by :mod:`tandau.io.ocds`) and outlier fences (Q1 - 1.5 IQR / Q3 + 1.5 IQR over
type-8 quantiles). Pure: releases come in as parsed JSON, results go out as data. Contracting processes are linked
to programme items by :mod:`tandau.core.control.procurement.links`.
"""

from tandau.core.control.procurement.engine import FlagAccumulator, compute_flags
from tandau.core.control.procurement.registry import INDICATORS, Indicator, get_indicator
from tandau.core.control.procurement.settings import ProcurementSettings, settings_from_tables
from tandau.core.control.procurement.state import GROUPS, FlagResult

__all__ = [
    "GROUPS", "INDICATORS", "FlagAccumulator", "FlagResult", "Indicator", "ProcurementSettings", "compute_flags",
    "get_indicator", "settings_from_tables",
]
