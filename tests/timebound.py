"""A generous time bound that still catches a hang: run the call in a daemon thread and give up after ``seconds``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def finishes_within(seconds: float, fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and its wall time; fails the test if it has not returned after ``seconds`` (it may hang forever)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the test's thread
            box["error"] = exc

    start = time.perf_counter()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    elapsed = time.perf_counter() - start
    if worker.is_alive():
        raise AssertionError(f"still running after {seconds} s: a hang")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"], elapsed  # type: ignore[return-value]
