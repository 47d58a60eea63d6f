"""Quartiles and outlier fences as Cardinal computes them.

Quantiles are Hyndman and Fan's type 8 (median-unbiased; R's ``type = 8``, numpy's ``median_unbiased``), with the
arithmetic of the statrs crate that Cardinal uses, so that a value equal to a fence compares the same way:
``h = (n + 1/3) p + 1/3``, the minimum below the first order statistic, the maximum above the last. Fences are
``Q1 - 1.5 IQR`` and ``Q3 + 1.5 IQR`` computed with one rounding (a fused multiply-add, as Rust's ``mul_add``).

Hyndman, R. J. and Fan, Y. (1996), "Sample quantiles in statistical packages", The American Statistician 50(4).

>>> quantile([0.0, 0.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0], 0.25)
66.6666666666667
>>> lower_fence(66.6666666666667, 100.0)
16.66666666666675
>>> quantile([], 0.5)
nan
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

__all__ = ["fma", "lower_fence", "quantile", "upper_fence"]

_THIRD = 1.0 / 3.0


def quantile(values: Sequence[float], tau: float) -> float:
    """The type-8 quantile of ``values`` at ``tau`` (0..1); NaN for no values."""
    n = len(values)
    if n == 0 or tau < 0.0 or tau > 1.0:
        return math.nan
    h = (n + _THIRD) * tau + _THIRD
    hf = math.floor(h)
    data = sorted(values)
    if hf <= 0 or tau == 0.0:
        return data[0]
    if hf >= n or tau == 1.0:
        return data[-1]
    a = data[hf - 1]
    b = data[hf]
    return a + (h - hf) * (b - a)


def fma(x: float, y: float, z: float) -> float:
    """``x * y + z`` rounded once (exact through fractions; Python 3.11 has no ``math.fma``).

    >>> fma(0.1, 10.0, -1.0) == 0.1 * 10.0 - 1.0
    False
    """
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(z)):
        return x * y + z
    return float(Fraction(x) * Fraction(y) + Fraction(z))


def lower_fence(q1: float, q3: float) -> float:
    """``Q1 - 1.5 IQR``."""
    return fma(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    """``Q3 + 1.5 IQR``."""
    return fma(q3 - q1, 1.5, q3)
