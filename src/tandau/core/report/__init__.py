"""The congress report's data (issue 14, item 6): figures with stable keys, sections, annexes (pure; no I/O).

See :mod:`tandau.core.report.model`; the services fill these from the database (:mod:`tandau.services.report`).
"""

from tandau.core.report.model import SECTION_IDS, Annex, Chart, CongressReport, Figure, Section, Table, say, share

__all__ = ["SECTION_IDS", "Annex", "Chart", "CongressReport", "Figure", "Section", "Table", "say", "share"]
