"""The forecast's backtest bars on small seeded runs of the benchmark's generator (the full run is a benchmark):
Brier score below the naive rule's, 80% intervals holding 70-90% of the outcomes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "backtest_forecast.py"


def _backtest() -> ModuleType:
    spec = importlib.util.spec_from_file_location("backtest_forecast", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("backtest_forecast", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_backtest_bars(seed: int) -> None:
    result = _backtest().run(1500, seed)
    assert result["brier_model"] < result["brier_naive"]
    assert 0.70 <= result["coverage_80"] <= 0.90
