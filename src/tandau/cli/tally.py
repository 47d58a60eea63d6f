"""``tandau tally`` and ``tandau verify``: count ballots, recount a published bulletin board."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from tandau.cli._app import out_console
from tandau.cli._ties import SEED_HELP, parse_seed, resolve_ties, ties_help
from tandau.core.tally import TIE_POLICIES, rule_ids
from tandau.errors import InputError
from tandau.services.tally import number, result_json, tally_file, verify_bulletin


def tally(
    ballots: Path = typer.Argument(..., help="Ballot file: .blt, .soi/.toi/.toc, .csv (approval) or .jsonl bulletin."),
    method: str = typer.Option(..., "--method", "-m", help=f"Counting rule: {', '.join(rule_ids())}."),
    seats: int | None = typer.Option(None, "--seats", "-n", help="Seats to fill (default: from the file)."),
    group: list[str] = typer.Option([], "--group", "-g", help="Rank within a group: sex=F, age_under=35, tag=X."),
    fmt: str = typer.Option("table", "--format", "-f", help="Output: json or table."),
    ties: str | None = typer.Option(None, "--ties", help=ties_help(TIE_POLICIES, "nomination-order")),
    tie_policy: str | None = typer.Option(None, "--tie-policy", hidden=True),
    seed: str | None = typer.Option(None, "--seed", help=SEED_HELP),
    candidates: Path | None = typer.Option(None, "--candidates", help="Candidates CSV for approval ballots."),
    max_marks: int | None = typer.Option(None, "--max-marks", help="Most marks an approval ballot may carry."),
    contest: str | None = typer.Option(None, "--contest", help="Count only this contest of a multi-contest CSV."),
    paper: Path | None = typer.Option(None, "--paper", help="Paper totals per polling station (CSV) to merge."),
) -> None:
    """Count a ballot file with a registered rule; prints elected, ranking and the trace."""
    if fmt not in ("json", "table"):
        raise InputError(f"format must be json or table, got {fmt!r}", parameter="--format")
    policy = resolve_ties(ties, tie_policy, TIE_POLICIES, "nomination-order") or "nomination-order"
    outcomes = tally_file(ballots, method=method, seats=seats, groups=tuple(group), tie_policy=policy,
                          seed=parse_seed(policy, seed),
                          candidates=candidates, max_marks=max_marks, contest=contest, paper=paper)
    if fmt == "json":
        objs = [result_json(o) for o in outcomes]
        typer.echo(json.dumps(objs[0] if len(objs) == 1 else {"contests": objs}, ensure_ascii=False, indent=1))
        return
    for o in outcomes:
        r = o.result
        table = Table(title=f"{o.contest.id}: {r.method}, {r.seats} seat(s), {r.ballots} ballots")
        for col in ("#", "id", "name", "votes", "elected"):
            table.add_column(col)
        elected = set(r.elected)
        for pos, cid in enumerate(r.ranking, start=1):
            score = "" if r.scores is None else str(number(r.scores[cid]))
            table.add_row(str(pos), cid, r.name_of(cid), score, "yes" if cid in elected else "")
        out_console.print(table)
        for g in o.groups:
            out_console.print(f"group {g.group}: " + ", ".join(f"{p}. {r.name_of(c)}"
                                                                for p, c in zip(g.positions, g.ranking, strict=True)))
        for t in r.ties:
            out_console.print(f"tie in {t.what}: {', '.join(t.tied)} -> {t.chosen} ({t.method})")
        for note in (*o.contest.notes, *r.notes):
            out_console.print(f"note: {note}")


def verify(
    bulletin: Path = typer.Argument(..., help="Bulletin board, JSON Lines (tandau-bulletin/2 or /1)."),
    tracker: str | None = typer.Option(None, "--tracker", help="Tell whether the ballot with this code is in."),
    commitment: str | None = typer.Option(
        None, "--commitment", help="The seed commitment (SHA-256 hex) as published when voting opened, taken from "
        "the contest page or the audit log, not from the bulletin: the revealed seed must open it."),
) -> None:
    """Recount a published bulletin; exit 0 if everything matches, 1 on a mismatch, 2 on malformed input."""
    report = verify_bulletin(bulletin, tracker=tracker, commitment=commitment)
    for name, passed, detail in report.checks:
        typer.echo(f"{'ok  ' if passed else 'FAIL'} {name}: {detail}")
    if report.tracker is not None:
        shown = {"counted": "found", "replaced": "REPLACED by a later ballot of the same member"}
        typer.echo(f"tracker {report.tracker}: {shown.get(report.tracker_status or '', 'NOT found')}")
    code = report.exit_code
    if code == 0 and report.tracker is not None and not report.tracker_found:
        code = 1
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add the top-level commands ``tally`` and ``verify``."""
    app.command("tally")(tally)
    app.command("verify")(verify)
