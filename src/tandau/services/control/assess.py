"""Assess programme targets from files: ``tandau control assess`` (issue 12, items 1-4).

Everything is read and validated before anything is computed; nothing is written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tandau.core.control.programmes import Board, FlagSettings, assess_board, merge_budget
from tandau.io.control_csv import read_reports, read_targets
from tandau.io.fiscal_package import read_fiscal_package
from tandau.io.flag_settings import read_flag_settings


def assess_files(targets: Path, reports: Path, as_of: date, flag_settings: Path | None = None,
                 budget: Path | None = None) -> Board:
    """Read TARGETS, REPORTS, (optionally) FLAGS.toml and a Fiscal Data Package's ``datapackage.json`` whose
    amounts fill the reports' empty money columns, and assess every series at ``as_of``."""
    settings = read_flag_settings(flag_settings) if flag_settings is not None else FlagSettings()
    target_series = read_targets(targets)
    report_series = read_reports(reports, target_series)
    if budget is not None:
        report_series = merge_budget(report_series, read_fiscal_package(budget))
    return assess_board(target_series, report_series, as_of, settings)
