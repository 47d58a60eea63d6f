"""``report.congress``: the congress report's PDF built in the background (:func:`tandau.services.report.
congress_report` and :func:`tandau.io.report_pdf.congress_pdf`, the PDF every face builds), kept in the files
store (``jobs/<job id>/<name>``: the database, or the S3 option) so any process hands it out
(``/jobs/{id}/output``). The file and the job's last step commit together, so a retry after that commit finds the
step done and stores nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tandau.core.jobs import RetryPolicy
from tandau.errors import InputError
from tandau.io.catalogues import N_
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.primaries.access import Action

LANGS = ("kk", "ru", "en")


@register("report.congress", title=N_("The congress report (PDF)"), action=Action.REPORT_VIEW,
          arguments=("cycle_id", "lang"), retry=RetryPolicy(max_attempts=2, base=10.0, cap=60.0))
def congress_pdf(context: Context) -> Mapping[str, Any]:
    from tandau.io.report_pdf import congress_pdf
    from tandau.services.report import congress_report

    lang = str(context.arguments.get("lang") or "ru")
    if lang not in LANGS:
        raise InputError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}", parameter="lang")
    cycle_id = context.arguments.get("cycle_id")
    if context.done >= 2:  # stored, with this step, by an earlier attempt
        return {"cycle_id": cycle_id, "lang": lang, "stored": "already, by an earlier attempt"}
    context.progress(0, 2, "collecting the figures")
    with context.session() as s:
        report = congress_report(s, context.actor, None if cycle_id is None else str(cycle_id))
        s.rollback()
    name = f"congress-report-{report.cycle_id}-{lang}.pdf"
    context.check()
    context.progress(1, 2, "rendering the PDF")
    pdf = congress_pdf(report, lang)
    with context.session() as s:
        context.advance(s, 2, 2, "stored")
        context.store_output(s, pdf, name, "application/pdf")
        s.commit()
    return {"cycle_id": report.cycle_id, "lang": lang, "bytes": len(pdf), "annexes": len(report.annexes)}
