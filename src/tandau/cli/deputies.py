"""``tandau deputies``: import a council's official result, record vacancies and by-elections, akims and
deputies' activity, list the faction.

The command line acts as the central office (``--actor`` names who, for the audit log, as ``cli:NAME``); it calls
the same services as the pages and the API (:mod:`tandau.services.deputies`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from tandau.cli._app import new_app, out_console
from tandau.cli._db import ACTOR, DB, session_scope
from tandau.errors import InputError
from tandau.services.deputies import activity, akims, read, results, vacancy
from tandau.services.primaries.access import Actor
from tandau.store.deputies_models import DeputyRow

app = new_app("Deputies and akims: official results per council, the party's faction, vacancies, akims, activity.")
akims_app = new_app("Akims (party members) per territory with their appointment dates.")
activity_app = new_app("Deputies' activity records (sessions, votes, inquiries, receptions, reports to voters).")
app.add_typer(akims_app, name="akims")
app.add_typer(activity_app, name="activity")

JSON = typer.Option(False, "--json", help="Print JSON instead of text.")


def _actor(name: str) -> Actor:
    return Actor.central(f"cli:{name}")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a day such as 2023-03-19, got {text!r}", parameter=option) from None


def _read(path: Path, option: str) -> bytes:
    if not path.is_file():
        raise InputError("file not found", file=str(path), parameter=option)
    return path.read_bytes()


def _line(d: DeputyRow) -> str:
    how = f"list #{d.position}" if d.mandate == "list" else f"district {d.district_id}"
    left = f"  vacated {d.vacated_on}: {d.vacated_reason}" if d.status == "vacated" else ""
    return f"{d.id:16} {d.council_id:12} {how:22} {d.term_start}..{d.term_end}  {d.name}{left}"


def _data(d: DeputyRow) -> dict[str, object]:
    return {"id": d.id, "council": d.council_id, "kato": d.kato, "person_id": d.person_id or None, "name": d.name,
            "mandate": d.mandate, "district": d.district_id or None, "position": d.position,
            "term_start": d.term_start.isoformat(), "term_end": d.term_end.isoformat(), "status": d.status,
            "vacated_on": None if d.vacated_on is None else d.vacated_on.isoformat(),
            "vacated_reason": d.vacated_reason, "succeeds": d.succeeds}


@app.command("import-results")
def import_results_command(
    council: str = typer.Argument(..., help="The council: M-75, M-5910, KZ-MAJILIS."),
    results_file: Path = typer.Argument(..., metavar="RESULTS.csv", help="The official result (.csv or .xlsx)."),
    party: str = typer.Option(..., "--party", help="The party whose deputies these are, as named in the file."),
    election_day: str = typer.Option(..., "--election-day", help="YYYY-MM-DD."),
    system: str = typer.Option("kz-2023", "--system", help="The electoral system (kz-2023 | kz-2021)."),
    list_file: Path | None = typer.Option(None, "--list", help="The party's LIST.csv when the workspace has none."),
    db: str | None = DB, actor: str = ACTOR, as_json: bool = JSON,
) -> None:
    """Compose the council from its official result and store the party's faction with its term."""
    names = results.read_list(_read(list_file, "--list"), list_file.name) if list_file is not None else None
    with session_scope(db) as session:
        done = results.import_results(session, _actor(actor), council, _read(results_file, "RESULTS.csv"),
                                      results_file.name, party=party, election_day=_day(election_day,
                                                                                        "--election-day"),
                                      system=system, party_list=names)
        if as_json:
            typer.echo(json.dumps({"council": council, "deputies": [_data(d) for d in done.deputies],
                                   "steps": list(done.steps)}, ensure_ascii=False, indent=1))
            return
        for step in done.steps:
            out_console.print(step, markup=False, highlight=False)
        typer.echo(f"{len(done.deputies)} deputies of {party} in {council}")


@app.command("vacancy")
def vacancy_command(
    deputy: str = typer.Argument(..., help="The deputy's id (M-75-L03, M-75-D07)."),
    reason: str = typer.Option(..., "--reason", help="Why the mandate ended."),
    on: str = typer.Option(..., "--on", help="The day it ended, YYYY-MM-DD."),
    db: str | None = DB, actor: str = ACTOR, as_json: bool = JSON,
) -> None:
    """Record that a deputy left; a list mandate passes to the next eligible name (the 30% quota kept)."""
    with session_scope(db) as session:
        out = vacancy.vacate(session, _actor(actor), deputy, reason=reason, on=_day(on, "--on"))
        if as_json:
            typer.echo(json.dumps({"vacated": _data(out.vacated),
                                   "successor": None if out.successor is None else _data(out.successor),
                                   "succession": None if out.succession is None else out.succession.as_data()},
                                  ensure_ascii=False, indent=1))
            return
        if out.successor is not None and out.succession is not None:
            typer.echo(f"{out.successor.name} (#{out.successor.position}) succeeds {out.vacated.name} "
                       f"({out.succession.reason})")
        elif out.vacated.mandate == "list":
            typer.echo("the list is exhausted: the mandate stays vacant")
        else:
            typer.echo(f"district {out.vacated.district_id} is vacant until a by-election")


@app.command("by-election")
def by_election_command(
    council: str = typer.Argument(...), district: str = typer.Argument(..., help="District id or number."),
    winner: str = typer.Option(..., "--winner"),
    party: str = typer.Option("", "--party", help="Empty: self-nominated."),
    day: str = typer.Option(..., "--day", help="YYYY-MM-DD."), person_id: str = typer.Option("", "--id"),
    db: str | None = DB, actor: str = ACTOR,
) -> None:
    """Enter a by-election's result in a district."""
    with session_scope(db) as session:
        row = vacancy.by_election(session, _actor(actor), council, district, winner=winner, party=party,
                                  day=_day(day, "--day"), person_id=person_id)
        typer.echo(f"{winner} joins the faction as {row.id}" if row is not None else f"{winner} recorded")


@app.command("list")
def list_command(
    council: str | None = typer.Option(None, "--council"), territory: str | None = typer.Option(None, "--territory"),
    status: str = typer.Option("active", "--status", help="active | vacated | all."),
    db: str | None = DB, actor: str = ACTOR, as_json: bool = JSON,
) -> None:
    """The party's deputies (by council, list then districts)."""
    with session_scope(db) as session:
        rows = read.list_deputies(session, _actor(actor), council=council, territory=territory,
                                  status=None if status == "all" else status)
        if as_json:
            typer.echo(json.dumps([_data(d) for d in rows], ensure_ascii=False, indent=1))
            return
        for d in rows:
            typer.echo(_line(d))


@akims_app.command("add")
def akims_add_command(
    kato: str = typer.Argument(..., help="9-digit KATO code of the territory."), name: str = typer.Argument(...),
    appointed: str = typer.Option(..., "--appointed", help="YYYY-MM-DD."), person_id: str = typer.Option("", "--id"),
    db: str | None = DB, actor: str = ACTOR,
) -> None:
    """Record a territory's akim."""
    with session_scope(db) as session:
        row = akims.add_akim(session, _actor(actor), kato, name, _day(appointed, "--appointed"), person_id=person_id)
        typer.echo(f"{row.id}  {row.kato}  {row.name}  since {row.appointed_at}")


@akims_app.command("end")
def akims_end_command(akim: str = typer.Argument(...), left: str = typer.Option(..., "--left", help="YYYY-MM-DD."),
                      db: str | None = DB, actor: str = ACTOR) -> None:
    """Record the day an akim left office."""
    with session_scope(db) as session:
        row = akims.end_akim(session, _actor(actor), akim, _day(left, "--left"))
        typer.echo(f"{row.id}  {row.kato}  {row.name}  {row.appointed_at}..{row.left_at}")


@akims_app.command("list")
def akims_list_command(territory: str | None = typer.Option(None, "--territory"), db: str | None = DB,
                       actor: str = ACTOR) -> None:
    """The akims recorded, by territory."""
    with session_scope(db) as session:
        for row in akims.list_akims(session, _actor(actor), territory=territory):
            typer.echo(f"{row.id}  {row.kato}  {row.name}  {row.appointed_at}..{row.left_at or ''}")


@activity_app.command("import")
def activity_import_command(path: Path = typer.Argument(..., metavar="ACTIVITY.csv"), db: str | None = DB,
                            actor: str = ACTOR) -> None:
    """Import activity records (.csv or .xlsx), all or nothing."""
    with session_scope(db) as session:
        done = activity.import_activity(session, _actor(actor), _read(path, "ACTIVITY.csv"), path.name)
        typer.echo(f"{done.stored} records stored: " + ", ".join(f"{k} {n}" for k, n in sorted(done.per_kind.items())))


# --- scorecards and awards (issue 14, items 4 and 5; docs/scorecards.md) -------------------------------------------

awards_app = new_app("Party awards: a branch nominates an active member, the central office reviews, a certificate.")
app.add_typer(awards_app, name="awards")
SCORECARD_FORMATS = ("json", "csv")


@app.command("scorecards")
def scorecards_command(
    db: str | None = DB,
    fmt: str = typer.Option("json", "--format", help="json | csv."),
    kind: str | None = typer.Option(None, "--kind", help="deputy | faction | branch | akim (default: all)."),
    as_of: str | None = typer.Option(None, "--as-of", help="The period's last day, YYYY-MM-DD (default: today)."),
    actor: str = ACTOR,
) -> None:
    """Scorecards of deputies, factions, branches and akims: each component's rate, weight and records (n), the
    weighted score and whether it is comparable (at least 10 records). JSON: {"scorecards": [...]}."""
    import csv
    import io

    from tandau.services.scorecards.compute import as_json, compute

    if fmt not in SCORECARD_FORMATS:
        raise InputError(f"--format is one of {', '.join(SCORECARD_FORMATS)}, got {fmt!r}", parameter="--format")
    day = _day(as_of, "--as-of") if as_of else None
    with session_scope(db) as session:
        data = as_json(compute(session, _actor(actor), kind=kind, as_of=day))
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["subject", "kind", "score", "comparable", "component", "value", "weight", "n"])
    cards: list[dict[str, object]] = data["scorecards"]  # type: ignore[assignment]
    for card in cards:
        components: list[dict[str, object]] = card["components"]  # type: ignore[assignment]
        for c in components:
            writer.writerow([card["subject"], card["kind"], "" if card["score"] is None else card["score"],
                             str(card["comparable"]).lower(), c["name"], "" if c["value"] is None else c["value"],
                             c["weight"], c["n"]])
    typer.echo(buffer.getvalue(), nl=False)


@awards_app.command("nominate")
def awards_nominate_command(
    member: str = typer.Argument(..., help="The member's id on the roll."),
    award: str = typer.Option(..., "--award", help="belsendi-kyzmeti-ushin | letter-of-thanks."),
    branch: str = typer.Option(..., "--branch", help="The nominating branch's KATO code (9 digits)."),
    activity_text: str = typer.Option(..., "--activity", help="The activity that supports the nomination."),
    link: list[str] = typer.Option([], "--link", help="An address of a supporting record (repeatable)."),
    name: str = typer.Option("", "--name", help="The member's name when they are not on the roll."),
    db: str | None = DB, actor: str = ACTOR, as_json: bool = JSON,
) -> None:
    """Nominate an active member for an award."""
    from tandau.services.awards import nominations

    with session_scope(db) as session:
        row = nominations.nominate(session, _actor(actor), member_id=member, award=award, branch_kato=branch,
                                   activity=activity_text, links=list(link), member_name=name)
        out = {"id": row.id, "member": row.member_id, "name": row.member_name, "award": row.award,
               "branch": row.branch_kato, "status": row.status}
    typer.echo(json.dumps(out, ensure_ascii=False) if as_json else f"{out['id']}  {out['name']}  {out['award']}  "
               f"{out['status']}")


@awards_app.command("review")
def awards_review_command(
    nomination: str = typer.Argument(...),
    decision: str = typer.Option(..., "--decision", help="approved | rejected."),
    reason: str = typer.Option("", "--reason", help="Why (required for a rejection)."),
    db: str | None = DB, actor: str = ACTOR,
) -> None:
    """Approve or reject a nomination (the central office)."""
    from tandau.services.awards import nominations

    with session_scope(db) as session:
        row = nominations.review(session, _actor(actor), nomination, decision, reason=reason)
        typer.echo(f"{row.id}  {row.member_name}  {row.status}" + (f": {row.reason}" if row.reason else ""))


@awards_app.command("certificate")
def awards_certificate_command(
    nomination: str = typer.Argument(...),
    lang: str = typer.Option("kk", "--lang", help="kk | ru."),
    out: Path = typer.Option(..., "--out", help="CERTIFICATE.pdf to write."),
    db: str | None = DB, actor: str = ACTOR,
) -> None:
    """Print the certificate of an approved nomination as a PDF (Kazakh or Russian)."""
    from tandau.io.award_pdf import LANGUAGES
    from tandau.services.awards import nominations

    if lang not in LANGUAGES:
        raise InputError(f"--lang is one of {', '.join(LANGUAGES)}", parameter="--lang")
    if out.suffix.lower() != ".pdf" or not out.parent.is_dir():
        raise InputError("give a file name ending in .pdf in an existing folder", file=str(out), parameter="--out")
    with session_scope(db) as session:
        data = nominations.certificate_pdf(nominations.certified(session, _actor(actor), nomination), lang)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    typer.echo(f"{out} ({len(data)} bytes)")
