"""``control.import``: control data (targets, reports, a Fiscal Data Package, OCDS releases, link rules and
corrections) imported in the background by :func:`tandau.services.control.data.import_control` — one transaction,
all or nothing, the first bad row named by file, row and column.

The files are uploads kept in the files store (:func:`tandau.services.jobs.uploads.submit_control_import`: the
database, or the S3 option), so a worker on any host reads them; no path is shared between processes. The job
copies them into a private temporary folder under the names they were uploaded with (the names the audit entries
and ``control_imports`` record; a ``datapackage.json`` finds its CSV beside it) and imports from there. The uploads
are removed once imported or refused. Exactly once: the job's single step is recorded in the import's own
transaction, so a retry after a crash that followed the commit finds the step done and does not import the files
again.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from tandau.core.jobs import RetryPolicy
from tandau.errors import InputError, TandauError
from tandau.io.catalogues import N_
from tandau.io.fiscal_package import csv_path
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.jobs.uploads import CONTROL_FILES, discard, name_argument, uploaded_key
from tandau.services.primaries.access import Action

FOLDERS = {"budget_data": "budget"}  # the package's CSV beside its datapackage.json


def _uploads(context: Context) -> dict[str, str]:
    keys = {part: uploaded_key(context.arguments[part], part) for part in CONTROL_FILES
            if context.arguments.get(part)}
    if not keys:
        raise InputError(f"nothing to import: give one of {', '.join(CONTROL_FILES)}", parameter="targets")
    return keys


def _package_csv(descriptor: bytes) -> PurePosixPath | None:
    """Where a Fiscal Data Package's ``datapackage.json`` expects its CSV, when that is a plain relative path."""
    try:
        found = csv_path(json.loads(descriptor))
    except ValueError:
        return None  # the import names the unreadable descriptor
    path = None if found is None else PurePosixPath(found)
    return path if path is not None and not path.is_absolute() and ".." not in path.parts else None


def _copy(context: Context, keys: Mapping[str, str], folder: Path) -> dict[str, Path]:
    from tandau.store.files import default_store

    paths: dict[str, Path] = {}
    with context.session() as s:
        for part, key in keys.items():
            data = default_store().read(s, key)
            where = folder / FOLDERS.get(part, part)
            relative = PurePosixPath(Path(str(context.arguments.get(name_argument(part)) or part)).name)
            if part == "budget_data" and "budget" in paths:  # where the descriptor looks for it
                relative = _package_csv(paths["budget"].read_bytes()) or relative
            path = where.joinpath(*relative.parts)
            if path.exists() or path.name in ("", ".", ".."):
                raise InputError(f"two files of one package are both named {path.name!r}", file=path.name,
                                 parameter=part)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            paths[part] = path
        s.rollback()
    return paths


@register("control.import", title=N_("Import control data"), action=Action.CONTROL_IMPORT,
          arguments=(*CONTROL_FILES, *map(name_argument, CONTROL_FILES)),
          retry=RetryPolicy(max_attempts=2, base=10.0, cap=60.0), uploaded=True)
def control_import(context: Context) -> Mapping[str, Any]:
    from tandau.services.control.data import ImportSummary, import_control

    keys = _uploads(context)
    if context.done >= 1:  # imported, with this step, by an earlier attempt
        discard(context.session, *keys.values())
        return {"imported": "already, by an earlier attempt"}
    context.progress(0, 1, "reading the files")
    try:
        with tempfile.TemporaryDirectory(prefix="tandau-control-") as folder:
            paths = _copy(context, keys, Path(folder))
            context.check()
            context.progress(0, 1, "checking and importing")
            with context.session() as s:
                context.advance(s, 1, 1, "imported")
                summary: ImportSummary = import_control(  # commits the import and the step together
                    s, context.actor, targets=paths.get("targets"), reports=paths.get("reports"),
                    budget=paths.get("budget"), releases=paths.get("releases"), link_rules=paths.get("link_rules"),
                    links=paths.get("links"))
    except TandauError:  # a bad file (named by row and column) or a refused requester: nothing was imported
        discard(context.session, *keys.values())
        raise
    discard(context.session, *keys.values())
    return {"imported": [{"kind": i.kind, "file": Path(i.file).name, "rows": i.rows, "added": i.added}
                         for i in summary.imported],
            "warnings": len(summary.warnings), "first_warnings": list(summary.warnings[:20]),
            "links": dict(summary.links)}
