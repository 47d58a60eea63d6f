"""Printing and writing the outcome of ``tandau lists build-all`` (and of the demo)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rich.table import Table

from tandau.cli._app import out_console
from tandau.core.rules import RuleSet
from tandau.io.list_output import result_to_json
from tandau.services.lists import BuildAllReport


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def print_report(report: BuildAllReport, rules: RuleSet, top: int = 10) -> None:
    """The national compliance summary by region and the councils departing most from the vote."""
    table = Table(title=f"Compliance by region under {rules.id}")
    for column in ("region", "councils", "compliant", "infeasible", "places", "women", "under 35", "moved",
                   "warnings"):
        table.add_column(column, justify="left" if column == "region" else "right")
    totals = [0] * 8
    for s in sorted(report.regions.values(), key=lambda s: s.region_name):
        table.add_row(s.region_name, str(s.councils), str(s.formed), str(s.infeasible), str(s.positions),
                      _pct(s.women, s.positions), _pct(s.under_35, s.positions), str(s.moved), str(s.warnings))
        for i, v in enumerate((s.councils, s.formed, s.infeasible, s.positions, s.women, s.under_35, s.moved,
                               s.warnings)):
            totals[i] += v
    table.add_row("[bold]Kazakhstan[/]" if rules.id.startswith(("nur", "kz")) else "[bold]all[/]",
                  str(totals[0]), str(totals[1]), str(totals[2]), str(totals[3]), _pct(totals[4], totals[3]),
                  _pct(totals[5], totals[3]), str(totals[6]), str(totals[7]))
    out_console.print(table)
    out_console.print(f"{totals[1]} of {totals[0]} lists formed and compliant in {report.seconds:.2f} s")
    for o in report.infeasible:
        out_console.print(f"[red]{o.council.council_id} {o.council.name}: {o.error}[/]")
    departing = report.most_departing(top)
    if departing:
        out_console.print(f"\n[bold]The {len(departing)} lists that depart most from the vote[/]")
    for o in departing:
        r = o.result
        if r is None:  # pragma: no cover - filtered above
            continue
        out_console.print(f"[bold]{o.council.council_id} {o.council.name}[/] ({o.council.region_name}): "
                          f"{r.metrics.moved} of {len(r.entries)} places moved, Kendall-τ {r.metrics.kendall_tau}, "
                          f"max demotion {r.metrics.max_demotion}")
        for e in [e for e in r.entries if e.reason and e.position < e.vote_rank][:3]:
            out_console.print(f"   {e.position}. {e.candidate.name}: {e.reason}")


def write_all(report: BuildAllReport, out: Path) -> None:
    """Every formed list: CSV rows (council_id first) or, for a .jsonl path, one JSON object a council."""
    if out.suffix == ".jsonl":
        with out.open("w", encoding="utf-8") as fh:
            for o in report.outcomes:
                payload = {"council_id": o.council.council_id, "name": o.council.name, "error": o.error}
                if o.result is not None:
                    payload.update(result_to_json(o.result))
                fh.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["council_id", "position", "id", "name", "sex", "birth_date", "votes", "vote_rank", "tags",
                         "reason"])
        for o in report.outcomes:
            if o.result is None:
                continue
            for e in o.result.entries:
                c = e.candidate
                writer.writerow([o.council.council_id, e.position, c.id, c.name, c.sex,
                                 c.birth_date.isoformat() if c.birth_date else "", c.votes, e.vote_rank,
                                 ";".join(sorted(c.tags)), e.reason or ""])
