"""Formed lists as JSON objects and CSV rows (docs/formats.md)."""

from __future__ import annotations

import csv
import io
from typing import Any

from tandau.core.lists import ListResult
from tandau.core.reasons import Reason
from tandau.core.rules import Check, rule_id

LIST_CSV_COLUMNS = ("position", "id", "name", "sex", "birth_date", "votes", "vote_rank", "tags", "reason")


def _why(reason: Reason | None) -> dict[str, Any] | None:
    """A text's structured twin: ``{"code", "params", "text"}`` (tandau.core.reasons), for other languages."""
    return None if reason is None else reason.to_json()


def check_to_json(check: Check) -> dict[str, Any]:
    return {
        "rule": check.label,
        "ok": check.ok,
        "enforced": check.enforced,
        "detail": check.detail,
        "violations": [{"first": v.first, "last": v.last, "detail": v.detail, "why": _why(v.why)}
                       for v in check.violations],
        "rule_id": rule_id(check.rule),
        "rule_why": check.label_reason.to_json(),
        "detail_why": _why(check.why),
    }


def result_to_json(result: ListResult) -> dict[str, Any]:
    """The JSON object of ``tandau lists build``: "list" in list order and "checks", plus the trace."""
    return {
        "list": [
            {
                "position": e.position,
                "id": e.candidate.id,
                "name": e.candidate.name,
                "sex": e.candidate.sex,
                "votes": e.candidate.votes,
                "vote_rank": e.vote_rank,
                "reason": e.reason,
                "rule": e.rule,
                "why": _why(e.why),
            }
            for e in result.entries
        ],
        "checks": [check_to_json(c) for c in result.checks],
        "objective": result.objective,
        "metrics": {
            "kendall_tau": result.metrics.kendall_tau,
            "max_demotion": result.metrics.max_demotion,
            "moved": result.metrics.moved,
        },
        "ties": [
            {"votes": t.votes, "order": list(t.ordered_ids), "policy": t.policy, "seed": t.seed} for t in result.ties
        ],
        "warnings": list(result.warnings),
        "warnings_why": [_why(w) for w in result.warning_reasons],
        "left_off": [{"id": e.candidate.id, "name": e.candidate.name, "vote_rank": e.vote_rank, "reason": e.reason,
                      "why": _why(e.why)} for e in result.left_off],
    }


def result_to_csv(result: ListResult) -> str:
    """The list for registration: one row a place."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(LIST_CSV_COLUMNS)
    for e in result.entries:
        c = e.candidate
        writer.writerow([e.position, c.id, c.name, c.sex, c.birth_date.isoformat() if c.birth_date else "",
                         c.votes, e.vote_rank, ";".join(sorted(c.tags)), e.reason or ""])
    return buf.getvalue()
