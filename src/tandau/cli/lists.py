"""``tandau lists``: build, check and build-all (the CLI contract of docs/cli.md)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tandau.cli._app import err_console, new_app, out_console
from tandau.cli._ties import SEED_HELP, parse_seed, resolve_ties, ties_help
from tandau.core.lists import OBJECTIVES, TIE_POLICIES, ListRequest, ListResult, Pin, form_list
from tandau.core.rules import check_list, complies
from tandau.errors import InputError
from tandau.io.candidates_csv import read_candidates
from tandau.io.list_output import check_to_json, result_to_csv, result_to_json
from tandau.io.rules_toml import load_rules
from tandau.io.scenario_files import read_scenario

app = new_app("Form and check quota-compliant candidate lists.")

FORMATS = ("json", "csv", "table")


def _choice(value: str, valid: tuple[str, ...], parameter: str) -> str:
    if value not in valid:
        raise InputError(f"expected one of {', '.join(valid)}, got {value!r}", parameter=parameter)
    return value


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected YYYY-MM-DD, got {value!r}", parameter="--election-date") from None


def _pins(values: list[str]) -> tuple[Pin, ...]:
    pins = []
    for value in values:
        if "<=" in value:
            cid, _, k = value.partition("<=")
            within = True
        elif "@" in value:
            cid, _, k = value.partition("@")
            within = False
        else:
            raise InputError(f"a pin is ID@PLACE or ID<=K (within the first K places), got {value!r}",
                             parameter="--pin")
        if not k.strip().isdigit():
            raise InputError(f"the place in {value!r} must be a whole number", parameter="--pin")
        place = int(k)
        pins.append(Pin(cid.strip(), within=place) if within else Pin(cid.strip(), position=place))
    return tuple(pins)


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _table(result: ListResult) -> Table:
    table = Table(title=f"List ({result.objective}); Kendall-τ {result.metrics.kendall_tau}, "
                        f"max demotion {result.metrics.max_demotion}")
    for column in ("place", "id", "name", "sex", "votes", "vote rank", "reason"):
        table.add_column(column, overflow="fold")
    for e in result.entries:
        table.add_row(str(e.position), e.candidate.id, e.candidate.name, e.candidate.sex, str(e.candidate.votes),
                      str(e.vote_rank), e.reason or "")
    return table


def _print_checks(result_checks: Any) -> None:
    for c in result_checks:
        mark = "[green]ok[/]" if c.ok else ("[red]FAIL[/]" if c.enforced else "[yellow]warning[/]")
        out_console.print(f"{mark} {c.label}: {c.detail}")
        for v in c.violations:
            out_console.print(f"    {v.detail}")


@app.command()
def build(
    candidates: Path = typer.Argument(..., help="CANDIDATES.csv (id, name, sex, birth_date, votes, tags)."),
    rules: str = typer.Option(..., "--rules", help="Preset ids and/or RULES.toml files, comma-separated."),
    length: int = typer.Option(..., "--length", help="Number of places on the list."),
    election_date: str | None = typer.Option(None, "--election-date", help="YYYY-MM-DD; ages count on this day."),
    objective: str = typer.Option("lexicographic", "--objective", help="lexicographic | min-swaps | min-max-demotion."),
    seat_safe: bool = typer.Option(False, "--seat-safe", help="Apply whole-list shares to every prefix."),
    seat_safe_from: int = typer.Option(2, "--seat-safe-from", help="First prefix length checked in seat-safe mode."),
    pin: list[str] = typer.Option([], "--pin", help="ID@PLACE, or ID<=K for a place within the first K."),
    exclude: list[str] = typer.Option([], "--exclude", help="Candidate id to leave off (repeatable)."),
    ties: str | None = typer.Option(None, "--ties", help="Equal votes. " + ties_help(TIE_POLICIES, "nomination-order")),
    tie_policy: str | None = typer.Option(None, "--tie-policy", hidden=True),
    seed: str | None = typer.Option(None, "--seed", help=SEED_HELP),
    likely_seats: int | None = typer.Option(None, "--likely-seats", help="Seats the party expects (for warnings)."),
    compare: bool = typer.Option(False, "--compare", help="Also report the difference from lexicographic."),
    fmt: str = typer.Option("table", "--format", help="json | csv | table."),
    out: Path | None = typer.Option(None, "--out", help="Write here instead of standard output."),
) -> None:
    """Form a quota-compliant list from the primary ranking."""
    _choice(fmt, FORMATS, "--format")
    _choice(objective, OBJECTIVES, "--objective")
    policy = resolve_ties(ties, tie_policy, TIE_POLICIES, "nomination-order")
    lot_seed = parse_seed(policy, seed)
    rule_set = load_rules(rules)
    day = _date(election_date)
    if rule_set.needs_age and day is None:
        raise InputError("these rules count ages, so an election date is needed", parameter="--election-date")
    pool = read_candidates(candidates, require_birth_dates=rule_set.needs_age)
    unknown = [x for x in exclude if x not in {c.id for c in pool}]
    if unknown:
        raise InputError(f"excluded id(s) {', '.join(unknown)} not among the candidates", parameter="--exclude")
    request = ListRequest(tuple(pool), rule_set.rules, length, day, _pins(pin), frozenset(exclude),
                          objective, policy, lot_seed, seat_safe, seat_safe_from, likely_seats)  # type: ignore[arg-type]
    result = form_list(request)
    comparison = None
    if compare and objective != "lexicographic":
        base = form_list(replace(request, objective="lexicographic", explain=False))
        comparison = {
            "lexicographic_ids": list(base.ids),
            "differing_places": [k + 1 for k, (a, b) in enumerate(zip(base.ids, result.ids, strict=True)) if a != b],
            "lexicographic_metrics": {"kendall_tau": base.metrics.kendall_tau,
                                      "max_demotion": base.metrics.max_demotion},
        }
    if fmt == "json":
        payload = result_to_json(result)
        payload["rules"] = {"id": rule_set.id, "source": rule_set.source}
        if comparison is not None:
            payload["comparison"] = comparison
        _emit(json.dumps(payload, ensure_ascii=False, indent=2), out)
    elif fmt == "csv":
        _emit(result_to_csv(result), out)
    else:
        out_console.print(_table(result))
        _print_checks(result.checks)
        for w in result.warnings:
            out_console.print(f"[yellow]warning:[/] {w}")
        for t in result.ties:
            out_console.print(f"tie at {t.votes} votes ordered by {t.policy}: {', '.join(t.ordered_ids)}")
        if comparison is not None:
            out_console.print(f"differs from lexicographic at places {comparison['differing_places']}")
        if out is not None:
            out.write_text(result_to_csv(result), encoding="utf-8")


@app.command()
def check(
    list_file: Path = typer.Argument(..., help="A list in its own order (LIST.csv; a 'position' column if any)."),
    rules: str = typer.Option(..., "--rules", help="Preset ids and/or RULES.toml files, comma-separated."),
    election_date: str | None = typer.Option(None, "--election-date", help="YYYY-MM-DD; ages count on this day."),
    fmt: str = typer.Option("table", "--format", help="json | table."),
) -> None:
    """Check a list: exit 0 if it complies, otherwise exit 1 and every violation."""
    _choice(fmt, ("json", "table"), "--format")
    rule_set = load_rules(rules)
    day = _date(election_date)
    if rule_set.needs_age and day is None:
        raise InputError("these rules count ages, so an election date is needed", parameter="--election-date")
    entries = read_candidates(list_file, require_birth_dates=rule_set.needs_age)
    checks = check_list(entries, rule_set.rules, day)
    ok = complies(checks)
    if fmt == "json":
        violations = [
            {"position": v.first, "last": v.last, "rule": c.label, "detail": v.detail}
            for c in checks if c.enforced for v in c.violations
        ]
        _emit(json.dumps({"ok": ok, "checks": [check_to_json(c) for c in checks], "violations": violations},
                         ensure_ascii=False, indent=2), None)
    else:
        _print_checks(checks)
        out_console.print("[green]complies[/]" if ok else "[red]does not comply[/]")
    raise typer.Exit(0 if ok else 1)


@app.command("build-all")
def build_all_cmd(
    scenario: Path = typer.Option(..., "--scenario", help="A scenario directory (tandau demo generate)."),
    rules: str = typer.Option(..., "--rules", help="Preset ids and/or RULES.toml files, comma-separated."),
    objective: str = typer.Option("lexicographic", "--objective", help="lexicographic | min-swaps | min-max-demotion."),
    seat_safe: bool = typer.Option(False, "--seat-safe", help="Apply whole-list shares to every prefix."),
    out: Path | None = typer.Option(None, "--out", help="Write every list here (CSV, or JSON Lines if .jsonl)."),
    top: int = typer.Option(10, "--top", help="How many most-departing councils to show."),
) -> None:
    """Form every council's list of a scenario, with a compliance summary per region."""
    from tandau.cli.lists_report import print_report, write_all

    _choice(objective, OBJECTIVES, "--objective")
    rule_set = load_rules(rules)
    data = read_scenario(scenario)
    from tandau.services.lists import build_all

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task("forming lists", total=len(data.councils))
        report = build_all(data, rule_set, objective=objective, seat_safe=seat_safe,  # type: ignore[arg-type]
                           progress=lambda _c: bar.advance(task))
    print_report(report, rule_set, top)
    if out is not None:
        write_all(report, out)
        err_console.print(f"wrote {out}")
    raise typer.Exit(1 if report.infeasible else 0)
