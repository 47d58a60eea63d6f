"""The ``jobs`` table (issue 15, item 2; migration 0016): the one record of background work that every process
sees — the app that submits, the worker that runs it, the CLI and the page that watch it.

A row holds the kind (a registered id), its arguments (JSON scalars a kind declares: ids, a language; never
personal data, selections or key shares), its state and progress (``done`` of ``total`` and a short step text),
the attempts made and the time of the next one, the result summary (JSON) or the error, who asked (subject id
and grants, so the run is authorised as they would be) and for which territory, the cancel request, and the name
and type of an output file (the congress report's PDF), whose bytes are in the files store under
``jobs/<id>/<name>`` (``output`` holds bytes only for rows written before the files store existed). ``idempotency_key``
is unique: the same request twice finds the same job. ``local_only`` marks a job that only the process holding
its in-memory inputs may run (a decryption with key shares).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandau.store.models import Base, UTCDateTime


class Job(Base):
    """A background job and where it stands."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    arguments: Mapped[str] = mapped_column(Text, default="{}")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued | running | succeeded | failed | cancelled
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result: Mapped[str | None] = mapped_column(Text)  # JSON summary
    error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(64))
    grants: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[role, kato], ...] of the requester
    territory: Mapped[str | None] = mapped_column(String(9), index=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    local_only: Mapped[bool] = mapped_column(Boolean, default=False)
    runner: Mapped[str | None] = mapped_column(String(120))  # host:pid of the process running it
    output: Mapped[bytes | None] = mapped_column(LargeBinary)
    output_name: Mapped[str | None] = mapped_column(String(200))
    output_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
