"""Scorecards (issue 14, item 4): the formula, pure. See :mod:`.formula` and docs/scorecards.md."""

from tandau.core.scorecards.formula import (
    COMPONENTS,
    MIN_RECORDS,
    RECEPTIONS_PER_QUARTER,
    SUBJECT_KINDS,
    ComponentSpec,
    Measured,
    Scorecard,
    component,
    expected_receptions,
    explain,
    satisfaction_of,
    satisfaction_rate,
    score,
)

__all__ = [
    "COMPONENTS",
    "MIN_RECORDS",
    "RECEPTIONS_PER_QUARTER",
    "SUBJECT_KINDS",
    "ComponentSpec",
    "Measured",
    "Scorecard",
    "component",
    "expected_receptions",
    "explain",
    "satisfaction_of",
    "satisfaction_rate",
    "score",
]
