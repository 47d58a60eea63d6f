"""``exports.lists``: every formed list of a cycle (or of a region) as XLSX and PDF in one ZIP archive, kept in
the files store as the job's output (``jobs/<job id>/<name>``) and served by ``/jobs/{id}/output``.

Each file is :func:`tandau.services.exports.export_list` — the staff page's export of one list — with the
headers in the requested language. Only the lists the requester may read are exported (the workspace's reach:
:data:`~tandau.services.primaries.access.Action.WORKSPACE_VIEW` on the council's territory); a contest without
a formed list is named in the summary. Building the archive has no effect of its own: the archive and the job's
last step commit together, so a retry after that commit stores nothing twice.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tandau.core.jobs import RetryPolicy
from tandau.errors import InputError
from tandau.io.catalogues import N_
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.primaries.access import Action, is_allowed
from tandau.store.models import Contest

LANGS = ("kk", "ru", "en")
FORMATS = ("xlsx", "pdf")


def _region(arguments: Mapping[str, Any]) -> str | None:
    """The job's territory: the region's KATO code (``75``, or a whole code ``750000000``), else national."""
    value = str(arguments.get("region") or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) not in (2, 9):
        raise InputError(f"region must be a 2-digit KATO prefix or a 9-digit KATO code, got {value!r}",
                         parameter="region")
    return value.ljust(9, "0")


def _formats(arguments: Mapping[str, Any]) -> list[str]:
    chosen = [f.strip() for f in str(arguments.get("formats") or ",".join(FORMATS)).split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise InputError(f"formats must be among {', '.join(FORMATS)}, got {bad or chosen!r}", parameter="formats")
    return chosen


def archive(files: Mapping[str, bytes]) -> bytes:
    """The files in a ZIP archive (deflated), in the given order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


@register("exports.lists", title=N_("Export every list of a cycle (XLSX and PDF, one archive)"),
          action=Action.WORKSPACE_VIEW, arguments=("cycle_id", "region", "formats", "lang"),
          retry=RetryPolicy(max_attempts=2, base=10.0, cap=60.0), territory=_region)
def export_lists(context: Context) -> Mapping[str, Any]:
    from tandau.services.exports import export_list, labels_in
    from tandau.services.workspace_store import load

    cycle_id = str(context.arguments.get("cycle_id") or "")
    if not cycle_id:
        raise InputError("give the cycle", parameter="cycle_id")
    lang = str(context.arguments.get("lang") or "ru")
    if lang not in LANGS:
        raise InputError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}", parameter="lang")
    region, formats = _region(context.arguments), _formats(context.arguments)
    with context.session() as s:
        rows = s.execute(select(Contest.id, Contest.kato).where(Contest.cycle_id == cycle_id,
                                                                Contest.council_id.is_not(None))
                         .order_by(Contest.id)).all()
        s.rollback()
    prefix = None if region is None else region.rstrip("0")
    todo = [str(cid) for cid, kato in rows
            if (prefix is None or str(kato or "").startswith(prefix))
            and is_allowed(context.actor, Action.WORKSPACE_VIEW, None if kato is None else str(kato))]
    total = len(todo) + 1
    if context.done >= total:  # stored, with this step, by an earlier attempt
        return {"cycle_id": cycle_id, "stored": "already, by an earlier attempt"}
    labels = labels_in(lang)
    files: dict[str, bytes] = {}
    missing: list[str] = []
    for i, contest_id in enumerate(todo):
        context.check()
        context.progress(i, total, f"list of {contest_id}")
        with context.session() as s:
            stored = load(s, contest_id)
            if stored is None or stored.result.get("error"):
                missing.append(contest_id)
            else:
                for fmt in formats:
                    out = export_list(s, contest_id, fmt, labels)
                    files[out.filename] = out.content
            s.rollback()
    if not files:
        raise InputError(f"no formed list to export in cycle {cycle_id!r}" + (f", region {region}" if region else ""),
                         parameter="cycle_id")
    name = f"lists-{cycle_id}{'-' + region[:2] if region else ''}-{lang}.zip"
    data = archive(files)
    with context.session() as s:
        context.advance(s, total, total, "stored")
        context.store_output(s, data, name, "application/zip")
        s.commit()
    return {"cycle_id": cycle_id, "region": region, "lists": len(todo) - len(missing), "files": len(files),
            "missing": missing, "bytes": len(data)}
