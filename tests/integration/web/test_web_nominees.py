"""Single-member nominees in the staff workspace (issue 11, item 5): the service on published district primaries,
the JSON API, the pages, authorisation, translations and the CLI.

The world: Almaty city council (ms-75) with three districts, as ``district_world`` of tests/integration/primaries;
D01: Aigerim (m1, woman, 35) and Bolat (m2, man); D02: Erlan (m4, man, 22) and Saule (m7, woman, 22); D03: no
candidate, its contest left open. Bolat and Erlan win, so the nominees hold no woman and ``nur-otan-2019``
needs one (30% of 2): the later district gives way (criterion 3), Saule is nominated in D02.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from tandau.errors import InputError
from tandau.services import council_nominees as cn
from tandau.services import district_chances as dc
from tandau.services.primaries import audit, contests, districts, nominations, publish, voting
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.store.models import Publication
from tandau.web.nominee_reasons import MESSAGES, nominee_explainer
from tests.integration.primaries.conftest import CENTRAL, CLOSES, DURING, OPENS, World
from tests.integration.primaries.test_primaries_districts import COUNCIL, SECRETARY, _csv, _districting

from .conftest import WebClient, make_app

D1, D2, D3 = (f"{COUNCIL}-D0{n}" for n in (1, 2, 3))


def nominee_world(world: World) -> list[str]:
    """``district_world`` with m7 standing in D02 too; votes cast, D01 and D02 closed, decrypted and published."""
    with world.session() as s:
        districts.register_districts(s, CENTRAL, _districting(), names={})
        districts.assign_members(s, CENTRAL, _csv(world.tmp, "d.csv", f"member,district\nm1,{D1}\nm2,{D1}\n"
                                                  f"m4,{D2}\nm7,{D2}\n"))
        made = districts.create_district_contests(s, CENTRAL, "2026", COUNCIL, opens_at=OPENS, closes_at=CLOSES)
        c1, c2, c3 = made.contest_ids
        for contest, member in ((c1, "m1"), (c1, "m2"), (c2, "m4"), (c2, "m7")):
            nominations.register_nomination(s, CENTRAL, nominations.NominationRequest(contest, member))
        for contest in made.contest_ids:
            contests.open_contest(s, CENTRAL, contest)
        for member, contest, choice in (("m1", c1, "m2"), ("m2", c1, "m2"), ("m4", c2, "m4")):
            voting.cast_ballot(s, actor_for(s, member), contest, [choice], now=DURING)
    for contest in (c1, c2):
        world.close(contest)
        with world.session() as s:
            publish.publish_contest(s, CENTRAL, contest, world.tmp / "bulletins" / f"{contest}.jsonl")
    return [c1, c2, c3]


@pytest.fixture
def nworld(web_world: World) -> World:
    nominee_world(web_world)
    return web_world


@pytest.fixture
def client(nworld: World, tmp_path: Path) -> Iterator[WebClient]:
    app: FastAPI = make_app(nworld.db, tmp_path)
    with WebClient(app, follow_redirects=False) as c:
        yield c
    app.state.engine.dispose()


# ---- service ------------------------------------------------------------------------------------------------


def test_the_council_selects_under_the_rules_and_reports_the_district_without_a_result(nworld: World) -> None:
    with nworld.session() as s:
        view = cn.council_nominees(s, CENTRAL, None, COUNCIL)
        ranking = json.loads(s.get(Publication, f"2026-{D1}").result_json)["ranking"]
    assert view.cycle.id == "2026" and ranking[0] == "m2"
    rows = {d.primary.district_id: d for d in view.districts}
    assert [d.primary.district_id for d in view.districts] == [D1, D2, D3]
    assert [(p.id, p.votes, p.rank) for p in rows[D1].primary.ranking] == [("m2", 2, 1), ("m1", 0, 2)]
    assert rows[D1].nominee is not None and rows[D1].nominee.id == "m2" and not rows[D1].departure
    assert rows[D2].nominee is not None and rows[D2].nominee.id == "m7" and rows[D2].departure
    assert rows[D2].why is not None and rows[D2].why["code"] == "nominee_for_rules"
    assert rows[D2].reason is not None and rows[D2].reason.startswith("district 2: Saule, 2nd with 0%")
    assert rows[D3].nominee is None and rows[D3].primary.problem == "not_published"
    assert (view.missing, view.departures, view.women, view.youth) == (1, 1, 1, 1)
    assert view.result is not None and view.result.ok and view.refusal is None


def test_pins_exclusions_reset_are_stored_audited_and_refused_when_infeasible(nworld: World) -> None:
    with nworld.session() as s:
        view = cn.change(s, CENTRAL, "2026", COUNCIL, "pin", district=D1, candidate="m1")
        assert [d.nominee.id for d in view.districts if d.nominee] == ["m1", "m4"]
        assert view.districts[0].why is not None and view.districts[0].why["code"] == "nominee_pinned"
        view = cn.change(s, CENTRAL, "2026", COUNCIL, "exclude", candidate="m1")  # drops the pin: D02 gives way
        assert [d.nominee.id for d in view.districts if d.nominee] == ["m2", "m7"]
        with pytest.raises(cn.NomineeChangeRefusedError) as refused:
            cn.change(s, CENTRAL, "2026", COUNCIL, "exclude", candidate="m7")  # no woman left anywhere
        s.rollback()
        assert refused.value.refusal.summary.code == "nominees_refused"
        assert cn.load_choices(s, "2026", COUNCIL).exclude == ("m1",)
        view = cn.change(s, CENTRAL, "2026", COUNCIL, "reset")
        assert view.choices.pins == () and view.choices.exclude == ()
        actions = [e.action for e in audit.entries(s) if e.action.startswith("nominees.")]
    assert actions == ["nominees.change", "nominees.change", "nominees.reset"]


def test_a_secretary_of_another_territory_may_neither_read_nor_change(nworld: World) -> None:
    from tandau.services.primaries.access import Actor, Grant, Role

    other = Actor("sec-19", (Grant(Role.SECRETARY, "190000000"),))
    with nworld.session() as s:
        assert cn.council_nominees(s, SECRETARY, None, COUNCIL).editable
        with pytest.raises(PermissionDeniedError):
            cn.council_nominees(s, other, None, COUNCIL)
        with pytest.raises(PermissionDeniedError):
            cn.change(s, other, None, COUNCIL, "reset")
        assert cn.overview(s, other).councils == ()
        total = cn.overview(s, CENTRAL).total
    assert (total.councils, total.districts, total.nominated, total.missing, total.women) == (1, 3, 2, 1, 1)


# ---- explanations ----------------------------------------------------------------------------------------------


def test_every_nominee_code_has_a_message_and_english_rebuilds_the_core_text(nworld: World) -> None:
    from tandau.core.nominees import CODES

    assert set(MESSAGES) == set(CODES)
    with nworld.session() as s:
        view = cn.council_nominees(s, CENTRAL, None, COUNCIL)
        refusal = None
        cn.change(s, CENTRAL, None, COUNCIL, "exclude", candidate="m1")
        try:
            cn.change(s, CENTRAL, None, COUNCIL, "exclude", candidate="m7")
        except cn.NomineeChangeRefusedError as exc:
            refusal = exc.refusal
        s.rollback()
    why, text = view.districts[1].why, view.districts[1].reason
    assert nominee_explainer("en")(why) == text
    assert refusal is not None
    en = nominee_explainer("en")
    assert en.refusal(refusal) == (refusal.summary.text, [r.text for r in refusal.reasons])
    for lang in ("kk", "ru"):
        say = nominee_explainer(lang)
        for told in (say(why), *say.refusal(refusal)[1], say.refusal(refusal)[0]):
            assert told and not re.search(r"\b(district|nominated|instead|winner|women|relaxation|needs)\b", told), \
                (lang, told)
        assert say.known(why)


# ---- API ---------------------------------------------------------------------------------------------------------


def test_api_council_change_and_overview(client: WebClient) -> None:
    client.login("sec-almaty")
    got = client.get(f"/api/v1/workspace/nominees/{COUNCIL}")
    assert got.status_code == 200, got.text
    body = got.json()
    assert [d["nominee"]["id"] if d["nominee"] else None for d in body["districts"]] == ["m2", "m7", None]
    assert body["districts"][2]["problem"] == "not_published" and body["editable"] is True
    pinned = client.api("POST", f"/api/v1/workspace/nominees/{COUNCIL}",
                        json={"op": "pin", "district": D1, "candidate": "m1"})
    assert pinned.status_code == 200 and pinned.json()["pins"] == [{"district": D1, "candidate": "m1"}]
    refused = client.api("POST", f"/api/v1/workspace/nominees/{COUNCIL}", json={"op": "exclude", "candidate": "m1"})
    assert refused.status_code == 200  # D02 gives way again
    conflict = client.api("POST", f"/api/v1/workspace/nominees/{COUNCIL}", json={"op": "exclude", "candidate": "m7"})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"
    bad = client.api("POST", f"/api/v1/workspace/nominees/{COUNCIL}", json={"op": "pin", "district": D1,
                                                                             "candidate": "m4"})
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["loc"] == ["candidate"]
    assert client.post(f"/api/v1/workspace/nominees/{COUNCIL}", json={"op": "reset"}).status_code == 403  # CSRF
    overview = client.get("/api/v1/workspace/nominees").json()
    assert overview["cycle"] == "2026" and overview["total"]["districts"] == 3
    assert [c["id"] for c in overview["councils"]] == [COUNCIL]
    assert client.get("/api/v1/workspace/nominees/nowhere").status_code == 404
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/workspace/nominees", "/api/v1/workspace/nominees/{council_id}"} <= set(paths)


@pytest.mark.parametrize(("subject", "read", "write"), [
    ("central", 200, 200), ("observer", 200, 403), ("sec-almaty", 200, 200), ("sec-region", 403, 403),
    ("m1", 403, 403), (None, 401, 401)])
def test_api_authorization(client: WebClient, subject: str | None, read: int, write: int) -> None:
    client.login(subject)
    assert client.get(f"/api/v1/workspace/nominees/{COUNCIL}").status_code == read
    assert client.api("POST", f"/api/v1/workspace/nominees/{COUNCIL}", json={"op": "reset"}).status_code == write
    if read == 200:
        assert len(client.get("/api/v1/workspace/nominees").json()["councils"]) == 1
    elif subject == "sec-region":
        assert client.get("/api/v1/workspace/nominees").json()["councils"] == []


# ---- pages ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("subject", "status"), [("central", 200), ("sec-almaty", 200), ("observer", 200),
                                                 ("sec-region", 403), ("m1", 403)])
def test_pages_authorization(client: WebClient, subject: str, status: int) -> None:
    client.login(subject)
    assert client.get(f"/staff/nominees/{COUNCIL}").status_code == status
    assert client.get("/staff/nominees").status_code == (200 if status == 200 or subject == "sec-region" else 403)
    posted = client.form(f"/staff/nominees/{COUNCIL}", {"op": "reset"}).status_code
    assert posted == (303 if subject in ("central", "sec-almaty") else 403)


def test_pages_pin_exclude_and_languages(client: WebClient) -> None:
    client.login("central")
    page = client.get(f"/staff/nominees/{COUNCIL}?lang=en").text
    assert "Saule" in page and "so that the council&#39;s nominees hold" in page
    assert "the primary is not published yet" in page and 'href="/staff/nominees"' in page
    done = client.form(f"/staff/nominees/{COUNCIL}", {"op": "pin", "district": D1, "candidate": "m1",
                                                      "cycle": "2026"})
    assert done.status_code == 303 and done.headers["location"] == f"/staff/nominees/{COUNCIL}?cycle=2026"
    assert "nominated by the leadership (pinned)" in client.get(f"/staff/nominees/{COUNCIL}").text
    client.form(f"/staff/nominees/{COUNCIL}", {"op": "exclude", "candidate": "m1"})
    refused = client.form(f"/staff/nominees/{COUNCIL}", {"op": "exclude", "candidate": "m7"})
    assert refused.status_code == 409 and "nothing changed" in refused.text and 'role="alert"' in refused.text
    assert client.post(f"/staff/nominees/{COUNCIL}", data={"op": "reset"}).status_code == 403  # no CSRF token
    for lang, word in (("kk", "округ"), ("ru", "округ")):
        text = client.get(f"/staff/nominees/{COUNCIL}?lang={lang}").text
        assert f'lang="{lang}"' in text and word in text.lower()
        assert "so that" not in text and "nominated" not in text
        over = client.get(f"/staff/nominees?lang={lang}").text
        assert "Single-member nominees" not in over and f"/staff/nominees/{COUNCIL}" in over


def test_the_council_list_builder_links_to_the_nominees(client: WebClient, nworld: World) -> None:
    from tandau.services import workspace_lists

    with nworld.session() as s:
        for member, marks in (("m1", ["m1", "m2"]), ("m2", ["m1", "m2"]), ("m4", ["m1"])):
            voting.cast_ballot(s, actor_for(s, member), "almaty-city", marks, now=DURING)
    nworld.close("almaty-city")
    with nworld.session() as s:
        workspace_lists.form_contest_list(s, CENTRAL, "almaty-city", seats=2)
    client.login("central")
    page = client.get("/staff/lists/almaty-city?lang=en").text
    assert f'href="/staff/nominees/{COUNCIL}?cycle=2026"' in page and "single-member nominees" in page


# ---- CLI ---------------------------------------------------------------------------------------------------------


def test_cli_nominees_council(nworld: World) -> None:
    from typer.testing import CliRunner

    from tandau.cli.main import app
    from tests.integration.web.conftest import database_url_of

    url = database_url_of(nworld.db)
    runner = CliRunner()
    result = runner.invoke(app, ["nominees", "council", "--db", url, "--cycle", "2026", "--council", COUNCIL,
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert [d["nominee"]["id"] if d["nominee"] else None for d in body["districts"]] == ["m2", "m7", None]
    table = runner.invoke(app, ["nominees", "council", "--db", url, "--cycle", "2026", "--council", COUNCIL,
                                "--rules", "kz-law-2022"])
    assert table.exit_code == 0, table.output
    assert "not published" in table.output
    bad = runner.invoke(app, ["nominees", "council", "--db", url, "--cycle", "2026", "--council", COUNCIL,
                              "--rules", "es-loreg-2007"])
    assert bad.exit_code == 2 and "orders places" in bad.output
    with nworld.session() as s:
        assert not s.execute(select(cn.table)).all()  # reading stores nothing


# ---- district chances: the seat simulator extended to the districts (issue 11, item 4) ------------------------


def test_chances_follow_the_shares_and_are_reproducible(nworld: World) -> None:
    with nworld.session() as s:
        sim = dc.simulate_districts(s, CENTRAL, None, COUNCIL, share=0.5, rivals={"b": 0.2}, sigma=0.05, swing=0.0,
                                    draws=4000, seed=7)
        again = dc.simulate_districts(s, CENTRAL, None, COUNCIL, share=0.5, rivals={"b": 0.2}, sigma=0.05,
                                      swing=0.0, draws=4000, seed=7)
        weak = dc.simulate_districts(s, CENTRAL, None, COUNCIL, share=0.15, rivals={"b": 0.2}, sigma=0.05,
                                     swing=0.0, draws=4000, seed=7)
        with pytest.raises(InputError, match="draws"):
            dc.simulate_districts(s, CENTRAL, None, COUNCIL, draws=10)
    assert sim == again
    assert [r.chance is None for r in sim.rows] == [False, False, True]  # the third district has no nominee
    assert all(r.chance is not None and r.chance > 0.99 for r in sim.rows[:2])  # 30 points ahead, 5-point error
    assert all(r.chance is not None and r.chance < 0.3 for r in weak.rows[:2])
    assert abs(sum(sim.seats_pmf) - 1) < 1e-9 and len(sim.seats_pmf) == 4
    assert sim.expected_seats == pytest.approx(sum(k * p for k, p in enumerate(sim.seats_pmf)))
    women = [r for r in sim.rows if r.nominee is not None and r.nominee.sex == "F"]
    assert sim.expected_women == pytest.approx(sum(r.chance or 0 for r in women))


def test_page_and_api_for_staff_of_the_territory(client: WebClient) -> None:
    client.login("sec-almaty")
    page = client.get(f"/staff/nominees/{COUNCIL}/chances?share=45&sigma=6&lang=ru")
    assert page.status_code == 200 and "Шанс победы" in page.text and 'value="45.0"' in page.text
    assert f"/staff/nominees/{COUNCIL}/chances" in client.get(f"/staff/nominees/{COUNCIL}").text
    api = client.get(f"/api/v1/workspace/nominees/{COUNCIL}/chances?share=45&draws=1000&seed=3")
    assert api.status_code == 200, api.text
    body = api.json()
    assert body["share"] == 0.45 and body["draws"] == 1000 and len(body["districts"]) == 3
    assert body["districts"][2]["chance"] is None
    assert client.get(f"/api/v1/workspace/nominees/{COUNCIL}/chances?share=nan").status_code == 400
    assert "/api/v1/workspace/nominees/{council_id}/chances" in client.get("/api/v1/openapi.json").json()["paths"]
    client.login("sec-region")
    assert client.get(f"/api/v1/workspace/nominees/{COUNCIL}/chances").status_code == 403
    assert client.get(f"/staff/nominees/{COUNCIL}/chances").status_code == 403
