"""`tandau demo`: the synthetic national scenario (every person in it is synthetic)."""

from __future__ import annotations

from pathlib import Path

import typer

from tandau.cli._app import new_app, out_console
from tandau.services.demo_database import printable
from tandau.services.scenario import generate

app = new_app("Demo: a synthetic national scenario on Kazakhstan's territory.")
app.info.no_args_is_help = False
app.info.invoke_without_command = True


@app.callback()
def demo(
    ctx: typer.Context,
    no_serve: bool = typer.Option(False, "--no-serve", help="Prepare the database and stop (do not serve)."),
    db: str = typer.Option("demo-out/demo.db", "--db", help="SQLite file to create, or a database URL "
                           "(postgresql+psycopg://user@host/dbname for the national run)."),
    replace: bool = typer.Option(False, "--replace", help="Drop the tables of an earlier demo first (without it, "
                                 "a database that holds tables is refused)."),
    work: Path = typer.Option(Path("demo-out"), "--work-dir", help="Directory for the scenario and bulletins."),
    seed: int = typer.Option(2020, "--seed", help="Random seed of the scenario and of the voters."),
    scale: float = typer.Option(0.02, "--scale", min=0.0001, max=1.0,
                                help="Roll size: 1 = about 800,000 members (0.02: 16,000, ~10,800 candidates)."),
    voters: int | None = typer.Option(None, "--voters", min=1, help="Cap on the members who vote through the voting "
                                      "service (default: every member, each with probability 0.842)."),
    system: str = typer.Option("kz-2023", "--system", help="Electoral system of the cycle (tandau territory systems): "
                               "kz-2023 (city and district maslikhats in single-member districts; regional ones, "
                               "the cities of republican significance and the Majilis half list, half districts) "
                               "or kz-2021 (the all-list cycle of January 2021: every seat from lists)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on (loopback only: the demo runs in "
                             "the development environment)."),
    port: int = typer.Option(8000, "--port", help="TCP port to serve on."),
) -> None:
    """Prepare the national demo (primaries through the real voting service: a list contest per council with list
    seats, a contest per single-member district; every list formed) and serve it on http://HOST:PORT with the demo
    accounts printed (docs/workspace.md)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from tandau.services.demo import prepare_demo

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=out_console, transient=True) as bar:
        task = bar.add_task("demo", total=1)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=max(total, 1))

        def timed(step: str, seconds: float) -> None:
            bar.console.print(f"  {step}: {seconds:.1f} s")

        if "://" in db or Path(db).exists():
            bar.console.print(f"demo database {printable(db)}: checking it is empty"
                              + (" (--replace: an earlier demo's tables are dropped)" if replace else ""))
        report = prepare_demo(db, work, seed=seed, scale=scale, voters=voters, progress=progress, system=system,
                              replace=replace, timed=timed)
    unselectable = report.districts_unselectable
    if report.replaced:
        out_console.print(f"replaced: {report.replaced} tables of an earlier demo dropped from {report.database}")
    out_console.print(
        f"demo database {report.database} ({report.system}): {report.councils} councils, "
        f"{report.list_contests} list contests and "
        f"{report.district_contests} district contests, {report.members} members on the roll, "
        f"{report.candidates} nominations, {report.voters} voters cast {report.ballots} ballots through the voting "
        f"service, {report.published} contests published, {report.lists_formed} lists formed "
        f"({report.lists_infeasible} infeasible), {len(unselectable)} districts cannot select anyone; all synthetic"
    )
    for contest_id, problems in sorted(unselectable.items())[:10]:
        out_console.print(f"  {contest_id}: {'; '.join(problems)}")
    if len(unselectable) > 10:
        out_console.print(f"  ... and {len(unselectable) - 10} more (tandau primaries districts report)")
    m = report.modules
    if m is not None:
        c = m.control
        out_console.print(f"party control (synthetic): {c.targets} target rows, {c.reports} reports, {c.releases} "
                          f"OCDS releases, {c.flags} programme flags, {len(c.cases)} open cases (see /control)")
        statuses = ", ".join(f"{len(v)} {k}" for k, v in sorted(m.programmes.by_status.items()))
        out_console.print(f"election programmes (synthetic): {m.programmes.programmes} ({statuses}), "
                          f"{m.programmes.commitments} commitments (see /programmes, published at /p/...)")
        p = m.proposals
        out_console.print(f"citizens' proposals (synthetic): {p.proposals} ({p.near_duplicates} near-duplicates, "
                          f"{p.hidden} hidden, {p.answered} answered); receipt codes to try at /proposals/receipt: "
                          + ", ".join(p.receipts[:3]))
        d = m.deputies
        out_console.print(f"deputies (synthetic results): {d.deputies} in {d.councils} councils ({d.list_deputies} "
                          f"from lists, {d.district_deputies} from districts), {d.vacancies} vacancies filled, "
                          f"{d.akims} akims (see /deputies)")
        a = m.appeals
        out_console.print(f"public reception appeals (synthetic): {a.appeals} ({a.answered} answered, {a.redirected} "
                          f"redirected, {a.escalated} escalated); receipt codes to try at /appeals/receipt: "
                          + ", ".join(a.receipts[:3]))
        out_console.print(f"award nominations (synthetic): {m.awards.nominated} ({m.awards.approved} approved, "
                          f"{m.awards.rejected} rejected; see /deputies/awards)")
    out_console.print("steps (s): " + ", ".join(f"{k} {v}" for k, v in report.timings.items())
                      + f"; total {sum(report.timings.values()):.1f} s")
    out_console.print("demo accounts (sign in at /signin):")
    for acc in report.accounts:
        out_console.print(f"  {acc.role:<10} login {acc.login:<10} password {acc.password:<20} {acc.note}")
    if report.practice_shares:
        out_console.print("practice contest key shares (2 of 3 decrypt it after close, at /keys):")
        for holder, share in report.practice_shares:
            out_console.print(f"  {holder:<10} {share}", soft_wrap=True)
    if no_serve:
        return
    import os

    from tandau.cli.serve import serve

    # the demo is development by definition (published demo passwords, codes shown on the page): ask for it
    os.environ["TANDAU_ENVIRONMENT"] = "development"
    out_console.print(f"staff workspace: http://{host}:{port}/staff  (Ctrl+C stops)")
    serve(db, host=host, port=port, workers=1, upgrade=False)


@app.command("generate")
def generate_cmd(
    out: Path = typer.Option(..., "--out", help="Directory to write the scenario into."),
    seed: int = typer.Option(..., "--seed", help="Random seed: the same seed and scale give byte-identical files."),
    scale: float = typer.Option(1.0, "--scale", help="1 = about 800,000 members and 11,000 candidates."),
    layout: str = typer.Option("", "--layout", help="Territory layout: 2023 or 2021 (default: the system's, else "
                               "2023)."),
    system: str = typer.Option("", "--system", help="Electoral system (kz-2023, kz-2021): with single-member "
                               "districts, list candidates for the list seats only and 2-5 candidates per district, "
                               "the districts and each member's district (docs/scenario.md). Default: none, every "
                               "council a list."),
    election_date: str = typer.Option("", "--election-date", help="YYYY-MM-DD; ages are counted on this day "
                                      "(default: the maslikhat election of the layout)."),
    no_members: bool = typer.Option(False, "--no-members", help="Do not write members.csv."),
) -> None:
    """Write scenario.json, councils.csv, candidates.csv, members.csv and README.txt; with a system that has
    single-member districts also districts.csv, district_candidates.csv and member_districts.csv
    (docs/scenario.md)."""
    with out_console.status("generating the synthetic scenario"):
        summary = generate(out, seed=seed, scale=scale, layout=layout or None, election_date=election_date or None,
                           write_members=not no_members, system=system or None)
    c = summary.counts
    out_console.print(
        f"wrote {', '.join(summary.files)} to {summary.out_dir} in {summary.seconds:.1f} s: "
        f"{c['councils']} councils, {c['candidates']} candidates"
        + (f", {c['districts']} districts with {c['district_candidates']} candidates" if "districts" in c else "")
        + f", {c['members']} members (all synthetic)"
    )


@app.command("run")
def run_cmd(
    out: Path = typer.Option(Path("demo-out"), "--out", help="Directory for the scenario and the formed lists."),
    seed: int = typer.Option(2020, "--seed", help="Random seed of the scenario."),
    scale: float = typer.Option(0.1, "--scale", help="Scenario scale (0.1: 80,000 members, every council)."),
    rules: str = typer.Option("nur-otan-2019,kz-law-2022", "--rules", help="Rules every list must meet."),
    top: int = typer.Option(8, "--top", help="How many most-departing councils to show."),
) -> None:
    """The main job: generate the national scenario, form every list, print the compliance summary."""
    from tandau.cli.lists_report import print_report, write_all
    from tandau.io.rules_toml import load_rules
    from tandau.io.scenario_files import read_scenario
    from tandau.services.lists import build_all

    rule_set = load_rules(rules)
    with out_console.status("generating the synthetic national scenario"):
        summary = generate(out, seed=seed, scale=scale)
    c = summary.counts
    out_console.print(f"scenario: {c['councils']} councils, {c['candidates']} candidates, {c['members']} members "
                      f"(all synthetic) in {out}")
    data = read_scenario(out)
    with out_console.status("forming every council's list"):
        report = build_all(data, rule_set)
    print_report(report, rule_set, top)
    write_all(report, out / "lists.csv")
    out_console.print(f"every list with its reasons: {out / 'lists.csv'}")
    raise typer.Exit(1 if report.infeasible else 0)
