"""``tandau seats``: allocate seats, name the mandate holders, simulate what-if elections.

Heavy modules (numpy, the core) are imported inside the commands so that start-up stays short.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tandau.cli._app import new_app
from tandau.cli._ties import SEED_HELP, parse_seed, resolve_ties, ties_help
from tandau.core.ties import PARTY_TIE_POLICIES
from tandau.errors import InputError

if TYPE_CHECKING:
    from datetime import date

app = new_app("Seat allocation: apportionment methods, Kazakh rules, mandate holders, what-if simulation.")


def _emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _run_batch(path: Path) -> None:
    """One JSON result per case, in order (:func:`tandau.core.seats.batch.allocate_batch`, columnar and exact)."""
    from tandau.core.seats.batch import allocate_batch
    from tandau.io.votes import format_batch, read_batch

    cases = read_batch(path)
    sys.stdout.write(format_batch(cases, allocate_batch(cases, str(path))))


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
    ties: str | None = typer.Option(None, "--ties", help=ties_help(PARTY_TIE_POLICIES, "the preset's, else "
                                                                   "registration-order")),
    tie_policy: str | None = typer.Option(None, "--tie-policy", hidden=True),
    seed: str | None = typer.Option(None, "--seed", help=SEED_HELP),
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

    policy = resolve_ties(ties, tie_policy, PARTY_TIE_POLICIES, None)
    lot_seed = parse_seed(policy, seed)
    votes = read_votes_csv(votes_csv)
    share = parse_share(threshold) if threshold is not None else None
    res = allocate(votes, seats, method=method, rules=rules, threshold=share, other_valid_votes=other_valid_votes,
                   tie_policy=policy, seed=lot_seed)
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


def _parse_day(text: str | None, option: str) -> date | None:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {text!r}", parameter=option) from None


@app.command("mandates")
def mandates_cmd(
    list_csv: Path = typer.Argument(..., help="LIST.csv in list order: id, name, sex[, birth_date, votes, tags]."),
    seats: int = typer.Option(..., "--seats", help="Seats the party won."),
    rule: str = typer.Option("list-order", "--rule", help="list-order, kz-law-2022, xk-2008 or cl-2021."),
    election_day: str | None = typer.Option(None, "--election-day", "--election-date",
                                            help="YYYY-MM-DD (ages are taken on it)."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
) -> None:
    """Name a party's mandate holders under a mandate-level rule, with every replacement explained."""
    from tandau.core.seats.mandates import assign_mandates
    from tandau.io.votes import read_candidates_csv

    day = _parse_day(election_day, "--election-day")
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
    election_date: str | None = typer.Option(None, "--election-date", "--election-day",
                                             help="YYYY-MM-DD: ages (under 29) are taken on election day "
                                                  "(default: today)."),
    plot: Path | None = typer.Option(None, "--plot", help="Write the charts as one Vega-Lite JSON spec to FILE."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
) -> None:
    """What-if: distribution of seats, each list position's chance, share of women/young among mandate holders."""
    from datetime import date

    from tandau.core.seats import parse_share
    from tandau.core.seats.simulate import simulate
    from tandau.io.votes import read_candidates_csv, read_shares_csv

    day = _parse_day(election_date, "--election-date") or date.today()
    expected = read_shares_csv(shares_csv)
    flags: dict[str, list[dict[str, bool]]] = {}
    for spec in lists:
        party, _, path = spec.partition("=")
        if party not in expected or not path:
            raise InputError(f"expected PARTY=LIST.csv with a party of {shares_csv}, got {spec!r}", parameter="--list")
        flags[party] = [{"woman": c.sex == "F", "young": (c.age_on(day) or 99) < 29}
                        for c in read_candidates_csv(path)]
    res = simulate(expected, seats, method=method, threshold=float(parse_share(threshold)), other_share=other_share,
                   runner_up=runner_up, draws=draws, concentration=None if sigma is not None else concentration,
                   sigma=sigma, seed=seed, lists=flags)
    if plot is not None:
        from tandau.core.seats.charts import what_if_spec

        try:
            plot.write_text(json.dumps(what_if_spec(res), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the plot: {exc.strerror}", file=str(plot)) from None
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


@app.command("council")
def council_cmd(
    system: str = typer.Option(..., "--system", help="Electoral system id (kz-2023, kz-2021)."),
    council: str = typer.Option(..., "--council", help="Council id (see `tandau territory districts`)."),
    votes: Path | None = typer.Option(None, "--votes", help="VOTES.csv of the list half: party, votes"
                                                            "[, registration_order]."),
    districts: Path | None = typer.Option(None, "--districts", help="RESULTS.csv: district, winner, party[, votes, "
                                                                   "by_election, vacated, id, sex, birth_date, tags] "
                                                                   "(needed when the council has districts)."),
    by_elections: Path | None = typer.Option(None, "--by-elections", help="BY.csv: by-elections, the columns of "
                                                                          "RESULTS.csv with by_election required."),
    lists: Path | None = typer.Option(None, "--lists", help="LISTS.csv: party, id, name, sex[, birth_date, votes, "
                                                            "tags], each party's list in list order."),
    list_specs: list[str] = typer.Option([], "--list", help="PARTY=LIST.csv (the format of `seats mandates`); "
                                                            "repeatable."),
    rule: str = typer.Option("kz-law-2022", "--rule", help="Mandate rule for the list holders: kz-law-2022, "
                                                           "list-order, xk-2008, cl-2021."),
    election_date: str | None = typer.Option(None, "--election-date", "--election-day",
                                             help="YYYY-MM-DD: election day (ages; by-elections come after it)."),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD: the composition on this day (later "
                                                           "by-elections and vacancies ignored)."),
    other_valid_votes: int = typer.Option(0, "--other-valid-votes", help="Valid ballots for no list "
                                                                         "('against all')."),
    district_table: Path | None = typer.Option(None, "--district-table", help="Official districts: council, "
                                                                              "district, name[, kato]."),
    party: str | None = typer.Option(None, "--party", help="Table format: list this party's faction."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
    ties: str | None = typer.Option(None, "--ties", help=ties_help(PARTY_TIE_POLICIES, "the preset's")),
    seed: str | None = typer.Option(None, "--seed", help=SEED_HELP),
) -> None:
    """A mixed council's composition: list seats (the system's preset, mandate rule) + district winners, factions."""
    if fmt not in ("json", "table"):
        raise InputError(f"--format must be json or table, got {fmt!r}", parameter="--format")
    from tandau.services.councils import compose_from_files

    policy = resolve_ties(ties, None, PARTY_TIE_POLICIES, None)
    lot_seed = parse_seed(policy, seed)
    ref, res = compose_from_files(
        system, council, votes=votes, results=districts, by_elections=by_elections, lists_file=lists,
        list_specs=list_specs, rule=rule, election_date=_parse_day(election_date, "--election-date"),
        as_of=_parse_day(as_of, "--as-of"), other_valid_votes=other_valid_votes, tie_policy=policy, seed=lot_seed,
        district_table=district_table)
    if fmt == "json":
        _emit({"system": ref.system.id, **res.as_data()})
        return
    from rich.table import Table

    from tandau.cli._app import out_console

    table = Table(title=f"{council} under {system}: {res.seats} seats = {res.list_seats} list ({res.rules or '-'}) "
                        f"+ {len(res.districts)} districts" + (f", {res.vacant} vacant" if res.vacant else ""))
    for col in ("party", "list", "districts", "total", "women", "under 35"):
        table.add_column(col, justify="left" if col == "party" else "right")
    for p in res.parties:
        f = res.faction(p.party)
        known = f.size - f.unknown_sex
        table.add_row(p.party, str(p.list_seats), str(p.district_seats), str(p.total),
                      f"{f.women}/{known}" if known else "-", f"{f.under_35}/{f.size - f.unknown_age}"
                      if f.size - f.unknown_age else "-")
    out_console.print(table)
    if party is not None:
        f = res.faction(party)
        ft = Table(title=f"{party}: {f.size} deputies ({f.list_seats} list + {f.district_seats} districts)")
        for col in ("mandate", "name", "sex", "age", "district / position"):
            ft.add_column(col)
        for d in f.deputies:
            ft.add_row(d.mandate, d.name, d.sex or "?", "?" if d.age is None else str(d.age),
                       d.district or str(d.position))
        out_console.print(ft)
        if f.unnamed_list_seats:
            out_console.print(f"{f.unnamed_list_seats} list mandate(s) without a list to name their holders")
    for step in res.steps:
        out_console.print(step)


@app.command("simulate-council")
def simulate_council_cmd(
    system: str = typer.Option(..., "--system", help="Electoral system id (kz-2023, kz-2021)."),
    council: str = typer.Option(..., "--council", help="Council id (see `tandau territory districts`)."),
    shares: Path | None = typer.Option(None, "--shares", help="SHARES.csv of the list half: party, share."),
    districts: Path = typer.Option(..., "--districts", help="ESTIMATES.csv: district, party, share[, sigma, id, "
                                                            "name, sex, birth_date], one row per candidate."),
    lists: Path | None = typer.Option(None, "--lists", help="LISTS.csv: party, id, name, sex[, birth_date, ...]."),
    list_specs: list[str] = typer.Option([], "--list", help="PARTY=LIST.csv; repeatable."),
    rule: str = typer.Option("kz-law-2022", "--rule", help="Mandate rule applied to each possible seat count."),
    election_date: str | None = typer.Option(None, "--election-date", "--election-day",
                                             help="YYYY-MM-DD: ages are taken on election day."),
    other_share: float = typer.Option(0.0, "--other-share", help="Expected share of 'against all' (list half)."),
    draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", help="Seed (list half: seed; districts: (seed, 1)); recorded."),
    concentration: float = typer.Option(2_000.0, "--concentration", help="Dirichlet concentration (list half)."),
    list_sigma: float | None = typer.Option(None, "--list-sigma", help="Normal errors for the list half instead."),
    sigma: float = typer.Option(0.05, "--sigma", help="Default s.d. of a district share estimate."),
    swing: float = typer.Option(0.0, "--swing", help="S.d. of a party swing shared by its districts."),
    district_table: Path | None = typer.Option(None, "--district-table", help="Official districts table."),
    party: str | None = typer.Option(None, "--party", help="Table and plot: this party's nominees only."),
    plot: Path | None = typer.Option(None, "--plot", help="Write the charts as one Vega-Lite JSON spec to FILE."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
) -> None:
    """What-if for a mixed council: each nominee's chance, expected deputies, women and under-35s per party."""
    if fmt not in ("json", "table"):
        raise InputError(f"--format must be json or table, got {fmt!r}", parameter="--format")
    from tandau.services.councils import simulate_from_files

    _, res = simulate_from_files(
        system, council, shares=shares, estimates=districts, lists_file=lists, list_specs=list_specs, rule=rule,
        election_date=_parse_day(election_date, "--election-date"), other_share=other_share, draws=draws, seed=seed,
        concentration=None if list_sigma is not None else concentration, list_sigma=list_sigma, sigma=sigma,
        swing=swing, district_table=district_table)
    if party is not None and party not in res.parties:
        raise InputError(f"unknown party {party!r}; parties: {', '.join(res.parties)}", parameter="--party")
    if plot is not None:
        from tandau.core.seats.mixed_charts import council_what_if_spec

        try:
            plot.write_text(json.dumps(council_what_if_spec(res, party), ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the plot: {exc.strerror}", file=str(plot)) from None
    if fmt == "json":
        _emit(res.as_data())
        return
    from rich.table import Table

    from tandau.cli._app import out_console

    def num(x: float | None) -> str:
        return "?" if x is None else f"{x:.2f}"

    table = Table(title=f"{council}: {res.list_seats} list + {res.seats - res.list_seats} districts, "
                        f"{draws} draws, seed {seed}")
    for col in ("party", "list", "districts", "deputies", "women", "under 35"):
        table.add_column(col, justify="left" if col == "party" else "right")
    for i, p in enumerate(res.parties):
        table.add_row(p, num(res.expected_list[i]), num(res.expected_districts[i]), num(res.expected(p)),
                      num(res.expected_women[i]), num(res.expected_young[i]))
    out_console.print(table)
    nt = Table(title="chance of winning the district")
    for col in ("district", "party", "candidate", "share", "chance"):
        nt.add_column(col, justify="right" if col in ("share", "chance") else "left")
    for c in res.chances:
        if party is None or c.party == party:
            nt.add_row(c.district, c.party, c.name or c.id, f"{c.share:.1%}", f"{c.chance:.1%}")
    out_console.print(nt)
