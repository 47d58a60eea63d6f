"""Tables of party control: control cases (issue 12, scope 6; migration 0009) and the programme and procurement
data the control board reads (items 1, 2 and 5; migration 0010).

- :class:`ControlCase`: one case, opened from a flag (programme or procurement: its code and the series or
  process it fired on, kept as reference data), a citizen's signal or a deputy; its territory (KATO, ``None``:
  the whole country), owner (a branch's control commission or a deputy), status, the deadline of the current
  step, and the outcome and resolution note once resolved.
- :class:`ControlCaseStep`: every step taken (from, to, who, when, the note, the deadline it set): the history
  shown on the case page; each step is also an entry of the hash-chained audit log.
- :class:`ControlCaseFile`: an evidence file, its name, SHA-256, size and media type checked on arrival; its bytes
  are a stored file (:mod:`tandau.store.files`, key ``evidence/<id>``: the database or the S3 bucket, read by
  every app process, never one host's disk; migration 0017 moved them there).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class ControlCase(Base):
    """A control case and where it stands."""

    __tablename__ = "control_cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kato: Mapped[str | None] = mapped_column(String(9), index=True)
    source: Mapped[str] = mapped_column(String(16))  # flag | signal | deputy
    flag_kind: Mapped[str | None] = mapped_column(String(16))  # programme | procurement
    flag_code: Mapped[str | None] = mapped_column(String(16))
    flag_ref: Mapped[str | None] = mapped_column(String(200))  # the series or the process (ocid) it fired on
    owner_kind: Mapped[str] = mapped_column(String(16))  # commission | deputy
    owner: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(24), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))  # confirmed | not_confirmed
    resolution: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ControlCaseStep(Base):
    """One step of a case: the workflow's move, who made it, when, with what note and next deadline."""

    __tablename__ = "control_case_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("control_cases.id"), index=True)
    step: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))


class ControlCaseFile(Base):
    """An evidence file of a case: its SHA-256, size and checked media type; the bytes are the stored file
    :func:`evidence_key` names."""

    __tablename__ = "control_case_files"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("control_cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(64))


def evidence_key(file_id: str) -> str:
    """The stored file (:mod:`tandau.store.files`) that holds an evidence file's bytes."""
    return f"evidence/{file_id}"


# --- programme follow-up and procurement data (migration 0010) ------------------------------------------------
# Numbers are kept as the exact decimal text they were imported with (``Decimal`` round-trips; no float).


class ControlImport(Base):
    """One import of control data: what kind of file, its name and SHA-256, rows read and rows added, who and when.
    Every stored row points to the import that brought it, so what was known when is rebuilt from the table."""

    __tablename__ = "control_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # targets | reports | budget | releases | link_rules | links
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_by: Mapped[str] = mapped_column(String(64))


class ControlTargetRow(Base):
    """One version of a series' target (a TARGETS.csv row); a revision is a new row, never an update."""

    __tablename__ = "control_targets"
    __table_args__ = (Index("ix_control_targets_series", "programme", "indicator", "region"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("control_imports.id"))
    programme: Mapped[str] = mapped_column(String(100))
    indicator: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(9))
    unit: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(16))
    baseline: Mapped[str] = mapped_column(String(40))
    baseline_date: Mapped[date] = mapped_column(Date)
    target: Mapped[str] = mapped_column(String(40))
    deadline: Mapped[date] = mapped_column(Date)
    budget_kzt: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[str | None] = mapped_column(String(40))
    frequency: Mapped[str] = mapped_column(String(16))
    revised_at: Mapped[date | None] = mapped_column(Date)


class ControlReportRow(Base):
    """One execution report row (REPORTS.csv); a later row for the same period is a revision, both kept."""

    __tablename__ = "control_reports"
    __table_args__ = (Index("ix_control_reports_series", "programme", "indicator", "region"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("control_imports.id"))
    programme: Mapped[str] = mapped_column(String(100))
    indicator: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(9))
    period_end: Mapped[date] = mapped_column(Date)
    actual: Mapped[str] = mapped_column(String(40))
    allocated_kzt: Mapped[str | None] = mapped_column(String(40))
    adjusted_kzt: Mapped[str | None] = mapped_column(String(40))
    contracted_kzt: Mapped[str | None] = mapped_column(String(40))
    paid_kzt: Mapped[str | None] = mapped_column(String(40))
    reported_at: Mapped[date | None] = mapped_column(Date)


class ControlRelease(Base):
    """An OCDS compiled release (the latest state of one contracting process: a new import of the same ``ocid``
    replaces it), with its buyer and the buyer's region when the release names one."""

    __tablename__ = "control_releases"
    ocid: Mapped[str] = mapped_column(String(200), primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("control_imports.id"))
    buyer_id: Mapped[str | None] = mapped_column(String(200), index=True)
    region: Mapped[str | None] = mapped_column(String(9), index=True)
    content: Mapped[str] = mapped_column(Text)  # the release as JSON


class ControlLinkRule(Base):
    """A rule linking contracting processes to a programme item (RULES.csv of ``tandau control link``)."""

    __tablename__ = "control_link_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("control_imports.id"))
    programme: Mapped[str] = mapped_column(String(100))
    indicator: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(9), default="")
    buyer_id: Mapped[str] = mapped_column(String(200), default="")
    classification: Mapped[str] = mapped_column(String(100), default="")


class ControlLink(Base):
    """Where a contracting process belongs: a programme item found by the rules, or the user's correction
    (``status = manual``, kept when the links are computed again)."""

    __tablename__ = "control_links"
    ocid: Mapped[str] = mapped_column(String(200), primary_key=True)
    programme: Mapped[str] = mapped_column(String(100), default="")
    indicator: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(9), default="", index=True)
    buyer_id: Mapped[str] = mapped_column(String(200), default="")
    buyer_name: Mapped[str] = mapped_column(String(300), default="")
    amount_kzt: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # linked | ambiguous | unmatched | manual
    rule: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
