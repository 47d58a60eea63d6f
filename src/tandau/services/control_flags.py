"""Use case: the procurement red flags of an OCDS JSON Lines file under a Cardinal settings file.

Reads the settings (a bad file or setting raises :class:`~tandau.errors.InputError`: exit 2 in the CLI), then every
line: a line that is not JSON is reported through ``on_warning`` with its line and column and skipped; a release that
Cardinal drops (not an object, ``ocid`` not a string, tender cancelled, excluded ``procurementMethodDetails``) is
counted under its reason. ``on_progress(done_bytes, total_bytes)`` is called every few thousand lines.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tandau.core.control.procurement import FlagAccumulator, FlagResult, ProcurementSettings, settings_from_tables
from tandau.io.ocds import iter_release_lines, parse_release, read_release_bytes, read_settings

__all__ = ["FlagsRun", "load_settings", "run_flags"]

_PROGRESS_EVERY = 5_000


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
) -> FlagsRun:
    """The red flags of the releases in ``releases`` (JSON Lines, gzipped or not)."""
    data = read_release_bytes(releases)
    total = len(data)
    name = str(releases)
    accumulator = FlagAccumulator(settings)
    # the fold makes no reference cycles: the collector would only rescan the growing tables (~20% of the time)
    collecting = gc.isenabled()
    gc.disable()
    try:
        lines, bad = _fold_lines(name, data, accumulator, on_warning, on_progress)
    finally:
        if collecting:
            gc.enable()
    if on_progress is not None:
        on_progress(total, total)
    return FlagsRun(accumulator.result(), lines, bad)


def _fold_lines(name: str, data: bytes, accumulator: FlagAccumulator, on_warning: Callable[[str], None] | None,
                on_progress: Callable[[int, int], None] | None) -> tuple[int, int]:
    add = accumulator.add
    total = len(data)
    lines = bad = done = 0
    for number, line in iter_release_lines(data):
        lines += 1
        try:
            release = parse_release(line)
        except ValueError as exc:
            bad += 1
            if on_warning is not None:
                on_warning(f"{name}, line {number}, {exc}: invalid JSON, line skipped")
            continue
        add(release)
        if on_progress is not None:
            done += len(line) + 1
            if lines % _PROGRESS_EVERY == 0:
                on_progress(done, total)
    return lines, bad
