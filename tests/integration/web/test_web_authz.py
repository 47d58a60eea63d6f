"""Authorization matrix: every API and secretary endpoint × every role × two territories.

The expectations are written out here from the policy in docs/primaries.md, independently of
``access.POLICY``: central office everywhere; a secretary on their territory (never the national list);
an observer reads turnout; a member votes in their own contests; anonymous users reach public data only.
Each request is chosen so that an *allowed* call fails later for a domain reason (or succeeds harmlessly),
and a *denied* one fails with ``forbidden`` / ``not_signed_in``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI

from tandau.web.app import route_table

from .conftest import WebClient

SUBJECTS = ("anonymous", "m1", "sec-almaty", "sec-region", "observer", "central")
# the city (sec-almaty's, not sec-region's) and the national list (no secretary's); region B -> A is covered
CONTESTS = {"almaty-city": "sec-almaty", "national": None}
DENIED = {"forbidden", "not_signed_in"}

# (method, path template, json body, who may) where who may is a function (subject, contest) -> bool
MANAGE = lambda who, c: who == "central" or who == CONTESTS[c]  # noqa: E731
TURNOUT = lambda who, c: MANAGE(who, c) or who == "observer"  # noqa: E731
SIGNED_IN = lambda who, c: who != "anonymous"  # noqa: E731
PUBLIC = lambda who, c: True  # noqa: E731
CENTRAL_ONLY = lambda who, c: who == "central"  # noqa: E731
VOTER = lambda who, c: who == "m1"  # noqa: E731 — m1 is the only subject on the roll
# the contests are open, so their nominations are frozen: only the central office withdraws or disqualifies
FROZEN = lambda who, c: who == "central"  # noqa: E731

IMPORTERS = lambda who, c: who in ("central", "sec-almaty", "sec-region")  # noqa: E731 — rows: each in its territory
# a share is handed in by a key holder (a role of its own), which none of the subjects holds: the central office
# makes the key and may decrypt, but does not hand in shares
KEY_HOLDER = lambda who, c: False  # noqa: E731


@dataclass
class Upload:
    """A multipart body: ``file`` plus form ``fields`` (``{c}`` is the contest); CSRF as form field or header."""

    content: bytes
    fields: dict[str, str] = field(default_factory=dict)

    def send(self, client: WebClient, path: str, contest: str, *, api: bool) -> Any:
        data = {k: v.format(c=contest) for k, v in self.fields.items()}
        files = {"file": ("upload.csv", self.content, "text/csv")}
        if api:
            return client.api("POST", path, data=data, files=files)
        return client.form(path, data, files=files, follow_redirects=False)


ROLL_FILE = Upload(b"id,name,sex,birth_date,territory,contact\nm1,Aigerim,F,1990-05-01,751110000,\n")
NOMINATION_FILE = b"member,nominated_by\nm7,self\n"  # contests are open: refused for a domain reason

API = [
    ("GET", "/api/v1/session", None, PUBLIC),
    ("GET", "/api/v1/contests", None, PUBLIC),
    ("GET", "/api/v1/contests/{c}", None, PUBLIC),
    ("GET", "/api/v1/contests/{c}/results", None, PUBLIC),  # not published yet: 404 for all
    ("GET", "/api/v1/contests/{c}/bulletin", None, PUBLIC),  # 409 for all
    ("GET", "/api/v1/verify?contest={c}&tracker=0000-0000-0000-0000", None, PUBLIC),
    ("POST", "/api/v1/session", {"member_id": "nobody", "secret": "wrong wrong"}, PUBLIC),  # 401 auth failed
    ("POST", "/api/v1/session/code", {"member_id": "nobody"}, PUBLIC),
    ("DELETE", "/api/v1/session", None, PUBLIC),
    ("POST", "/api/v1/session/password", {"current_password": "wrong wrong", "new_password": "x"}, SIGNED_IN),
    ("POST", "/api/v1/access/{m}/revoke-sessions", {"reason": "lost phone"}, CENTRAL_ONLY),
    ("GET", "/api/v1/me/contests", None, SIGNED_IN),
    ("POST", "/api/v1/contests/{c}/ballots", {"selection": ["nobody"]}, VOTER),
    ("GET", "/api/v1/contests/{c}/nominations", None, MANAGE),
    ("POST", "/api/v1/contests/{c}/nominations", {"member_id": "m7"}, MANAGE),
    ("POST", "/api/v1/contests/{c}/nominations/{m}/withdraw", {"reason": " "}, FROZEN),
    ("POST", "/api/v1/contests/{c}/nominations/{m}/disqualify", {"reason": " "}, FROZEN),
    ("POST", "/api/v1/contests/{c}/open", None, MANAGE),
    ("POST", "/api/v1/contests/{c}/extend", {"closes_at": "2020-01-01T00:00:00Z", "reason": "r"}, MANAGE),
    ("POST", "/api/v1/contests/{c}/close", {"early": False}, MANAGE),
    ("POST", "/api/v1/contests/{c}/publish", {}, MANAGE),
    ("GET", "/api/v1/contests/{c}/turnout", None, TURNOUT),
    ("POST", "/api/v1/roll/import?dry_run=true", ROLL_FILE, IMPORTERS),
    ("POST", "/api/v1/contests/{c}/nominations/import?dry_run=true", Upload(NOMINATION_FILE), MANAGE),
    ("GET", "/api/v1/keys", None, CENTRAL_ONLY),
    # the cycle has its key already: the central office gets 409
    ("POST", "/api/v1/keys/ceremony", {"holders": ["a", "b"], "threshold": 2, "cycle_id": "2026"}, CENTRAL_ONLY),
    ("POST", "/api/v1/keys/{k}/shares", {"share": "not a share"}, KEY_HOLDER),
]
ADMIN = [
    ("GET", "/admin", None, lambda who, c: who in ("sec-almaty", "sec-region", "observer", "central")),
    ("GET", "/admin/contests/{c}", None, TURNOUT),
    ("GET", "/admin/contests/{c}/turnout", None, TURNOUT),
    ("POST", "/admin/contests/{c}/nominations", {"member_id": "m7"}, MANAGE),
    ("POST", "/admin/contests/{c}/nominations/{m}/{what}", {"reason": " "}, FROZEN),
    ("POST", "/admin/contests/{c}/open", None, MANAGE),
    ("POST", "/admin/contests/{c}/extend", {"closes_at": "2020-01-01T00:00", "reason": "r"}, MANAGE),
    ("POST", "/admin/contests/{c}/close", None, MANAGE),
    ("POST", "/admin/contests/{c}/publish", None, MANAGE),
    ("POST", "/admin/contests/{c}/exclude", {"candidate": "m2", "reason": " "}, CENTRAL_ONLY),  # open: 409
    ("GET", "/admin/access", None, CENTRAL_ONLY),
    ("POST", "/admin/access/revoke", {"subject": "nobody-here", "reason": "lost phone"}, CENTRAL_ONLY),
    ("GET", "/admin/imports", None, IMPORTERS),
    ("POST", "/admin/imports/roll", Upload(ROLL_FILE.content, {"action": "check"}), IMPORTERS),
    ("POST", "/admin/imports/nominations", Upload(NOMINATION_FILE, {"contest": "{c}", "action": "check"}), MANAGE),
]


def _key(method: str, path: str) -> tuple[str, str]:
    return method, re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


def test_the_matrix_covers_every_endpoint(app: FastAPI) -> None:
    routes = {
        _key(m, p) for m, p in route_table(app)
        if (p.startswith("/admin") or p.startswith("/api/v1/")) and not p.startswith("/api/v1/staff")
        and p not in ("/api/v1/openapi.json", "/api/v1/docs")
    }
    covered = {_key(m, p) for m, p, _, _ in API + ADMIN}
    assert routes == covered


def test_authorization_matrix(client: WebClient, frozen_time: datetime) -> None:
    failures = []
    for subject in SUBJECTS:
        for contest in CONTESTS:
            for method, template, body, may in API:
                client.login(None if subject == "anonymous" else subject)  # DELETE /session signs out
                path = template.format(c=contest, m="m2", k="no-such-key", council="ms-75", region="750000000")
                if isinstance(body, Upload):
                    r = body.send(client, path, contest, api=True)
                else:
                    r = client.api(method, path, json=body) if body is not None else client.api(method, path)
                code = r.json()["error"]["code"] if r.status_code >= 400 and r.content else None
                denied = code in DENIED
                if denied == may(subject, contest):
                    failures.append((subject, method, path, r.status_code, code))
            for method, template, body, may in ADMIN:
                client.login(None if subject == "anonymous" else subject)
                path = template.format(c=contest, m="m2", what="disqualify")
                if isinstance(body, Upload):
                    r = body.send(client, path, contest, api=False)
                else:
                    r = client.form(path, body, follow_redirects=False) if method == "POST" else client.get(
                        path, follow_redirects=False)
                denied = (r.status_code == 303 and r.headers["location"].startswith("/signin")) or (
                    r.status_code == 403 and 'data-error-code="forbidden"' in r.text)
                if denied == may(subject, contest):
                    failures.append((subject, method, path, r.status_code, None))
    assert not failures, failures


def test_secretary_of_region_a_cannot_touch_region_b(client: WebClient, frozen_time: datetime) -> None:
    client.login("sec-region")
    for method, path, body in (
        ("GET", "/api/v1/contests/almaty-city/turnout", None),
        ("GET", "/api/v1/contests/almaty-city/nominations", None),
        ("POST", "/api/v1/contests/almaty-city/nominations/m1/disqualify", {"reason": "rival"}),
        ("POST", "/api/v1/contests/almaty-city/extend", {"closes_at": "2027-01-01T00:00:00Z", "reason": "x"}),
        ("POST", "/api/v1/contests/almaty-city/nominations/import", Upload(NOMINATION_FILE)),
    ):
        r = body.send(client, path, "", api=True) if isinstance(body, Upload) else client.api(method, path, json=body)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", path
    page = Upload(NOMINATION_FILE, {"contest": "almaty-city", "action": "import"})
    r = page.send(client, "/admin/imports/nominations", "", api=False)
    assert r.status_code == 403 and 'data-error-code="forbidden"' in r.text
    # the roll: every row of region A is refused (the endpoint is theirs, the members are not), nothing written
    r = ROLL_FILE.send(client, "/api/v1/roll/import", "", api=True)
    assert r.status_code == 400 and r.json()["error"]["code"] == "import_rejected"
    assert {(d["row"], d["column"]) for d in r.json()["error"]["details"]} == {(2, "id"), (2, "territory")}
    client.login("sec-almaty")
    assert client.get("/api/v1/contests/almaty-city/nominations").json()[0]["status"] == "registered"


# staff workspace API (no list formed here: an allowed call ends in 409 conflict); reading is scoped like turnout
STAFF = lambda who, c: who in ("sec-almaty", "sec-region", "observer", "central")  # noqa: E731
API += [
    ("GET", "/api/v1/workspace/councils", None, STAFF),
    ("GET", "/api/v1/workspace/councils/{c}/list", None, TURNOUT),
    ("POST", "/api/v1/workspace/councils/{c}/list", {"op": "reset"}, MANAGE),
    ("POST", "/api/v1/workspace/councils/{c}/seats", {"draws": 100}, TURNOUT),
    ("GET", "/api/v1/workspace/councils/{c}/export?format=csv", None, TURNOUT),
]
# single-member nominees of a council (ms-75: Almaty city, sec-almaty's; no districts here, so an allowed call ends
# in 409 conflict); the same for either contest of the loop
NOMINEES_READ = lambda who, c: who in ("sec-almaty", "observer", "central")  # noqa: E731
NOMINEES_EDIT = lambda who, c: who in ("sec-almaty", "central")  # noqa: E731
API += [
    ("GET", "/api/v1/workspace/nominees", None, STAFF),
    ("GET", "/api/v1/workspace/nominees/{council}", None, NOMINEES_READ),
    ("POST", "/api/v1/workspace/nominees/{council}", {"op": "reset"}, NOMINEES_EDIT),
    ("GET", "/api/v1/workspace/nominees/{council}/chances", None, NOMINEES_READ),
]

# control cases (issue 12): a case with each contest's id in its territory (almaty-city: Almaty city, sec-almaty's;
# national: the whole country, the central office's). An allowed call ends in a domain refusal: an empty title
# (400), a step the open case does not allow (409), a file that is not text (400), an unknown file (404)
CASES_OPEN = lambda who, c: who in ("central", "sec-almaty")  # noqa: E731 — the body opens a case in Almaty city
API += [
    ("GET", "/api/v1/control/cases", None, STAFF),
    ("POST", "/api/v1/control/cases", {"title": " ", "kato": "750000000", "source": "signal"}, CASES_OPEN),
    ("GET", "/api/v1/control/cases/{c}", None, TURNOUT),
    ("POST", "/api/v1/control/cases/{c}/steps", {"step": "close"}, MANAGE),
    ("POST", "/api/v1/control/cases/{c}/files", Upload(b"\x00\x01\x02"), MANAGE),
    ("GET", "/api/v1/control/cases/{c}/files/{m}", None, TURNOUT),
]


@pytest.fixture(autouse=True)
def control_cases(app: FastAPI) -> None:
    from tandau.store.control_models import ControlCase

    moment = datetime(2026, 3, 1, tzinfo=UTC)
    with app.state.sessions() as s:
        for case_id, kato in CONTESTS.items():
            s.add(ControlCase(id=case_id, title="t", description="", kato="750000000" if kato else None,
                              source="signal", owner_kind="commission", owner="KZ", status="open", opened_at=moment,
                              opened_by="central", updated_at=moment))
        s.commit()


# the control board (issue 12): who reads cases reads the board, each in their territory; no data is stored here,
# so a region's page ends in 404 for whoever may see it (Almaty city: sec-almaty's, not sec-region's)
CITY_BOARD = lambda who, c: who in ("sec-almaty", "observer", "central")  # noqa: E731
API += [
    ("GET", "/api/v1/control/board", None, STAFF),
    ("GET", "/api/v1/control/regions/{region}", None, CITY_BOARD),
    # control data (CONTROL_IMPORT: the central office, refused before a file is read); the body's ``file`` is no
    # control file, so an allowed call ends in 400 "nothing to import" and queues nothing
    ("POST", "/api/v1/control/import", Upload(b"x"), CENTRAL_ONLY),
]


# election programmes (issue 13): a draft programme with each contest's id in its territory (almaty-city: Almaty
# city, sec-almaty's; national: the whole country, the central office's). An allowed call ends in a domain refusal:
# an empty cycle (400), a stale base version (409), a step the draft does not allow (409), an empty comment (400),
# a draft's commitment as a control target (409); the open data is everyone's (a draft is 404 for all)
PROGRAMME_EDIT = lambda who, c: who in ("central", "sec-almaty")  # noqa: E731 — the body names Almaty city's council
API += [
    ("GET", "/api/v1/programmes", None, SIGNED_IN),
    ("POST", "/api/v1/programmes", {"cycle": "", "council": "M-75"}, PROGRAMME_EDIT),
    ("GET", "/api/v1/programmes/published?cycle=2026", None, PUBLIC),
    ("GET", "/api/v1/programmes/published/{c}", None, PUBLIC),
    ("GET", "/api/v1/programmes/{c}", None, TURNOUT),
    ("PUT", "/api/v1/programmes/{c}/commitments", {"commitments": [], "base_version": 99}, MANAGE),
    ("POST", "/api/v1/programmes/{c}/steps", {"step": "approve"}, CENTRAL_ONLY),
    ("POST", "/api/v1/programmes/{c}/comments", {"body": " "}, MANAGE),
    ("GET", "/api/v1/programmes/{c}/diff?before=1&after=1", None, TURNOUT),
    ("POST", "/api/v1/programmes/{c}/commitments/{m}/control-target", None, CENTRAL_ONLY),
    # naming a commitment's responsible deputies: who edits the programme (in any status; none named: unchanged)
    ("PUT", "/api/v1/programmes/{c}/commitments/{m}/deputies", {"deputies": []}, MANAGE),
    # drafting from the development programme: who edits the programme (the draft's cycle has no election date:
    # 409; the national programme has no territory's development programme: 400)
    ("GET", "/api/v1/programmes/{c}/draft", None, MANAGE),
    # development programmes: read as draft programmes are (Almaty city: sec-almaty's; an empty list); imported
    # by the central office and the territory's secretary (a plan value without its series' baseline: 400)
    ("GET", "/api/v1/development/{region}", None, CITY_BOARD),
    ("POST", "/api/v1/development/imports", Upload(b"territory,programme,indicator,unit,year,value,kind\n"
                                                   b"750000000,DP-75,roads_good,%,2027,80,plan\n"), PROGRAMME_EDIT),
]


@pytest.fixture(autouse=True)
def programmes(app: FastAPI) -> None:
    from tandau.store.programme_models import ProgrammeRow, ProgrammeVersion

    moment = datetime(2026, 3, 1, tzinfo=UTC)
    with app.state.sessions() as s:
        for programme_id, kato in CONTESTS.items():
            s.add(ProgrammeRow(id=programme_id, cycle_id="2026", kind="council", owner=programme_id,
                               kato="750000000" if kato else "KZ", title_kk="t", title_ru="t", status="draft",
                               version=1, created_at=moment, created_by="central", updated_at=moment,
                               updated_by="central"))
            s.add(ProgrammeVersion(programme_id=programme_id, number=1, commitments="[]", findings="[]", errors=0,
                                   notices=0, note="", author="central", created_at=moment))
        s.commit()


# citizens' proposals (issue 13): a proposal with each contest's id (almaty-city: in Almaty city, sec-almaty's;
# national: in Astana, no secretary's). An allowed call ends in a domain refusal: a text too short (400), a
# restore of a proposal that is not hidden (409), a not-taken without a reason (400), a file without the columns
# (400), an unknown receipt (404). Moderation is the moderators' and the central office's (no moderator here).
API += [
    ("POST", "/api/v1/proposals", {"text": "short", "territory": "751210000", "age_group": "18_28"}, PUBLIC),
    ("GET", "/api/v1/proposals/receipt/{m}", None, PUBLIC),
    ("GET", "/api/v1/proposals", None, STAFF),
    ("GET", "/api/v1/proposals/dashboard", None, STAFF),
    ("POST", "/api/v1/proposals/{c}/moderation", {"op": "restore"}, CENTRAL_ONLY),
    ("POST", "/api/v1/proposals/{c}/links", {"status": "not_taken", "reason": " "}, MANAGE),
    ("POST", "/api/v1/proposals/import", Upload(b"id,text\n1,x\n", {"dry_run": "true"}), IMPORTERS),
]


@pytest.fixture(autouse=True)
def proposals(app: FastAPI) -> None:
    from tandau.store.proposals_models import Proposal

    moment = datetime(2026, 3, 1, tzinfo=UTC)
    with app.state.sessions() as s:
        for proposal_id, kato in (("almaty-city", "751210000"), ("national", "710000000")):
            s.add(Proposal(id=proposal_id, text="Отремонтируйте дорогу", kato=kato, age_group="18_28", channel="web",
                           lang="ru", theme_by_person=False, status="new", synthetic=False, submitted_at=moment,
                           updated_at=moment))
        s.commit()


# deputies (issue 14): a council and a deputy with each contest's id (almaty-city: Almaty city, sec-almaty's;
# national: the Majilis, the central office's), an akim likewise (national: in Astana). An allowed call ends in a
# domain refusal: an unknown council (400), an empty reason (400), a district the council lacks (400), a day before
# the appointment (400), a file whose rows name no deputy (400), an empty name (400); whoever may manage deputies
# nowhere is refused before anything is read
DEPUTY_MANAGERS = lambda who, c: who in ("central", "sec-almaty", "sec-region")  # noqa: E731
AKIM_ADD = lambda who, c: who in ("central", "sec-almaty")  # noqa: E731 — the body names a place in Almaty city
API += [
    ("GET", "/api/v1/deputies", None, STAFF),
    ("GET", "/api/v1/deputies/akims", None, STAFF),
    ("POST", "/api/v1/deputies/akims", {"kato": "751110000", "name": " ", "appointed_at": "2022-01-01"}, AKIM_ADD),
    ("POST", "/api/v1/deputies/akims/{c}/end", {"left_at": "2000-01-01"}, MANAGE),
    ("POST", "/api/v1/deputies/activity/import", Upload(b"deputy,kind,date\nnobody,session,2024-01-01\n"),
     DEPUTY_MANAGERS),
    ("GET", "/api/v1/deputies/councils/{c}", None, TURNOUT),
    ("POST", "/api/v1/deputies/councils/{council}/results",
     Upload(b"kind\nlist\n", {"party": "P", "election_day": "2023-03-19"}), DEPUTY_MANAGERS),
    ("POST", "/api/v1/deputies/councils/{c}/by-elections",
     {"district": "nowhere", "winner": "W", "day": "2024-01-01"}, MANAGE),
    ("GET", "/api/v1/deputies/{c}", None, TURNOUT),
    ("POST", "/api/v1/deputies/{c}/vacancy", {"reason": " ", "on": "2024-01-01"}, MANAGE),
]


@pytest.fixture(autouse=True)
def deputies(app: FastAPI) -> None:
    from datetime import date

    from tandau.store.deputies_models import Akim, DeputyCouncil, DeputyRow

    moment = datetime(2026, 3, 1, tzinfo=UTC)
    day, end = date(2023, 3, 19), date(2028, 3, 18)
    with app.state.sessions() as s:
        for ident, kato in CONTESTS.items():
            council_kato = "750000000" if kato else None
            s.add(DeputyCouncil(council_id=ident, kato=council_kato, name="c", system="kz-2023", party="P",
                                election_day=day, term_end=end, seats=2, list_seats=1, party_list_seats=1,
                                mandate_rule="kz-law-2022", votes="[]", other_valid_votes=0, party_list="[]",
                                list_source="none", imported_at=moment, imported_by="central"))
            s.flush()
            s.add(DeputyRow(id=ident, council_id=ident, kato=council_kato, person_id="", name="d", sex=None,
                            birth_date=None, mandate="district", district_id="D1", position=None, term_start=day,
                            term_end=end, status="active", created_at=moment))
            s.add(Akim(id=ident, kato="750000000" if kato else "710000000", person_id="", name="a",
                       appointed_at=day, left_at=None, created_at=moment, created_by="central"))
        s.commit()


# public reception appeals (issue 14): an appeal with each contest's id (almaty-city: in Almaty city, sec-almaty's;
# national: in Astana, no secretary's). An allowed call ends in a domain refusal: a text too short (400), an unknown
# receipt (404), a file without the columns (400), closing an appeal not answered (409). No handler or deputy
# here: their "self" scope (the appeal's own handler) is tested in tests/integration/appeals.
API += [
    ("POST", "/api/v1/appeals", {"text": "short", "territory": "751210000"}, PUBLIC),
    ("GET", "/api/v1/appeals/receipt/{m}", None, PUBLIC),
    ("POST", "/api/v1/appeals/receipt/{m}/satisfaction", {"satisfaction": 5}, PUBLIC),
    ("GET", "/api/v1/appeals", None, STAFF),
    ("GET", "/api/v1/appeals/dashboard", None, STAFF),
    ("GET", "/api/v1/appeals/reminders", None, STAFF),
    ("GET", "/api/v1/appeals/export", None, IMPORTERS),
    ("POST", "/api/v1/appeals/import", Upload(b"id,text\n1,x\n", {"dry_run": "true"}), IMPORTERS),
    ("GET", "/api/v1/appeals/{c}", None, TURNOUT),
    ("POST", "/api/v1/appeals/{c}/steps", {"step": "close"}, MANAGE),
]


@pytest.fixture(autouse=True)
def appeals(app: FastAPI) -> None:
    from datetime import date

    from tandau.store.appeals_models import Appeal

    moment = datetime(2026, 3, 1, tzinfo=UTC)
    with app.state.sessions() as s:
        for appeal_id, kato in (("almaty-city", "751210000"), ("national", "710000000")):
            s.add(Appeal(id=appeal_id, channel="office", received_at=moment, received_on=date(2026, 3, 1), kato=kato,
                         lang="ru", text="Отремонтируйте дорогу", status="received", due_on=date(2026, 3, 20),
                         escalated=False, synthetic=False, updated_at=moment))
        s.commit()


# the congress report (issue 14, item 6): the national report to the central office and observers; a region's
# annex also to that region's secretary (sec-almaty: 75, not sec-region)
REPORT_NATIONAL = lambda who, c: who in ("observer", "central")  # noqa: E731
REPORT_ALMATY = lambda who, c: who in ("sec-almaty", "observer", "central")  # noqa: E731
API += [
    ("GET", "/api/v1/report/congress", None, REPORT_NATIONAL),
    ("GET", "/api/v1/report/congress?region=75", None, REPORT_ALMATY),
]


# scorecards and awards (issue 14, items 4 and 5): scorecards read by the staff (each their territory's); a
# nomination with each contest's id (almaty-city: Almaty city's branch, sec-almaty's; national: Astana's, no
# secretary's). An allowed call ends in a domain refusal: an activity too short (400), a rejection without a reason
# (400), a certificate before approval (409); whoever may nominate or review nowhere is refused before reading
API += [
    ("GET", "/api/v1/scorecards", None, STAFF),
    ("GET", "/api/v1/awards", None, IMPORTERS),
    ("POST", "/api/v1/awards", {"member_id": "m9", "award": "letter-of-thanks", "branch_kato": "751110000",
                                "activity": "short"}, AKIM_ADD),
    ("POST", "/api/v1/awards/{c}/review", {"decision": "rejected"}, CENTRAL_ONLY),
    ("GET", "/api/v1/awards/{c}/certificate", None, MANAGE),
]


# background jobs (issue 15, item 2): the staff see jobs (each secretary their territory's), the central office
# and secretaries cancel; submitting is authorised by the kind's own action (decrypting: the central office, whose
# call then fails for want of the key shares in memory: 400). No job exists: an allowed read or cancel is a 404
JOB_READERS = lambda who, c: who in ("sec-almaty", "sec-region", "observer", "central")  # noqa: E731
API += [
    ("GET", "/api/v1/jobs", None, JOB_READERS),
    ("POST", "/api/v1/jobs", {"kind": "contest.close-decrypt", "arguments": {"contest_id": "national"}},
     CENTRAL_ONLY),
    ("GET", "/api/v1/jobs/{c}", None, JOB_READERS),
    ("POST", "/api/v1/jobs/{c}/cancel", None, IMPORTERS),
]


@pytest.fixture(autouse=True)
def awards(app: FastAPI) -> None:
    from tandau.store.awards_models import AwardNomination

    moment = datetime(2026, 3, 1, tzinfo=UTC)
    with app.state.sessions() as s:
        for ident, kato in (("almaty-city", "750000000"), ("national", "710000000")):
            s.add(AwardNomination(id=ident, member_id="m1", member_name="Aigerim", award="letter-of-thanks",
                                  branch_kato=kato, activity="Organised receptions", links="[]", status="nominated",
                                  nominated_by="central", nominated_at=moment, synthetic=False))
        s.commit()
