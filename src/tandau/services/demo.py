"""The national demo: a synthetic scenario taken through the real primaries and list formation.

Steps (every one through the service layer, with its authorization and audit): generate the scenario
(:func:`tandau.services.scenario.generate`) for the electoral system (default ``kz-2023``), create the database
(Alembic migrations), register a cycle of that system, one list contest per council with list seats and (with
single-member districts) the councils' districts, the members' assignment to them and one contest per district,
import the roll and the nominations from files, open voting, cast a ballot for each voting member in each of their
contests through the web server's ballot path (turnout 84.2%, the 2020 primaries' figure; up to five approval
marks in a list contest, one in a district, drawn by candidate strength; on PostgreSQL the server's batch statement,
:mod:`tandau.services.demo_voting`, so that the national run's two million ballots take minutes), close, decrypt,
count, publish the bulletin boards, form the list of every list contest, report the districts that cannot select
anyone, create demo accounts, then the accountability modules (:mod:`tandau.services.demo_modules`: party
control, a programme for every council, about 20,000 proposals, deputies with a year of activity, about 50,000
appeals, awards). A practice contest stays open so a demo member can vote in the browser. Everything is
synthetic (docs/scenario.md).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.systems import get_system
from tandau.services import demo_voting
from tandau.services.demo_database import analyze, demo_engine, prepare_target
from tandau.services.demo_modules import ModulesDemo, ModuleSizes, prepare_modules
from tandau.services.primaries import (
    auth,
    ballot_fast,
    ballot_sync,
    contests,
    districts,
    keys,
    nominations,
    publish,
    roll,
    sealing,
    voting,
)
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import StateError
from tandau.services.scenario import generate
from tandau.services.workspace_lists import DEFAULT_RULES, form_contest_list
from tandau.store import Contest, Member, session_factory
from tandau.store.migrate import upgrade
from tandau.store.models import Base

DEFAULT_SYSTEM = "kz-2023"  # the law in force since 2022; kz-2021: the all-list cycle of January 2021
PRACTICE_CYCLE = "practice"
PRACTICE_CONTEST = "PRACTICE"
TURNOUT = 0.842  # 2020 primaries: 662,687 of 788,000 (docs/scenario.md)
MAX_MARKS = 5
LEVELS = {"national": "national", "regional": "regional", "republican_city": "regional", "city": "city",
          "district": "district"}
DEFAULT_SCALE = 0.02  # the roll: 16,000 members, ~10,800 of them candidates for the 224 councils
DEFAULT_VOTERS: int | None = None  # every member votes with probability TURNOUT (~13,400 voters, ~39,000 ballots)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A sign-in printed at the end of the demo."""

    login: str
    password: str
    role: str
    note: str


@dataclass(slots=True)
class DemoReport:
    """What the demo built and how long each step took."""

    database: str
    scenario_dir: Path
    system: str = DEFAULT_SYSTEM
    councils: int = 0
    list_contests: int = 0
    district_contests: int = 0
    published: int = 0
    members: int = 0
    candidates: int = 0
    voters: int = 0
    ballots: int = 0
    lists_formed: int = 0
    lists_infeasible: int = 0
    # district contests that cannot select a nominee (no nominee or no voter): contest id → problems
    districts_unselectable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    # the practice contest's key shares (holder, share text): shown so that the demo's key holders can close
    # and decrypt it on the key holders' page; a real ceremony shows each share to its holder alone
    practice_shares: list[tuple[str, str]] = field(default_factory=list)
    # party control, programmes, proposals, deputies, appeals, awards (tandau.services.demo_modules)
    modules: ModulesDemo | None = None
    replaced: int = 0  # tables of an earlier demo dropped first (--replace)


# the key holders are staff logins (a holder hands in their own share when signed in): the central office, an
# observer and a commission member, each with the key holder role
KEY_HOLDERS = ("central", "observer", "keyholder")


def kato9(code: str) -> str | None:
    """A scenario KATO prefix ("75", "7511") as a 9-digit code; None for the whole country.

    >>> kato9("75"), kato9("751110"), kato9("")
    ('750000000', '751110000', None)
    """
    code = code.strip()
    return code.ljust(9, "0") if code else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


Progress = Callable[[str, int, int], None]


def prepare_demo(db: str | Path, work_dir: Path, *, seed: int = 2020, scale: float = DEFAULT_SCALE,
                 rules: str = DEFAULT_RULES, progress: Progress | None = None,
                 now: datetime | None = None, voters: int | None = DEFAULT_VOTERS,
                 only_region: str | None = None, system: str = DEFAULT_SYSTEM, replace: bool = False,
                 timed: Callable[[str, float], None] | None = None, sizes: ModuleSizes | None = None) -> DemoReport:
    """Build the demo database at ``db`` (an SQLite file or a database URL) from a scenario written to ``work_dir``.

    A database that holds tables is refused (:class:`~tandau.services.demo_database.DemoDatabaseError`) unless
    ``replace``: then the demo's tables are dropped first. ``timed(step, seconds)`` is told each step's time as
    it ends.

    ``system``: ``kz-2023`` (city and district maslikhats in single-member districts, regional and
    republican-city maslikhats and the Majilis mixed) or ``kz-2021`` (every seat from lists, the 2021 layout).
    ``voters``: cap on the members who vote (a sample drawn with the demo's seed; None: every member, each
    voting with probability :data:`TURNOUT`). ``only_region`` (a region id such as ``"10"``) keeps that region's
    councils and the Majilis only, with their members: a quick world for browser tests. ``sizes``: how much the
    accountability modules make (:class:`~tandau.services.demo_modules.ModuleSizes`; default: scaled with the
    roll)."""
    step = progress or (lambda _what, _done, _total: None)
    chosen = get_system(system)
    cycle_id = chosen.id
    clock = time.perf_counter()
    target = prepare_target(db, replace=replace, known_tables=set(Base.metadata.tables))
    report = DemoReport(database=target.name, scenario_dir=work_dir, system=chosen.id, replaced=target.dropped)

    def lap(name: str) -> None:
        nonlocal clock
        report.timings[name] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()
        if timed is not None:
            timed(name, report.timings[name])

    scenario_dir = work_dir / "scenario"
    step("scenario", 0, 1)
    if scenario_dir.exists():  # a scenario of another system must not leave its district files behind
        for stale in scenario_dir.glob("*.csv"):
            stale.unlink()
    generate(scenario_dir, seed=seed, scale=scale, system=chosen.id)
    lap("scenario")
    engine = demo_engine(target)
    upgrade(engine)
    make_session = session_factory(engine)
    central = Actor.central("central")
    moment = now or datetime.now(UTC)
    councils = _read_csv(scenario_dir / "councils.csv")
    cands = _read_csv(scenario_dir / "candidates.csv")
    members = _read_csv(scenario_dir / "members.csv")
    has_districts = (scenario_dir / "districts.csv").exists()
    seats_of = _read_csv(scenario_dir / "districts.csv") if has_districts else []
    dcands = _read_csv(scenario_dir / "district_candidates.csv") if has_districts else []
    assigned = _read_csv(scenario_dir / "member_districts.csv") if has_districts else []
    if only_region is not None:
        councils = [c for c in councils if c["level"] == "national" or c["region_id"] == only_region]
        kept = {c["council_id"] for c in councils}
        cands = [c for c in cands if c["council_id"] in kept]
        seats_of = [d for d in seats_of if d["council"] in kept]
        dcands = [c for c in dcands if c["council_id"] in kept]
        standing = {c["member_id"] for c in cands} | {c["member_id"] for c in dcands}
        members = [m for m in members if m["region_id"] == only_region or m["id"] in standing]
        on = {m["id"] for m in members}
        wanted = {d["district"] for d in seats_of}
        assigned = [a for a in assigned if a["member"] in on and a["district"] in wanted]
    from tandau.io.scenario_files import read_scenario

    scenario = read_scenario(scenario_dir)
    stand_in = _codes_within_regions(scenario.layout)
    if stand_in:  # 2021: councils and members of the units moved to Abai, Jetisu and Ulytau in 2022
        councils = [c | {"kato": stand_in.get(c["kato"], c["kato"])} for c in councils]
        members = [m | {"unit_kato": stand_in.get(m["unit_kato"], m["unit_kato"])} for m in members]
    election = scenario.election_date
    opens = datetime.combine(election - timedelta(days=45), datetime.min.time(), UTC)
    closes = opens + timedelta(days=7)
    during = opens + timedelta(days=2)
    # list contests: councils with list seats (every council under kz-2021; under kz-2023 the regional and
    # republican-city maslikhats' list halves and the Majilis list); the contest id is the council id
    listed = [c for c in councils if int(c["list_length"]) > 0]
    with make_session() as session:
        contests.create_cycle(session, central, cycle_id, "Maslikhat and Majilis elections (synthetic)", election,
                              system=chosen.id)
        for c in listed:
            national = c["level"] == "national"
            contests.create_contest(session, central, contests.ContestSpec(
                id=c["council_id"], cycle_id=cycle_id, name=c["name"], level=LEVELS[c["level"]],
                region=c["region_name"] or "Kazakhstan", rule="approval", seats=int(c["list_length"]),
                opens_at=opens, closes_at=closes, council_id=None if national else c["council_id"],
                kato=None if national else kato9(c["kato"]), max_marks=MAX_MARKS, tie_policy="nomination-order"))
        report.councils = len(councils)
        report.list_contests = len(listed)
        district_contest: dict[str, str] = {}  # district id -> its contest id
        if seats_of:
            district_contest = _district_contests(session, central, chosen.id, cycle_id, councils, seats_of,
                                                  opens, closes)
        report.district_contests = len(district_contest)
        lap("contests")
        step("roll", 0, 1)
        roll_file = _write_csv(work_dir / "roll.csv", ["id", "name", "sex", "birth_date", "territory", "contact"],
                               [[m["id"], m["name"], m["sex"], m["birth_date"], kato9(m["unit_kato"]) or "",
                                 m["contact"]] for m in members])
        # the synthetic members joined the roll before any of the contests opens (the practice contest included),
        # so each votes where they live (a member votes only if on the roll when a contest opens)
        on_roll = min(opens, moment - timedelta(hours=1)) - timedelta(days=1)
        report.members = roll.import_roll(session, central, roll_file, today=moment.date(), now=on_roll).added
        # strong references keep these rows in the session's identity map, so the services' lookups by
        # primary key are answered without a query (the demo's only concession to speed)
        keep: list[object] = [] if target.backend == "postgresql" else [
            *session.scalars(select(Member)), *session.scalars(select(Contest))]
        if assigned:  # each member's district in every council with districts covering their home
            districts.assign_members(session, central, _write_csv(
                work_dir / "member_districts.csv", ["member", "district"],
                [[a["member"], a["district"]] for a in assigned]))
        lap("roll")
        step("nominations", 0, 1)
        nom_file = _write_csv(work_dir / "nominations.csv",
                              ["contest", "member", "nominated_by", "organisation", "tags"],
                              [[contest_id, c["member_id"], c["nominated_by"],
                                f"Primary organisation {int(c['order']) % 7 + 1}" if c["nominated_by"] == "organisation"
                                else "", c["tags"].replace(";", ",")]
                               for contest_id, c in [*((c["council_id"], c) for c in cands),
                                                     *((district_contest[c["district"]], c) for c in dcands)]])
        report.candidates = nominations.import_nominations(session, central, nom_file)
        analyze(session)  # the voters' statements are planned on the loaded roll, not on empty-table estimates
        lap("nominations")
        every_contest = [c["council_id"] for c in listed] + list(district_contest.values())
        # the key ceremony: one election key for every contest of the cycle, 2 of 3 shares rebuild it
        cycle_key = keys.hold_ceremony(session, central, holders=list(KEY_HOLDERS), threshold=2, cycle_id=cycle_id)
        for contest_id in every_contest:
            contests.open_contest(session, central, contest_id)
        session.commit()  # on SQLite every transaction holds the write lock (BEGIN IMMEDIATE)
        # a session of its own, as each request has: a write transaction rolled back in the kept session
        # would expire every row it holds
        ballots_for = _ballot_options(cands, dcands, district_contest)
        mine = _contests_of(members, listed, assigned, district_contest)
        with make_session() as voting_session:
            report.voters, report.ballots = _vote(voting_session, ballots_for, mine, members, seed, during, step,
                                                  voters)
        lap("voting")
        # the kept rows must go before counting: every bulk update (decrypting a contest) would otherwise visit
        # each of them in the session to synchronise it (≈ 7 ms a contest with 20,000 rows held)
        del keep
        session.expunge_all()
        after = closes + timedelta(minutes=1)
        # two of the three key holders hand in their shares; the key lives in this process until every contest
        # of the cycle is decrypted, then it is dropped
        private = sealing.combine([share for _, share in cycle_key.shares[:2]], cycle_key.key.public_key)
        bulletins = work_dir / "bulletins"
        if bulletins.exists():
            for stale in bulletins.glob("*.jsonl"):
                stale.unlink()
        for i, contest_id in enumerate(every_contest):
            contests.close_contest(session, central, contest_id, now=after)
            keys.decrypt_contest(session, central, contest_id, private, now=after)
            publish.publish_contest(session, central, contest_id, bulletins / f"{contest_id}.jsonl")
            report.published += 1
            if i % 50 == 0 or i + 1 == len(every_contest):
                step("count and publish", i + 1, len(every_contest))
        del private, cycle_key
        lap("count and publish")
        seats = {c.council_id: c.seats for c in scenario.councils}
        for i, c in enumerate(listed):
            stored = form_contest_list(session, central, c["council_id"], seats=seats[c["council_id"]], rules=rules)
            report.lists_formed += stored.result["error"] is None
            report.lists_infeasible += stored.result["error"] is not None
            step("lists", i + 1, len(listed))
        report.districts_unselectable = {d.contest_id: d.problems
                                         for d in districts.district_report(session, central, cycle_id) if d.problems}
        lap("lists")
        report.accounts, report.practice_shares = _accounts(session, central, councils, moment)
        lap("accounts")
        report.modules = prepare_modules(session, central, work_dir, seed=seed, members=report.members, now=moment,
                                         step=step, lap=lap, sizes=sizes or ModuleSizes())
    keys.purge_sealed(engine, force=True)  # no sealed box of a decrypted contest stays in the free pages
    with make_session() as session:
        analyze(session, vacuum=True)  # the pages' queries are planned on what the demo wrote
    engine.dispose()
    return report


def _codes_within_regions(layout: str) -> dict[str, str]:
    """Stand-in KATO codes for the units of ``layout`` whose code lies outside their region's.

    The territory data gives the units moved to Abai, Jetisu and Ulytau in 2022 their new codes (10xx, 33xx, 62xx)
    in the 2021 layout too, their earlier codes being unknown (src/tandau/data/kz/README.md). The primaries
    service places members and councils by KATO prefix, so in the 2021 layout such a unit gets an unused code
    inside its 2021 region (``19``: ``1990``, ``1991``, … in code order), used consistently for its council and its
    members: Taldykorgan's maslikhat and its members stay inside Almaty Region's (no such unit in 2023).

    >>> _codes_within_regions("2021")["3310"], _codes_within_regions("2023")
    ('1990', {})
    """
    from tandau.io.territory import load_kz

    territory = load_kz(layout)
    regions = {u.id for u in territory.units if u.kind in ("region", "republican_city")}
    used = {u.id for u in territory.units}
    codes: dict[str, str] = {}
    for u in sorted(territory.units, key=lambda u: u.id):
        if u.parent in regions and not u.id.startswith(u.parent):
            number = 90
            while f"{u.parent}{number}" in used:
                number += 1
            codes[u.id] = f"{u.parent}{number}"
            used.add(codes[u.id])
    return codes


def _district_contests(session: Session, central: Actor, system: str, cycle_id: str,
                       councils: list[dict[str, str]], seats_of: list[dict[str, str]], opens: datetime,
                       closes: datetime) -> dict[str, str]:
    """Register the districts of the system's layout (derived; the Majilis's official), which the scenario's
    districts.csv lists, then one contest per district of every council that has districts; the district id →
    contest id."""
    from tandau.io.territory import kz_districts

    by_council: dict[str, list[str]] = {}
    for d in seats_of:
        by_council.setdefault(d["council"], []).append(d["district"])
    districting = kz_districts(get_system(system).layout)
    for council_id, ids in by_council.items():
        if [d.id for d in districting.council(council_id).districts] != ids:
            raise StateError(f"the scenario's districts of {council_id} are not those of the layout: regenerate it")
    names = {c["council_id"]: (c["name"], c["region_name"] or "Kazakhstan",
                               None if c["level"] == "national" else kato9(c["kato"])) for c in councils}
    districts.register_districts(session, central, districting, sorted(by_council), names=names)
    made: dict[str, str] = {}
    for council_id in (c["council_id"] for c in councils if c["council_id"] in by_council):
        for contest_id in districts.create_district_contests(session, central, cycle_id, council_id, opens_at=opens,
                                                             closes_at=closes).contest_ids:
            made[contest_id.removeprefix(f"{cycle_id}-")] = contest_id
    return made


Options = dict[str, tuple[list[str], np.ndarray, int]]


def _ballot_options(cands: list[dict[str, str]], dcands: list[dict[str, str]],
                    district_contest: dict[str, str]) -> Options:
    """Per contest: the candidates' member ids, the probability of each being marked (by their scenario votes)
    and the most marks a ballot carries (five in a list contest, one in a district)."""
    grouped: dict[str, list[dict[str, str]]] = {}
    for c in cands:
        grouped.setdefault(c["council_id"], []).append(c)
    for c in dcands:
        grouped.setdefault(district_contest[c["district"]], []).append(c)
    options: Options = {}
    for cid, rows in grouped.items():
        weights = np.array([int(r["votes"]) + 1 for r in rows], dtype=float)
        most = 1 if "district" in rows[0] else MAX_MARKS
        options[cid] = ([r["member_id"] for r in rows], weights / weights.sum(), most)
    return options


def _contests_of(members: list[dict[str, str]], listed: list[dict[str, str]], assigned: list[dict[str, str]],
                 district_contest: dict[str, str]) -> dict[str, list[str]]:
    """Every member's contests: the list contests covering their home (their city or district, their region,
    the Majilis) and the contests of the districts they are assigned to."""
    prefixes = {c["kato"]: c["council_id"] for c in listed if c["kato"]}
    national = [c["council_id"] for c in listed if not c["kato"]]
    theirs: dict[str, list[str]] = {}
    for m in members:
        home = m["unit_kato"]
        theirs[m["id"]] = [cid for prefix, cid in prefixes.items() if home.startswith(prefix)] + national
    for a in assigned:
        if a["member"] in theirs:
            theirs[a["member"]].append(district_contest[a["district"]])
    return theirs


def _vote(session: Session, options: Options, contests_of: dict[str, list[str]], members: list[dict[str, str]],
          seed: int, during: datetime, step: Progress, cap: int | None) -> tuple[int, int]:
    """Members (in random order, up to ``cap`` voters) vote with probability TURNOUT in each of their contests,
    through the ballot path of the web server: on PostgreSQL its batch statement
    (:func:`tandau.services.demo_voting.cast_all`), elsewhere its lean statement ballot by ballot."""
    if session.get_bind().dialect.name == "postgresql":
        return _vote_in_batches(session, options, contests_of, members, seed, during, step, cap)
    rng = np.random.default_rng([seed, 6])
    voters = ballots = 0
    cache = ballot_fast.ContestCache(ttl=3600.0)  # the contests stay open and unchanged while the demo votes
    # members are visited in a random order, so a capped sample is spread over the whole territory
    for i, index in enumerate(rng.permutation(len(members))):
        m = members[int(index)]
        if rng.random() >= TURNOUT:
            continue
        if cap is not None and voters >= cap:
            break
        actor = Actor(m["id"], (Grant(Role.MEMBER, kato9(m["unit_kato"])),))
        voters += 1
        for cid in contests_of[m["id"]]:
            ids, p, most = options[cid]
            k = int(rng.integers(1, min(most, len(ids)) + 1))
            picks = rng.choice(len(ids), size=k, replace=False, p=p)
            chosen = [ids[j] for j in picks]
            # the path of POST /api/v1/contests/{id}/ballots on SQLite: the lean guarded write, and the reference
            # path (which gives the precise refusal) only when the lean one did not accept the ballot
            if ballot_sync.cast(session, cache, m["id"], cid, chosen, now=during) is None:
                voting.cast_ballot(session, actor, cid, chosen, now=during)
            ballots += 1
        if i % 200 == 0:
            step("voting", i, len(members))
    return voters, ballots


def _vote_in_batches(session: Session, options: Options, contests_of: dict[str, list[str]],
                     members: list[dict[str, str]], seed: int, during: datetime, step: Progress,
                     cap: int | None) -> tuple[int, int]:
    """The voters of :func:`_vote` on PostgreSQL: every contest's ballots through the API's batch statement."""
    rng = np.random.default_rng([seed, 6])
    chosen = demo_voting.draw_voters(len(members), TURNOUT, cap, rng)
    home = {m["id"]: m["unit_kato"] for m in members}
    ballots: dict[str, list[str]] = {}
    for index in chosen.tolist():
        member = members[index]["id"]
        for cid in contests_of[member]:
            ballots.setdefault(cid, []).append(member)

    def refused(member: str, contest_id: str, selection: list[str]) -> bool:
        # the precise refusal (raised), or the ballot cast by the reference path after all
        actor = Actor(member, (Grant(Role.MEMBER, kato9(home[member])),))
        voting.cast_ballot(session, actor, contest_id, selection, now=during)
        return True

    written = demo_voting.cast_all(demo_voting.conninfo_of(session.get_bind().engine.url), ballots, options,
                                   during, rng, refused, lambda done, total: step("voting", done, total))
    return len(chosen), written


def _accounts(session: Session, central: Actor, councils: list[dict[str, str]],
              moment: datetime) -> tuple[list[DemoAccount], list[tuple[str, str]]]:
    """Staff accounts, a practice contest left open (with its key shares), and three members who have not voted
    in it yet."""
    regional = next(c for c in councils if c["level"] == "regional")
    region_kato = kato9(regional["kato"])
    accounts = [
        DemoAccount("central", "central-demo-2023", "central", "central office: every council"),
        DemoAccount("secretary", "secretary-demo-2023", "secretary", f"branch secretary: {regional['region_name']}"),
        DemoAccount("observer", "observer-demo-2023", "observer", "observer: read-only"),
        DemoAccount("keyholder", "keyholder-demo-2023", "keyholder",
                    "key holder (as are central and observer): hands in a share at /keys to decrypt"),
        DemoAccount("control", "control-demo-2023", "control",
                    f"control commission: {regional['region_name']} (the control board and cases at /control)"),
    ]
    for acc in accounts:
        auth.set_password(session, acc.login, acc.password)
        kato = region_kato if acc.role in ("secretary", "control") else None
        auth.grant_role(session, central, acc.login, Role(acc.role), kato)
        if acc.login in KEY_HOLDERS and acc.role != "keyholder":
            auth.grant_role(session, central, acc.login, Role.KEYHOLDER)
    # a party names its contests in its own languages: Kazakh and Russian, as on its official papers
    practice = "Сынақ дауыс беру: партия съезінің делегаттары / Пробное голосование: делегаты съезда партии"
    contests.create_cycle(session, central, PRACTICE_CYCLE, "Сынақ дауыс беру / Пробное голосование", moment.date())
    contests.create_contest(session, central, contests.ContestSpec(
        id=PRACTICE_CONTEST, cycle_id=PRACTICE_CYCLE, name=practice,
        level="national", region="Kazakhstan", rule="approval", seats=3, max_marks=2,
        opens_at=moment - timedelta(hours=1), closes_at=moment + timedelta(days=30), tie_policy="nomination-order"))
    region_prefix = (region_kato or "")[:2]
    people = list(session.scalars(select(Member).where(Member.kato.startswith(region_prefix)).order_by(Member.id)))
    adults = [m for m in people if m.birth_date.year <= moment.year - 30]
    for m in adults[:5]:
        nominations.register_nomination(session, central, nominations.NominationRequest(PRACTICE_CONTEST, m.id))
    practice_key = keys.hold_ceremony(session, central, holders=list(KEY_HOLDERS), threshold=2,
                                      contest_id=PRACTICE_CONTEST)
    contests.open_contest(session, central, PRACTICE_CONTEST)
    for n, m in enumerate(adults[5:8], start=1):
        password = f"member-demo-{n}"
        auth.set_password(session, m.id, password)
        accounts.append(DemoAccount(m.id, password, "member", f"member: {m.name}; the practice vote is open"))
    return accounts, [(holder, share.text()) for holder, share in practice_key.shares]
