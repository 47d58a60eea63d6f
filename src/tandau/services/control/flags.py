"""Use case: the procurement red flags of an OCDS JSON Lines file under a Cardinal settings file.

Reads the settings (a bad file or setting raises :class:`~tandau.errors.InputError`: exit 2 in the CLI), then every
line: a line that is not JSON is reported through ``on_warning`` with its line and column and skipped; a release that
Cardinal drops (not an object, ``ocid`` not a string, tender cancelled, excluded ``procurementMethodDetails``) is
counted under its reason. ``on_progress(done_bytes, total_bytes)`` is called every few thousand lines.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tandau.core.control.procurement import FlagAccumulator, FlagResult, ProcurementSettings, settings_from_tables
from tandau.core.control.procurement.state import FlagState
from tandau.io.ocds import iter_release_lines, parse_release, read_release_bytes, read_settings

__all__ = ["FlagsRun", "load_settings", "run_flags"]

_PROGRESS_EVERY = 5_000
_PARALLEL_BYTES = 32_000_000


@dataclass(frozen=True)
class FlagsRun:
    """The result and how the file was read: lines read, releases used, skipped per reason, bad lines."""

    result: FlagResult
    lines: int
    bad_lines: int

    def summary(self) -> str:
        """One line for standard error."""
        counts = dict(self.result.counts)
        used = counts.pop("used", 0)
        skipped = ", ".join(f"{reason}: {n}" for reason, n in sorted(counts.items()))
        text = f"{self.lines} line(s): {used} release(s) used"
        if skipped:
            text += f"; skipped ({skipped})"
        if self.bad_lines:
            text += f"; {self.bad_lines} invalid line(s) skipped"
        return text


def load_settings(path: Path | None) -> ProcurementSettings:
    """The settings file, or every indicator with its defaults when ``path`` is ``None``."""
    if path is None:
        return ProcurementSettings.all_indicators()
    return settings_from_tables(read_settings(path), file=str(path))


def run_flags(
    releases: Path,
    settings: ProcurementSettings,
    *,
    on_warning: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> FlagsRun:
    """The red flags of the releases in ``releases`` (JSON Lines, gzipped or not).

    A file of 32 MB or more is folded in two halves at once on a machine with two cores or more (``workers``
    forces 1 or 2): the second half in a forked process, merged in file order (Cardinal's fold and reduce). If
    the halves saw different first currencies without a ``currency`` setting, the second half is folded again
    here, so the result never depends on the split.
    """
    data = read_release_bytes(releases)
    name = str(releases)
    accumulator = FlagAccumulator(settings)
    if workers is None:
        workers = 2 if len(data) >= _PARALLEL_BYTES and (os.cpu_count() or 1) >= 2 else 1
    # the fold makes no reference cycles: the collector would only rescan the growing tables (~20% of the time)
    collecting = gc.isenabled()
    gc.disable()
    try:
        split = data.find(b"\n", len(data) // 2) + 1 if workers >= 2 else 0
        if 0 < split < len(data):
            lines, bad = _fold_halves(name, data, split, accumulator, on_warning, on_progress)
        else:
            lines, bad = _fold_lines(name, data, 0, len(data), 0, accumulator, on_warning, on_progress)
    finally:
        if collecting:
            gc.enable()
    if on_progress is not None:
        on_progress(len(data), len(data))
    return FlagsRun(accumulator.result(), lines, bad)


def _fold_lines(name: str, data: bytes, start: int, end: int, first_line: int, accumulator: FlagAccumulator,
                on_warning: Callable[[str], None] | None, on_progress: Callable[[int, int], None] | None,
                scale: float = 1.0) -> tuple[int, int]:
    """Fold the lines of ``data[start:end]`` (``first_line``: the number of lines before ``start``)."""
    add = accumulator.add
    total = len(data)
    lines = bad = done = 0
    for number, line in iter_release_lines(data[start:end] if (start, end) != (0, total) else data):
        lines += 1
        try:
            release = parse_release(line)
        except ValueError as exc:
            bad += 1
            if on_warning is not None:
                on_warning(f"{name}, line {first_line + number}, {exc}: invalid JSON, line skipped")
            continue
        add(release)
        if on_progress is not None:
            done += len(line) + 1
            if lines % _PROGRESS_EVERY == 0:
                on_progress(min(int(done * scale), total), total)
    return lines, bad


# what the forked process folds: (name, data, split, first line, settings); set only while the pool runs
_LATER: tuple[str, bytes, int, int, ProcurementSettings] | None = None


def _fold_later_half() -> tuple[FlagState, int, int, list[str]]:
    assert _LATER is not None  # set by the parent before it forks
    name, data, split, first_line, settings = _LATER
    accumulator = FlagAccumulator(settings)
    warnings: list[str] = []
    lines, bad = _fold_lines(name, data, split, len(data), first_line, accumulator, warnings.append, None)
    return accumulator.state, lines, bad, warnings


def _fold_halves(name: str, data: bytes, split: int, accumulator: FlagAccumulator,
                 on_warning: Callable[[str], None] | None,
                 on_progress: Callable[[int, int], None] | None) -> tuple[int, int]:
    global _LATER
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing import get_context

    first_line = data.count(b"\n", 0, split)
    _LATER = (name, data, split, first_line, accumulator.settings)
    later = None
    pool: ProcessPoolExecutor | None
    future: Future[tuple[FlagState, int, int, list[str]]] | None
    try:
        try:
            pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
            future = pool.submit(_fold_later_half)
        except Exception:  # no process could be started: both halves are folded here
            pool = future = None
        lines, bad = _fold_lines(name, data, 0, split, 0, accumulator, on_warning, on_progress,
                                 scale=len(data) / split)
        if pool is not None and future is not None:
            with pool:
                try:
                    later = future.result()
                except Exception:  # a lost worker only costs time: its half is folded here
                    later = None
    finally:
        _LATER = None
    if later is not None and accumulator.can_merge(later[0]):
        state, more_lines, more_bad, warnings = later
        if on_warning is not None:
            for warning in warnings:
                on_warning(warning)
        accumulator.merge(state)
    else:
        more_lines, more_bad = _fold_lines(name, data, split, len(data), first_line, accumulator, on_warning, None)
    return lines + more_lines, bad + more_bad
