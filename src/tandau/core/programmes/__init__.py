"""Election programmes (issue 13, item 4): commitments, their quality checks C01-C10 with kk/ru/en messages, and
the control target a commitment becomes (docs/programmes.md).

Pure: the reader is :mod:`tandau.io.programme_csv`, the faces ``tandau programmes lint / to-targets``.
"""

from tandau.core.programmes.lint import (
    CHECKS,
    LANGUAGES,
    MESSAGES,
    Check,
    Context,
    Finding,
    LintResult,
    Severity,
    Term,
    lint,
    message,
)
from tandau.core.programmes.model import (
    ADDITIVE_UNITS,
    DIRECTIONS,
    KINDS,
    LEVEL_UNITS,
    SECTIONS,
    Commitment,
    Direction,
    Kind,
    Programme,
    council_of,
    is_additive,
    region_of,
    unit_key,
)
from tandau.core.programmes.targets import NotATargetError, commitment_target, commitment_targets

__all__ = [
    "ADDITIVE_UNITS", "CHECKS", "DIRECTIONS", "KINDS", "LANGUAGES", "LEVEL_UNITS", "MESSAGES", "SECTIONS", "Check",
    "Commitment", "Context", "Direction", "Finding", "Kind", "LintResult", "NotATargetError", "Programme",
    "Severity", "Term", "commitment_target", "commitment_targets", "council_of", "is_additive", "lint", "message",
    "region_of", "unit_key",
]
