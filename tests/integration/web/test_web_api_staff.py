"""The staff workspace API (``/api/v1/workspace``) on the all-list demo world of ``tests/integration/workspace``
(``world_2021``: North Kazakhstan under kz-2021, where district maslikhats have lists): each endpoint, who may read
and change what, CSRF, bad input in the one error shape, agreement with the pages.

Staff of the demo: ``central``, ``secretary`` (North Kazakhstan Region, 590000000), ``observer``; added here:
``sec-almaty`` (Almaty city, 750000000: another region) and ``sec-district`` (Aiyrtau District, 593200000: council
M-5932).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from sqlalchemy import select

from tandau.services import workspace, workspace_lists, workspace_store
from tandau.services.primaries import audit, auth
from tandau.services.primaries.access import Actor, Role
from tandau.settings import Settings
from tandau.store.models import Nomination
from tandau.web.app import create_app
from tandau.web.routers.schemas_workspace import SimMethod
from tests.integration.web.conftest import SECRET, WebClient
from tests.integration.workspace.conftest import World, world_2021  # noqa: F401 — the demo world fixture

API = "/api/v1/workspace"
COUNCIL = "M-59"  # North Kazakhstan Regional Maslikhat: the secretary's region
DISTRICT = "M-5932"  # Aiyrtau District Maslikhat
NATIONAL = "KZ-MAJILIS"
REGION = "North Kazakhstan Region"
CANDIDATE = "M0001708"  # the first nomination of M-59 in the demo world (its seed fixes the synthetic people)
EXTRA_STAFF = {"sec-almaty": "750000000", "sec-district": "593200000"}


@pytest.fixture(scope="module")
def world(world_2021: World) -> World:  # noqa: F811 — the imported fixture
    """Under kz-2023 city and district maslikhats have no list: these tests need a district council's list."""
    return world_2021


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[WebClient]:
    with world.Session() as s:
        for subject, kato in EXTRA_STAFF.items():
            auth.grant_role(s, Actor.central("central"), subject, Role.SECRETARY, kato)
        s.commit()
    conf = Settings(environment="development", secret_key=SECRET)  # type: ignore[arg-type]
    app = create_app(conf, database_url=f"sqlite:///{world.db}")
    with WebClient(app, follow_redirects=False, headers={"Accept-Language": "en"}) as c:
        yield c
    app.state.engine.dispose()


@pytest.fixture
def reset(client: WebClient) -> Iterator[None]:
    """Put the lists a test changes back to the vote (pins and exclusions cleared) afterwards."""
    yield
    client.login("central")
    for council in (COUNCIL, DISTRICT):
        r = client.api("POST", f"{API}/councils/{council}/list", json={"op": "reset"})
        assert r.status_code == 200, r.text


def _error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    return dict(body["error"])


def _outsider(view: dict[str, Any]) -> str:
    """A candidate of the primary ranking who is not on the list."""
    return str(next(r["id"] for r in view["ranking"] if r["place"] is None and not r["excluded"]))


# ---- overview -------------------------------------------------------------------------------------------------


def test_overview_lists_every_council_with_its_compliance_per_rule(client: WebClient, world: World) -> None:
    client.login("central")
    r = client.get(f"{API}/councils")
    assert r.status_code == 200, r.text
    body = r.json()
    with world.Session() as s:
        expected = workspace.national_overview(s)
    assert body["rules"] == list(expected.rules) and len(body["rules"]) == 3
    assert [c["id"] for c in body["councils"]] == [row.contest_id for row in expected.rows]
    assert len(body["councils"]) == world.report.councils and body["councils"][0]["id"] == NATIONAL
    for council, row in zip(body["councils"], expected.rows, strict=True):
        assert [v["rule"] for v in council["compliance"]] == body["rules"]
        assert tuple(v["ok"] for v in council["compliance"]) == row.compliance
        assert (council["compliant"], council["women"], council["moved"]) == (row.compliant, row.women, row.moved)
    assert body["compliant"] == expected.compliant
    assert [(p["rule"], p["meeting"], p["checked"]) for p in body["per_rule"]] == expected.per_rule()
    districts = client.get(f"{API}/councils", params={"level": "district", "region": REGION}).json()
    assert districts["councils"] and {c["level"] for c in districts["councils"]} == {"district"}
    assert (districts["level"], districts["region"]) == ("district", REGION)


def test_overview_shows_a_secretary_only_their_territory(client: WebClient, world: World) -> None:
    client.login("secretary")
    region = client.get(f"{API}/councils").json()
    ids = {c["id"] for c in region["councils"]}
    assert len(region["councils"]) == world.report.councils - 1 and NATIONAL not in ids
    assert {c["kato"][:2] for c in region["councils"]} == {"59"} and region["regions"] == [REGION]
    client.login("sec-district")
    assert [c["id"] for c in client.get(f"{API}/councils").json()["councils"]] == [DISTRICT]
    client.login("sec-almaty")
    other = client.get(f"{API}/councils", params={"region": REGION}).json()
    assert other["councils"] == [] and other["regions"] == [] and other["compliant"] == 0
    client.login("observer")
    assert len(client.get(f"{API}/councils").json()["councils"]) == world.report.councils


# ---- list -----------------------------------------------------------------------------------------------------


def test_list_has_ranking_list_moves_with_reasons_and_checks(client: WebClient, world: World) -> None:
    client.login("secretary")
    with world.Session() as s:  # a list of the secretary's region where the engine moved someone up for a rule
        council = next(cid for cid, kept in sorted(workspace_store.load_all(s).items()) if cid != NATIONAL
                       and any(e["move"] == "up" and e["rule"] for e in kept.result["entries"]))
        stored = workspace_store.load(s, council)
    r = client.get(f"{API}/councils/{council}/list")
    assert r.status_code == 200, r.text
    body = r.json()
    assert stored is not None
    assert body["council"]["id"] == council and body["editable"] is True
    assert [e["position"] for e in body["entries"]] == list(range(1, stored.length + 1))
    assert [e["id"] for e in body["entries"]] == [e["id"] for e in stored.result["entries"]]
    votes = [row["votes"] for row in body["ranking"]]
    assert votes == sorted(votes, reverse=True) and [row["vote_rank"] for row in body["ranking"]][:3] == [1, 2, 3]
    moved = [e for e in body["entries"] if e["move"] != "same"]
    assert len(moved) == body["metrics"]["moved"] > 0
    assert any(e["move"] == "up" and e["reason"] and e["rule"] for e in moved)
    assert [c["label"] for c in body["checks"]] == [c["label"] for c in stored.result["checks"]]
    assert all(c["ok"] for c in body["checks"]) and body["compliant"] is True
    assert body["updated_at"].endswith(("Z", "+00:00"))  # UTC, with its zone
    client.login("observer")
    assert client.get(f"{API}/councils/{council}/list").json()["editable"] is False


def test_list_passes_through_what_the_engine_stores(client: WebClient, world: World) -> None:
    """Keys the list engine adds to an entry or a check (a machine reason code, its parameters) pass through."""
    with world.Session() as s:
        stored = workspace_store.load(s, DISTRICT)
        assert stored is not None
        result = {
            **stored.result,
            "entries": [dict(e) for e in stored.result["entries"]],
            "checks": [dict(c) for c in stored.result["checks"]],
        }
        result["entries"][0] |= {"code": "women_quota", "params": {"needed": 5, "places": [1, 4]}}
        result["checks"][0] |= {"code": "min_share"}
        workspace_store.save(
            s,
            workspace_store.StoredList(
                stored.contest_id,
                stored.rules,
                stored.length,
                stored.seats,
                stored.pins,
                stored.exclude,
                stored.votes,
                result,
                stored.updated_at,
                stored.updated_by,
            ),
        )
        s.commit()
    client.login("central")
    body = client.get(f"{API}/councils/{DISTRICT}/list").json()
    assert set(result) <= set(body) and result["entries"] and result["checks"]
    for part in ("entries", "left_off", "checks"):
        assert len(body[part]) == len(result[part])
        for given, shown in zip(result[part], body[part], strict=True):
            assert set(given) <= set(shown), (part, set(given) - set(shown))
    assert body["entries"][0]["code"] == "women_quota"
    assert body["entries"][0]["params"] == {"needed": 5, "places": [1, 4]}
    assert body["checks"][0]["code"] == "min_share" and "code" not in body["entries"][1]


def _page_list(page: str) -> dict[str, Any]:
    """The proposed list, the ranking and the checks as the builder page shows them."""
    table = page.split('<table class="list">', 1)[1].split("</table>", 1)[0]
    entries = [
        (int(pos), html.unescape(name).strip(), move)
        for move, pos, name in re.findall(
            r'<tr class="move-(\w+)">\s*<td class="num">(\d+)</td>\s*<th scope="row">(.*?) <span', table, re.S
        )
    ]
    ranking = re.findall(r'<tr id="cand-([^"]+)"', page)
    checks = re.findall(r'<li class="(ok|fail)">', page)
    return {"entries": entries, "ranking": ranking, "checks": checks}


def _api_list(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "entries": [(e["position"], e["name"], e["move"]) for e in body["entries"]],
        "ranking": [r["id"] for r in body["ranking"]],
        "checks": ["ok" if c["ok"] else "fail" for c in body["checks"]],
    }


def test_api_and_page_agree_on_the_list_before_and_after_a_change(client: WebClient, reset: None) -> None:
    client.login("secretary")
    body = client.get(f"{API}/councils/{COUNCIL}/list").json()
    page = client.get(f"/staff/lists/{COUNCIL}?lang=en")
    assert page.status_code == 200
    assert _page_list(page.text) == _api_list(body) and len(body["entries"]) == 39  # 30 seats + 30%
    changed = client.api(
        "POST", f"{API}/councils/{COUNCIL}/list", json={"op": "pin", "candidate": _outsider(body), "place": 2}
    )
    assert changed.status_code == 200, changed.text
    after = client.get(f"/staff/lists/{COUNCIL}?lang=en").text
    assert _page_list(after) == _api_list(changed.json()) != _api_list(body)
    assert "Pinned by staff" in after


# ---- changing a list ------------------------------------------------------------------------------------------


def test_pin_exclude_recompute_and_audit(client: WebClient, world: World, reset: None) -> None:
    client.login("secretary")
    before = client.get(f"{API}/councils/{COUNCIL}/list").json()
    outsider = _outsider(before)
    r = client.api("POST", f"{API}/councils/{COUNCIL}/list", json={"op": "pin", "candidate": outsider, "place": 3})
    assert r.status_code == 200, r.text
    pinned = r.json()
    assert pinned["entries"][2]["id"] == outsider and pinned["entries"][2]["move"] == "pin"
    assert pinned["pins"] == [{"candidate": outsider, "place": 3}] and pinned["updated_by"] == "secretary"
    first = pinned["entries"][0]["id"]
    r = client.api("POST", f"{API}/councils/{COUNCIL}/list", json={"op": "exclude", "candidate": first})
    assert r.status_code == 200 and r.json()["exclude"] == [first]
    assert first not in {e["id"] for e in r.json()["entries"]}
    assert next(row for row in r.json()["ranking"] if row["id"] == first)["excluded"] is True
    with world.Session() as s:
        stored = workspace_store.load(s, COUNCIL)
        log = audit.entries(s)[-2:]
    assert stored is not None and dict(stored.pins) == {outsider: 3} and stored.exclude == (first,)
    assert [(e.actor, e.action, e.target) for e in log] == [("secretary", "list.change", COUNCIL)] * 2
    assert log[0].details["pin"] == [outsider, 3] and log[1].details["exclude"] == first
    r = client.api("POST", f"{API}/councils/{COUNCIL}/list", json={"op": "reset"})
    assert r.status_code == 200 and r.json()["pins"] == [] and r.json()["exclude"] == []
    assert _api_list(r.json()) == _api_list(before)
    with world.Session() as s:
        assert audit.entries(s)[-1].action == "list.reset"


def test_an_infeasible_change_is_refused_and_the_list_kept(client: WebClient, world: World, reset: None) -> None:
    """Excluding women one by one until no list can meet the women's quota: 409, the stored list unchanged."""
    client.login("sec-district")
    with world.Session() as s:
        view = workspace_lists.builder_view(s, Actor.central(), DISTRICT)
    women = [row.person["id"] for row in view.ranking if row.person["sex"] == "F"]
    refused = None
    for woman in women:
        before = client.get(f"{API}/councils/{DISTRICT}/list").json()
        r = client.api("POST", f"{API}/councils/{DISTRICT}/list", json={"op": "exclude", "candidate": woman})
        if r.status_code != 200:
            refused = _error(r, 409, "conflict")
            break
    assert refused is not None and "unchanged" in refused["message"]
    after = client.get(f"{API}/councils/{DISTRICT}/list").json()
    assert (after["exclude"], after["entries"]) == (before["exclude"], before["entries"])


def test_who_may_change_a_list(client: WebClient) -> None:
    body = {"op": "reset"}
    for subject, council in (
        ("observer", COUNCIL),
        ("sec-almaty", COUNCIL),
        ("secretary", NATIONAL),
        ("sec-district", COUNCIL),
    ):
        client.login(subject)
        _error(client.api("POST", f"{API}/councils/{council}/list", json=body), 403, "forbidden")
    client.login("sec-district")
    assert client.api("POST", f"{API}/councils/{DISTRICT}/list", json=body).status_code == 200
    client.login("central")
    assert client.api("POST", f"{API}/councils/{NATIONAL}/list", json=body).status_code == 200


# ---- scoping and roles ----------------------------------------------------------------------------------------


def test_a_secretary_cannot_read_another_territory(client: WebClient) -> None:
    reads = [("GET", "list", None), ("POST", "seats", {"draws": 100}), ("GET", "export?format=csv", None)]
    for subject, council in (("sec-almaty", COUNCIL), ("secretary", NATIONAL), ("sec-district", COUNCIL)):
        client.login(subject)
        for method, tail, body in reads:
            r = client.api(method, f"{API}/councils/{council}/{tail}", json=body)
            err = _error(r, 403, "forbidden")
            assert repr(subject) in err["message"], err
    client.login("sec-district")
    assert client.get(f"{API}/councils/{DISTRICT}/list").status_code == 200


@pytest.mark.parametrize(
    ("subject", "status", "code"),
    [
        (None, 401, "not_signed_in"),
        ("M0000117", 403, "forbidden"),  # a member
    ],
)
def test_members_and_anonymous_are_refused(client: WebClient, subject: str | None, status: int, code: str) -> None:
    client.login(subject)
    for method, path, body in (
        ("GET", f"{API}/councils", None),
        ("GET", f"{API}/councils/{COUNCIL}/list", None),
        ("POST", f"{API}/councils/{COUNCIL}/list", {"op": "reset"}),
        ("POST", f"{API}/councils/{COUNCIL}/seats", {}),
        ("GET", f"{API}/councils/{COUNCIL}/export", None),
    ):
        _error(client.api(method, path, json=body), status, code)


def test_a_candidate_is_refused(client: WebClient, world: World) -> None:
    with world.Session() as s:
        candidate = s.scalars(select(Nomination.member_id).where(Nomination.contest_id == COUNCIL)).first()
        assert candidate is not None
        assert Role.CANDIDATE in {g.role for g in auth.actor_for(s, candidate).grants}
    client.login(candidate)
    _error(client.get(f"{API}/councils"), 403, "forbidden")
    _error(client.get(f"{API}/councils/{COUNCIL}/list"), 403, "forbidden")


def test_state_changing_calls_need_the_csrf_token(client: WebClient, world: World) -> None:
    client.login("central")
    with world.Session() as s:
        before = len(audit.entries(s))
    for tail, body in (("list", {"op": "reset"}), ("seats", {"draws": 100})):
        for headers in ({"X-CSRF-Token": ""}, {"X-CSRF-Token": "forged"}):
            r = client.post(f"{API}/councils/{COUNCIL}/{tail}", json=body, headers=headers)
            _error(r, 403, "csrf")
        _error(client.post(f"{API}/councils/{COUNCIL}/{tail}", json=body), 403, "csrf")
    with world.Session() as s:
        assert len(audit.entries(s)) == before


# ---- bad input ------------------------------------------------------------------------------------------------


def test_unknown_council_names_the_parameter(client: WebClient) -> None:
    client.login("central")
    for method, tail, body in (
        ("GET", "list", None),
        ("POST", "list", {"op": "reset"}),
        ("POST", "seats", {}),
        ("GET", "export", None),
    ):
        err = _error(client.api(method, f"{API}/councils/no-such/{tail}", json=body), 404, "not_found")
        assert err["details"] == [{"loc": ["council_id"], "message": "no council 'no-such'"}]


@pytest.mark.parametrize(
    ("body", "status", "loc"),
    [
        ({"shares": {"our-party": "lots"}}, 422, ["body", "shares", "our-party"]),
        ({"shares": {"our-party": 54, "party-b": 11}}, 422, ["body", "shares", "our-party"]),  # percent, not fraction
        ({"shares": [0.5, 0.3]}, 422, ["body", "shares"]),
        ({"shares": {"our-party": -0.1}}, 422, ["body", "shares", "our-party"]),
        ({"shares": {"our-party": 0.7, "party-b": 0.4}}, 400, ["shares"]),  # more than all votes
        ({"shares": {"party-b": 0.4}}, 400, ["shares"]),  # the party's own list is missing
        ({"shares": {"our-party": 0.0}}, 400, ["shares"]),  # nobody gets votes
        ({"method": "borda"}, 422, ["body", "method"]),
        ({"draws": 5}, 422, ["body", "draws"]),
        ({"threshold": 1.5}, 422, ["body", "threshold"]),
    ],
)
def test_malformed_seat_input_names_the_parameter(
    client: WebClient, body: dict[str, Any], status: int, loc: list[str]
) -> None:
    client.login("central")
    err = _error(
        client.api("POST", f"{API}/councils/{COUNCIL}/seats", json=body),
        status,
        "validation" if status == 422 else "invalid_input",
    )
    assert err["details"][0]["loc"] == loc, err


@pytest.mark.parametrize(
    ("body", "status", "loc"),
    [
        ({"op": "move"}, 422, ["body", "op"]),
        ({"op": "pin", "candidate": CANDIDATE}, 400, ["place"]),
        ({"op": "pin", "candidate": CANDIDATE, "place": 0}, 422, ["body", "place"]),
        ({"op": "pin", "candidate": CANDIDATE, "place": 99}, 400, ["place"]),
        ({"op": "exclude"}, 400, ["candidate"]),
        ({"op": "exclude", "candidate": "nobody"}, 400, ["candidate"]),
        ({"op": "reset", "candidate": CANDIDATE}, 400, ["candidate"]),
    ],
)
def test_malformed_list_change_names_the_parameter(
    client: WebClient, body: dict[str, Any], status: int, loc: list[str]
) -> None:
    client.login("central")
    before = client.get(f"{API}/councils/{COUNCIL}/list").json()
    err = _error(
        client.api("POST", f"{API}/councils/{COUNCIL}/list", json=body),
        status,
        "validation" if status == 422 else "invalid_input",
    )
    assert err["details"][0]["loc"] == loc, err
    assert client.get(f"{API}/councils/{COUNCIL}/list").json()["updated_at"] == before["updated_at"]


def test_overview_filters_name_the_parameter(client: WebClient) -> None:
    client.login("central")
    assert _error(client.get(f"{API}/councils?level=village"), 400, "invalid_input")["details"][0]["loc"] == ["level"]
    assert _error(client.get(f"{API}/councils?region=Atlantis"), 400, "invalid_input")["details"][0]["loc"] == [
        "region"
    ]
    err = _error(client.get(f"{API}/councils/{COUNCIL}/export?format=pdf"), 422, "validation")
    assert err["details"][0]["loc"] == ["query", "format"]


# ---- seats and export -----------------------------------------------------------------------------------------


def test_seat_simulation_matches_the_simulator_service(client: WebClient, world: World) -> None:
    shares = {"our-party": 0.45, "party-b": 0.2, "party-c": 0.15, "party-d": 0.1}
    client.login("observer")  # reading only: observers simulate, as on the page
    r = client.api(
        "POST",
        f"{API}/councils/{COUNCIL}/seats",
        json={"shares": shares, "other": 0.1, "method": "dhondt", "draws": 500, "seed": 7},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    with world.Session() as s:
        sim = workspace.simulate_council(s, COUNCIL, shares, other=0.1, method="dhondt", draws=500, seed=7)
        stored = workspace_store.load(s, COUNCIL)
    assert stored is not None and body["seats"] == stored.seats == sim.seats
    assert {p["party"]: p["mean"] for p in body["parties"]} == sim.seats_mean
    assert all(abs(sum(p["pmf"]) - 1) < 1e-9 and len(p["pmf"]) == sim.seats + 1 for p in body["parties"])
    assert [p["id"] for p in body["positions"]] == [e["id"] for e in stored.result["entries"]]
    simulated = [p["probability"] for p in sim.positions]  # places 1 .. seats + 1
    assert 0 < len(simulated) < stored.length
    assert [p["probability"] for p in body["positions"]] == simulated + [0.0] * (stored.length - len(simulated))
    assert [p["name"] for p in body["positions"][: len(simulated)]] == [p["name"] for p in sim.positions]
    chances = [p["probability"] for p in body["positions"]]
    assert chances == sorted(chances, reverse=True) and chances[0] == 1.0 and chances[-1] < 1.0
    comp = body["composition"]
    assert comp["women_share"] == sim.women_share and comp["expected_women"] == sim.expected_women
    assert comp["list_women"] == stored.result["women"] / stored.length
    assert comp["list_youth"] == stored.result["youth"] / stored.length
    again = client.api(
        "POST",
        f"{API}/councils/{COUNCIL}/seats",
        json={"shares": shares, "other": 0.1, "method": "dhondt", "draws": 500, "seed": 7},
    )
    assert again.json() == body  # seeded: the same answer


def test_simulation_when_the_party_wins_nothing(client: WebClient) -> None:
    client.login("central")
    r = client.api(
        "POST",
        f"{API}/councils/{COUNCIL}/seats",
        json={"shares": {"our-party": 0.01, "party-b": 0.9}, "other": 0.09, "draws": 100},
    )
    assert r.status_code == 200, r.text
    comp = r.json()["composition"]
    assert comp["women_share"] is None and comp["expected_women"] == 0.0


def test_export_is_the_pages_file(client: WebClient) -> None:
    client.login("secretary")
    api = client.get(f"{API}/councils/{COUNCIL}/export?format=csv")
    page = client.get(f"/staff/lists/{COUNCIL}/export.csv")
    assert api.status_code == 200 and api.content == page.content and api.content.startswith(b"\xef\xbb\xbf")
    assert api.headers["content-disposition"] == page.headers["content-disposition"]
    assert client.get(f"{API}/councils/{COUNCIL}/export").content == api.content  # csv by default
    xlsx = client.get(f"{API}/councils/{COUNCIL}/export", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")


def test_the_api_is_in_the_openapi_schema(client: WebClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    ops = {(m.upper(), p) for p, item in paths.items() if p.startswith(API) for m in item}
    assert ops == {
        ("GET", f"{API}/councils"),
        ("GET", f"{API}/councils/{{council_id}}/list"),
        ("POST", f"{API}/councils/{{council_id}}/list"),
        ("POST", f"{API}/councils/{{council_id}}/seats"),
        ("GET", f"{API}/councils/{{council_id}}/export"),
        ("GET", f"{API}/nominees"),  # single-member nominees: tests/integration/web/test_web_nominees.py
        ("GET", f"{API}/nominees/{{council_id}}"),
        ("POST", f"{API}/nominees/{{council_id}}"),
        ("GET", f"{API}/nominees/{{council_id}}/chances"),  # tests/integration/web/test_web_nominees.py
    }
    ok = paths[f"{API}/councils/{{council_id}}/list"]["get"]["responses"]
    assert ok["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/CouncilListPublic")
    assert ok["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorPublic")
    components = schema["components"]["schemas"]
    assert components["EntryPublic"]["additionalProperties"] is True
    assert {"OverviewPublic", "SeatsCreate", "SeatsPublic", "ListChange"} <= set(components)
    assert set(get_args(SimMethod)) == set(workspace.SIM_METHODS)
