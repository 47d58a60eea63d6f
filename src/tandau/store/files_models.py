"""The ``files`` table (migration 0017): every file the application keeps, where every app process reads it.

One row per file: its key (``bulletins/<contest>.jsonl``, ``evidence/<file id>``...), media type, size,
SHA-256, when it was stored, who it belongs to (``owner_kind``/``owner_id``: a contest, a control case, a job),
and where its bytes are (``backend``): in ``content`` (``database``, the default) or in an S3-compatible bucket
under the same key (``s3``; ``content`` is then NULL). The row is written in the caller's transaction, so a file
and the record that points to it commit together; files are never changed in place (a new version is a new
key). Reads go through :class:`tandau.store.files.FileStore`, in chunks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class StoredFile(Base):
    """A stored file: metadata always here; bytes here (``backend == "database"``) or in the bucket."""

    __tablename__ = "files"
    __table_args__ = (Index("ix_files_owner", "owner_kind", "owner_id"),)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    backend: Mapped[str] = mapped_column(String(16))  # database | s3
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    owner_kind: Mapped[str] = mapped_column(String(32))  # contest | case | job | ...
    owner_id: Mapped[str] = mapped_column(String(200))
