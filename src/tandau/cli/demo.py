"""`tandau demo`: the synthetic national scenario (every person in it is synthetic)."""

from __future__ import annotations

from pathlib import Path

import typer

from tandau.cli._app import new_app, out_console
from tandau.services.scenario import generate

app = new_app("Demo: a synthetic national scenario on Kazakhstan's territory.")


@app.command("generate")
def generate_cmd(
    out: Path = typer.Option(..., "--out", help="Directory to write the scenario into."),
    seed: int = typer.Option(..., "--seed", help="Random seed: the same seed and scale give byte-identical files."),
    scale: float = typer.Option(1.0, "--scale", help="1 = about 800,000 members and 11,000 candidates."),
    layout: str = typer.Option("2023", "--layout", help="Territory layout: 2023 or 2021."),
    election_date: str = typer.Option("", "--election-date", help="YYYY-MM-DD; ages are counted on this day "
                                      "(default: the maslikhat election of the layout)."),
    no_members: bool = typer.Option(False, "--no-members", help="Do not write members.csv."),
) -> None:
    """Write scenario.json, councils.csv, candidates.csv, members.csv and README.txt (docs/scenario.md)."""
    with out_console.status("generating the synthetic scenario"):
        summary = generate(out, seed=seed, scale=scale, layout=layout, election_date=election_date or None,
                           write_members=not no_members)
    c = summary.counts
    out_console.print(
        f"wrote {', '.join(summary.files)} to {summary.out_dir} in {summary.seconds:.1f} s: "
        f"{c['councils']} councils, {c['candidates']} candidates, {c['members']} members (all synthetic)"
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
