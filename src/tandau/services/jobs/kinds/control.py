"""``control.import``: control data (targets, reports, OCDS releases, link rules) imported in the background by
:func:`tandau.services.control.data.import_control` — one transaction, all or nothing, the first bad row named by
file, row and column.

The files are given by path and must be readable by the process that runs the job (a worker: a shared folder)
until the files store of issue 15 item 3 holds uploads; the path is not personal data. Exactly once: the job's
single step is recorded in the import's own transaction, so a retry after a crash that followed the commit finds
the step done and does not import the files again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tandau.core.jobs import RetryPolicy
from tandau.errors import InputError
from tandau.io.catalogues import N_
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.primaries.access import Action

FILES = ("targets", "reports", "budget", "releases", "link_rules", "links")


@register("control.import", title=N_("Import control data"), action=Action.CONTROL_IMPORT, arguments=FILES,
          retry=RetryPolicy(max_attempts=2, base=10.0, cap=60.0))
def control_import(context: Context) -> Mapping[str, Any]:
    from tandau.services.control.data import ImportSummary, import_control

    paths = {name: Path(str(value)) for name, value in context.arguments.items() if value}
    if not paths:
        raise InputError(f"nothing to import: give one of {', '.join(FILES)}", parameter="arguments")
    for name, path in paths.items():
        if not path.is_file():
            raise InputError("file not found by the process running the job", file=str(path), parameter=name)
    if context.done >= 1:
        return {"imported": "already, by an earlier attempt"}
    context.check()
    with context.session() as s:
        context.advance(s, 1, 1, "importing")
        summary: ImportSummary = import_control(  # commits the import and the step together
            s, context.actor, targets=paths.get("targets"), reports=paths.get("reports"), budget=paths.get("budget"),
            releases=paths.get("releases"), link_rules=paths.get("link_rules"), links=paths.get("links"))
    return {"imported": [{"kind": i.kind, "file": Path(i.file).name, "rows": i.rows, "added": i.added}
                         for i in summary.imported],
            "warnings": len(summary.warnings), "links": dict(summary.links)}
