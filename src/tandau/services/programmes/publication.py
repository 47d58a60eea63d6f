"""Open data of published election programmes (issue 13, item 7): one programme as JSON, and every published
programme of a cycle at once. The schema is documented in docs/programmes.md ("Open data").

Only published programmes are open data; a published programme is its version at publication (a published
programme cannot be edited). Sections come in the theme order of the taxonomy, with their kk/ru/en names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.programmes import SECTIONS
from tandau.services.primaries.errors import NotFoundError
from tandau.services.programmes.records import SECTION_NAMES
from tandau.services.programmes.workflow import current, get, records_of
from tandau.store.programme_models import ProgrammeRow, ProgrammeVersion

SCHEMA = "tandau-programme/1"
CYCLE_SCHEMA = "tandau-programmes/1"


def sections(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Commitments grouped by section in the taxonomy's order (sections without commitments left out)."""
    out = []
    for section in SECTIONS:
        chosen = [r for r in records if r.get("section") == section]
        if chosen:
            out.append({"section": section, "name": dict(SECTION_NAMES[section]), "commitments": chosen})
    return out


def document(row: ProgrammeRow, head: ProgrammeVersion) -> dict[str, Any]:
    """The open-data document of one programme at one version."""
    records = list(records_of(head))
    return {
        "schema": SCHEMA, "id": row.id, "cycle": row.cycle_id, "kind": row.kind,
        "council": row.owner if row.kind == "council" else None, "wing": row.owner if row.kind == "wing" else None,
        "territory": row.kato, "title": {"kk": row.title_kk, "ru": row.title_ru}, "status": row.status,
        "version": head.number, "published_at": row.published_at.isoformat() if row.published_at else None,
        "commitments": len(records), "budget_kzt": _total(records), "sections": sections(records)}


def _total(records: Sequence[dict[str, Any]]) -> str:
    from decimal import Decimal

    total = sum((Decimal(str(r["budget_kzt"])) for r in records if r.get("budget_kzt")), Decimal(0))
    return f"{total.normalize():f}"


def published(session: Session, programme_id: str) -> tuple[ProgrammeRow, ProgrammeVersion]:
    """A published programme and its version; anything else is not found (drafts are not open data)."""
    row = get(session, programme_id)
    if row.status != "published":
        raise NotFoundError("published programme", programme_id)
    return row, current(session, row)


def programme_pdf(session: Session, programme_id: str, lang: str) -> bytes:
    """A published programme as a printable PDF in ``lang`` (kk or ru; :mod:`tandau.io.programme_pdf`)."""
    from tandau.core.programmes import Programme
    from tandau.io.programme_pdf import render_programme_pdf
    from tandau.services.programmes.records import commitment_of

    row, head = published(session, programme_id)
    return render_programme_pdf(Programme(tuple(commitment_of(r) for r in records_of(head)), row.id), lang)


def programme_json(session: Session, programme_id: str) -> dict[str, Any]:
    """The open-data document of a published programme."""
    return document(*published(session, programme_id))


def cycle_json(session: Session, cycle: str, *, now: datetime | None = None) -> dict[str, Any]:
    """Every published programme of ``cycle`` in one document (territory order: national ones first)."""
    rows = session.scalars(select(ProgrammeRow).where(ProgrammeRow.cycle_id == cycle,
                                                      ProgrammeRow.status == "published"))
    ordered = sorted(rows, key=lambda r: (r.kato != "KZ", r.kato, r.kind, r.owner))
    docs = [document(r, current(session, r)) for r in ordered]
    return {"schema": CYCLE_SCHEMA, "cycle": cycle,
            "generated_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
            "programmes": docs}
