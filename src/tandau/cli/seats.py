"""``tandau seats``: allocate seats, name the mandate holders, simulate what-if elections.

Heavy modules (numpy, the core) are imported inside the commands so that start-up stays short.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from tandau.cli._app import new_app
from tandau.errors import InputError, TandauError

app = new_app("Seat allocation: apportionment methods, Kazakh rules, mandate holders, what-if simulation.")


def _emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _run_batch(path: Path) -> None:
    """One JSON result per case, in order.

    Cases with a method id are grouped by method and allocated together (exact, numpy-vectorised,
    :mod:`tandau.core.seats.vectorised`); cases with a rules preset or 'against all' votes go through
    :func:`tandau.core.seats.allocate`.
    """
    from tandau.core.seats import allocate, get_method
    from tandau.io.votes import iter_batch

    encode = json.JSONEncoder(ensure_ascii=False).encode
    cases = list(iter_batch(path))
    lines: list[str | None] = [None] * len(cases)
    groups: dict[str, list[tuple[int, list[int], list[int], int]]] = {}
    for pos, case in enumerate(cases):
        try:
            if case.method is not None and case.other_valid_votes == 0:
                get_method(case.method)
                sel = list(range(len(case.votes)))
                if case.threshold:
                    num, den = case.threshold.numerator, case.threshold.denominator
                    needed = num * sum(case.votes)
                    sel = [i for i, v in enumerate(case.votes) if v * den >= needed and v > 0]
                    if not sel:
                        lines[pos] = encode({"error": f"no list reached the threshold ({needed / den:.2f} votes "
                                                      "needed)"}) + "\n"
                        continue
                sub_votes = [case.votes[i] for i in sel]
                if sum(sub_votes) == 0:
                    raise InputError("the parties taking part have no votes at all", parameter="votes")
                groups.setdefault(case.method, []).append((pos, sel, sub_votes, case.seats))
                continue
            res = allocate(list(zip(case.parties, case.votes, strict=True)), case.seats, method=case.method,
                           rules=case.rules, threshold=case.threshold, other_valid_votes=case.other_valid_votes)
            lines[pos] = encode({"seats": res.as_dict()}) + "\n"
        except InputError as exc:
            raise InputError(exc.problem, file=str(path), row=case.row, column=exc.parameter) from None
        except TandauError as exc:
            if exc.__class__.__name__ == "UnknownIdError":
                raise InputError(str(exc), file=str(path), row=case.row, column="method") from None
            lines[pos] = encode({"error": str(exc)}) + "\n"
    if groups:
        from tandau.core.seats.vectorised import allocate_many

        names: dict[str, str] = {}  # party name -> its JSON string, encoded once (party names repeat)

        def quoted(name: str) -> str:
            text = names.get(name)
            if text is None:
                text = names[name] = encode(name)
            return text

        for method, items in groups.items():
            results = allocate_many([(v, h) for _, _, v, h in items], method)
            for (pos, sel, _, _), got in zip(items, results, strict=True):
                seats = [0] * len(cases[pos].votes)
                for i, s in zip(sel, got, strict=True):
                    seats[i] = s
                body = ", ".join(f"{quoted(p)}: {s}" for p, s in zip(cases[pos].parties, seats, strict=True))
                lines[pos] = '{"seats": {' + body + "}}\n"
    sys.stdout.write("".join(line or "" for line in lines))


@app.command("allocate")
def allocate_cmd(
    votes_csv: Path | None = typer.Argument(None, help="VOTES.csv: party, votes[, registration_order]."),
    seats: int | None = typer.Option(None, "--seats", help="Seats to fill."),
    method: str | None = typer.Option(None, "--method", help="Method id (e.g. dhondt, sainte-lague, hare, droop)."),
    rules: str | None = typer.Option(None, "--rules", help="Rules preset id (e.g. kz-majilis-2023)."),
    threshold: str | None = typer.Option(None, "--threshold", help="Threshold share: 7% or 0.07."),
    other_valid_votes: int = typer.Option(0, "--other-valid-votes", help="Valid ballots for no list ('against all')."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
    batch: Path | None = typer.Option(None, "--batch", help="CASES.jsonl: one case per line; one JSON per line."),
    tie_policy: str | None = typer.Option(None, "--tie-policy", help="registration-order, lot or refuse."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the 'lot' tie policy (recorded)."),
) -> None:
    """Allocate seats among party lists; JSON maps every party to its seats, with the trace."""
    if batch is not None:
        _run_batch(batch)
        return
    if votes_csv is None:
        raise InputError("give VOTES.csv (or --batch CASES.jsonl)", parameter="VOTES.csv")
    if seats is None:
        raise InputError("--seats is required", parameter="--seats")
    if fmt not in ("json", "table"):
        raise InputError(f"--format must be json or table, got {fmt!r}", parameter="--format")
    from tandau.core.seats import allocate, parse_share
    from tandau.io.votes import read_votes_csv

    votes = read_votes_csv(votes_csv)
    if tie_policy == "lot" and seed is None:
        import secrets

        seed = secrets.randbelow(2**63)
    share = parse_share(threshold) if threshold is not None else None
    res = allocate(votes, seats, method=method, rules=rules, threshold=share, other_valid_votes=other_valid_votes,
                   tie_policy=tie_policy, seed=seed)
    if fmt == "json":
        _emit(res.as_data())
        return
    from rich.table import Table

    from tandau.cli._app import out_console

    table = Table(title=f"{res.method.method} — {seats} seats" + (f" ({rules})" if rules else ""))
    table.add_column("party")
    table.add_column("votes", justify="right")
    table.add_column("admitted")
    table.add_column("seats", justify="right")
    admitted = set(res.threshold.admitted) if res.threshold else {p for p, _ in votes}
    for party, v in votes:
        table.add_row(party, f"{v:,}", "yes" if party in admitted else "no", str(res.as_dict()[party]))
    out_console.print(table)
    for t in res.method.ties:
        out_console.print(f"tie ({t.stage}): {', '.join(t.tied)} → {', '.join(t.winners)} by {t.policy}")


@app.command("mandates")
def mandates_cmd(
    list_csv: Path = typer.Argument(..., help="LIST.csv in list order: id, name, sex[, birth_date, votes, tags]."),
    seats: int = typer.Option(..., "--seats", help="Seats the party won."),
    rule: str = typer.Option("list-order", "--rule", help="list-order, kz-law-2022, xk-2008 or cl-2021."),
    election_day: str | None = typer.Option(None, "--election-day", help="YYYY-MM-DD (ages are taken on it)."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
) -> None:
    """Name a party's mandate holders under a mandate-level rule, with every replacement explained."""
    from datetime import date

    from tandau.core.seats.mandates import assign_mandates
    from tandau.io.votes import read_candidates_csv

    day = None
    if election_day is not None:
        try:
            day = date.fromisoformat(election_day)
        except ValueError:
            raise InputError(f"expected YYYY-MM-DD, got {election_day!r}", parameter="--election-day") from None
    cands = read_candidates_csv(list_csv)
    res = assign_mandates(cands, seats, rule, day)
    if fmt == "json":
        _emit(res.as_data())
        return
    from rich.table import Table

    from tandau.cli._app import out_console

    table = Table(title=f"{rule}: {seats} mandates (group {res.held}/{res.needed}, {'met' if res.met else 'NOT met'})")
    for col in ("id", "name", "sex"):
        table.add_column(col)
    for c in res.elected:
        table.add_row(c.id, c.name, c.sex)
    out_console.print(table)
    for r in res.replacements:
        out_console.print(f"{r.into} replaces {r.out}: {r.reason}")


@app.command("simulate")
def simulate_cmd(
    shares_csv: Path = typer.Argument(..., help="SHARES.csv: party, share (expected vote share, e.g. a poll)."),
    seats: int = typer.Option(..., "--seats", help="Seats to fill."),
    method: str = typer.Option("hare", "--method", help="hare, droop, hagenbach-bischoff, dhondt, sainte-lague..."),
    threshold: str = typer.Option("0", "--threshold", help="Threshold share: 5% or 0.05."),
    other_share: float = typer.Option(0.0, "--other-share", help="Expected share of 'against all' (in the base)."),
    runner_up: bool = typer.Option(False, "--runner-up", help="Kazakh runner-up admission."),
    draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws."),
    concentration: float = typer.Option(2_000.0, "--concentration", help="Dirichlet concentration around the poll."),
    sigma: float | None = typer.Option(None, "--sigma", help="Use normal errors of this s.d. instead of Dirichlet."),
    seed: int = typer.Option(0, "--seed", help="Seed of the generator (recorded)."),
    lists: list[str] = typer.Option([], "--list", help="PARTY=LIST.csv: position chances and composition."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
) -> None:
    """What-if: distribution of seats, each list position's chance, share of women/young among mandate holders."""
    from tandau.core.seats import parse_share
    from tandau.core.seats.simulate import simulate
    from tandau.io.votes import read_candidates_csv, read_shares_csv

    expected = read_shares_csv(shares_csv)
    flags: dict[str, list[dict[str, bool]]] = {}
    for spec in lists:
        party, _, path = spec.partition("=")
        if party not in expected or not path:
            raise InputError(f"expected PARTY=LIST.csv with a party of {shares_csv}, got {spec!r}", parameter="--list")
        from datetime import date

        today = date.today()
        flags[party] = [{"woman": c.sex == "F", "young": (c.age_on(today) or 99) < 29}
                        for c in read_candidates_csv(path)]
    res = simulate(expected, seats, method=method, threshold=float(parse_share(threshold)), other_share=other_share,
                   runner_up=runner_up, draws=draws, concentration=None if sigma is not None else concentration,
                   sigma=sigma, seed=seed, lists=flags)
    if fmt == "json":
        _emit(res.as_data())
        return
    from rich.table import Table

    from tandau.cli._app import out_console

    table = Table(title=f"{draws} draws, {seats} seats, {method}, seed {seed}")
    for col in ("party", "mean seats", "P(admitted)", "5%–95% seats"):
        table.add_column(col, justify="right" if col != "party" else "left")
    for p, mean, pmf, adm in zip(res.parties, res.seats_mean, res.seats_pmf, res.p_admitted, strict=True):
        cum, lo, hi, acc = 0.0, None, 0, 0.0
        for k, x in enumerate(pmf):
            acc += x
            if lo is None and acc >= 0.05:
                lo = k
            if acc < 0.95:
                hi = k + 1
        cum = acc
        table.add_row(p, f"{mean:.2f}", f"{adm:.1%}", f"{lo}–{min(hi, len(pmf) - 1)}" if cum else "-")
    out_console.print(table)
    for p, probs in res.position_probability:
        out_console.print(f"{p}: P(elected) by position " + " ".join(f"{i + 1}:{x:.0%}" for i, x in enumerate(probs)))
