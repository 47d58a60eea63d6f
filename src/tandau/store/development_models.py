"""Tables of the territorial development programmes (issue 13, item 2; migration 0018).

- :class:`DevelopmentImport`: one import of a DEVELOPMENT.csv (or .xlsx, or the demo's synthetic set): the file's
  name and SHA-256, who, when, and what it did (rows added, changed, unchanged).
- :class:`DevelopmentValue`: one value of an indicator of a territory's development programme (a row of
  DEVELOPMENT.csv) in one version. A value is never updated in place: an import that changes the value of a
  territory × programme × indicator × year × kind adds the next version and marks the one it replaces
  (``superseded_by``: that import). The current values are those with no ``superseded_by``. The value is exact
  decimal text (no float, and no SQLite Decimal warning).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class DevelopmentImport(Base):
    """One import of development-programme indicators and what it did."""

    __tablename__ = "development_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class DevelopmentValue(Base):
    """A value of a development-programme indicator of a territory, in one version (see the module's docstring)."""

    __tablename__ = "development_values"
    __table_args__ = (UniqueConstraint("territory", "programme", "indicator", "year", "kind", "version",
                                       name="uq_development_values_territory"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("development_imports.id"), index=True)
    territory: Mapped[str] = mapped_column(String(9), index=True)
    programme: Mapped[str] = mapped_column(String(100))
    indicator: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # baseline | plan
    value: Mapped[str] = mapped_column(String(60))  # exact decimal text
    section: Mapped[str] = mapped_column(String(32), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("development_imports.id"), index=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
