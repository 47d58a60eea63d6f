"""Inputs that fuzzing the JSON API (schemathesis, docs/web.md "API fuzzing") and the probes that followed it
answered with 500; each is replayed here exactly and must now get a 4xx in the one error shape naming the
parameter. The first tests run on SQLite and PostgreSQL (``client``), the seat simulator ones on the demo world
of ``tests/integration/workspace``; the last two walk the OpenAPI document so that a new field or parameter
cannot bring the same crash back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI

from tandau.errors import InputError
from tandau.services import workspace
from tandau.services.primaries import contests
from tandau.settings import Settings
from tandau.web.app import create_app
from tests.integration.primaries.conftest import CENTRAL, CLOSES, ELECTION, OPENS
from tests.integration.workspace.conftest import World, world  # noqa: F401 — the demo world fixture

from .conftest import SECRET, WebClient

NUL, HALF_PAIR = "\x00", "\ud800"  # NUL: PostgreSQL text holds none; half a surrogate pair: not Unicode


def _error(r: Any, status: int, code: str, loc: list[str]) -> None:
    """The one error shape, with the parameter named in ``details``."""
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert loc in [d["loc"] for d in body["error"]["details"]], body


def _post_raw(client: WebClient, url: str, body: str, method: str = "POST") -> Any:
    """Send the JSON text as it is (escapes such as ``\\ud800`` reach the server unchanged; httpx's own ``json=``
    cannot encode half a surrogate pair)."""
    return client.api(method, url, content=body.encode(), headers={"Content-Type": "application/json"})


# ---- half a surrogate pair in a JSON string (500 on both databases) ----------------------------------------


def test_ballot_naming_half_a_surrogate_pair(client: WebClient, frozen_time: datetime) -> None:
    """Was 500: the refusal "not a candidate in this contest: \\ud800" could not be encoded as the answer."""
    client.login("m1")
    r = _post_raw(client, "/api/v1/contests/almaty-city/ballots", '{"selection": ["\\ud800"]}')
    _error(r, 422, "validation", ["body", "selection", "0"])
    assert client.get("/api/v1/me/contests").json()[0]["has_voted"] is False


def test_nomination_with_half_a_surrogate_pair_in_nominated_by(client: WebClient) -> None:
    """Was 500: the eligibility refusal quoting nominated_by could not be encoded."""
    client.login("central")
    r = _post_raw(client, "/api/v1/contests/almaty-city/nominations",
                  '{"member_id": "M0000001", "nominated_by": "\\ud800"}')
    _error(r, 422, "validation", ["body", "nominated_by"])


# ---- NUL (500 on PostgreSQL: the driver refuses it; on SQLite stored or looked up as it is) ------------------


def test_nul_in_a_path_parameter(client: WebClient) -> None:
    client.login("central")
    _error(client.get("/api/v1/contests/a%00b"), 400, "invalid_input", ["contest_id"])
    r = client.api("POST", "/api/v1/contests/almaty-city/nominations/m1%00/withdraw", json={"reason": "a"})
    _error(r, 400, "invalid_input", ["member_id"])


def test_nul_in_a_query_parameter(client: WebClient) -> None:
    client.login("central")
    _error(client.get("/api/v1/contests?status=%00"), 400, "invalid_input", ["status"])


def test_nul_in_json_strings(client: WebClient) -> None:
    client.login(None)
    r = _post_raw(client, "/api/v1/session", '{"member_id":"m\\u0000","secret":"x"}')
    _error(r, 422, "validation", ["body", "member_id"])
    r = _post_raw(client, "/api/v1/session/code", '{"member_id":"m\\u0000"}')
    _error(r, 422, "validation", ["body", "member_id"])
    client.login("central")
    r = _post_raw(client, "/api/v1/contests/almaty-city/nominations/m1/withdraw", '{"reason":"a\\u0000"}')
    _error(r, 422, "validation", ["body", "reason"])
    assert client.get("/api/v1/contests/almaty-city/nominations").json()[0]["status"] == "registered"


# ---- a nomination's organisation and tags longer than their columns (500 on PostgreSQL) ---------------------


@pytest.fixture
def draft_contest(app: FastAPI) -> str:
    """A draft contest of Almaty city that m7 (who lives there, not yet nominated) may be nominated in."""
    with app.state.sessions() as s:
        contests.create_cycle(s, CENTRAL, "2026-b", "By-elections 2026", ELECTION)
        spec = contests.ContestSpec("almaty-city-b", "2026-b", "Almaty city maslikhat (by-election)", "regional",
                                    "Almaty", "approval", 1, OPENS, CLOSES, council_id="ms-75", kato="750000000")
        contests.create_contest(s, CENTRAL, spec)
    return "almaty-city-b"


def test_nomination_with_an_organisation_longer_than_its_column(client: WebClient, draft_contest: str) -> None:
    client.login("central")
    body = {"member_id": "m7", "nominated_by": "organisation", "organisation": "x" * 201}
    r = client.api("POST", f"/api/v1/contests/{draft_contest}/nominations", json=body)
    _error(r, 422, "validation", ["body", "organisation"])
    assert client.get(f"/api/v1/contests/{draft_contest}/nominations").json() == []


def test_nomination_with_tags_longer_than_their_column(client: WebClient, draft_contest: str) -> None:
    client.login("central")
    body = {"member_id": "m7", "tags": ["t" * 150, "u" * 60]}
    r = client.api("POST", f"/api/v1/contests/{draft_contest}/nominations", json=body)
    _error(r, 422, "validation", ["body", "tags"])
    ok = client.api("POST", f"/api/v1/contests/{draft_contest}/nominations", json={**body, "tags": ["youth"]})
    assert ok.status_code == 201, ok.text


# ---- a closing time that is past year 9999 in UTC (500 on both databases) -----------------------------------


def test_extension_to_a_time_out_of_range_in_utc(client: WebClient) -> None:
    client.login("central")
    body = {"reason": "r", "closes_at": "9999-12-31T23:59:59-14:00"}
    _error(client.api("POST", "/api/v1/contests/almaty-city/extend", json=body), 400, "invalid_input",
           ["closes_at"])


# ---- seat simulator (the workspace demo world) -------------------------------------------------------------


@pytest.fixture(scope="module")
def staff(world: World) -> Iterator[WebClient]:  # noqa: F811 — the imported fixture
    conf = Settings(environment="development", secret_key=SECRET)  # type: ignore[arg-type]
    app = create_app(conf, database_url=f"sqlite:///{world.db}")
    with WebClient(app, headers={"Accept-Language": "en"}) as c:
        yield c
    app.state.engine.dispose()


# schemathesis test case VjS8wl, exactly (its council M-79 is not in this world: the national list instead)
NEGATIVE_SEED = (
    '{".exe": {"\\udb8d\\uddf7U~\\u008f\\u00eeK\\udacd\\uddaa\\ud839\\udded\\u00b5\\u00ff\\u00d0\\u00f4K": 25864,'
    ' "": 1.21540812494216e+16, "\\u0094\\udbf4\\udd7e\\u00ee\\u009e!V":'
    ' "\\ud9ce\\ude33\\ud9ea\\udca2\\u00a6V\\u00b9_2\\u00a4\\u008b"}, "": {"": [], "\\u0099\\u00955\\u00ca": [83]},'
    ' "seed": -351, "method": "sainte-lague", "threshold": 0.012339232370945476}'
)


def test_seats_with_a_negative_seed(staff: WebClient, world: World) -> None:  # noqa: F811
    """Was 500: numpy's generator takes no negative seed (ValueError)."""
    staff.login("central")
    r = _post_raw(staff, "/api/v1/workspace/councils/KZ-MAJILIS/seats", NEGATIVE_SEED)
    _error(r, 422, "validation", ["body", "seed"])
    ok = _post_raw(staff, "/api/v1/workspace/councils/KZ-MAJILIS/seats", NEGATIVE_SEED.replace("-351", "351"))
    assert ok.status_code == 200 and ok.json()["seed"] == 351, ok.text
    with world.Session() as s, pytest.raises(InputError) as refused:  # the service refuses it too
        workspace.simulate_council(s, "KZ-MAJILIS", draws=100, seed=-351)
    assert refused.value.parameter == "seed"


def test_seats_with_half_a_surrogate_pair_in_a_party_name(staff: WebClient) -> None:
    """Was 500: the party name came back in the answer, which could not be encoded."""
    staff.login("observer")
    r = _post_raw(staff, "/api/v1/workspace/councils/KZ-MAJILIS/seats",
                  '{"shares": {"\\ud800": 0.1, "our-party": 0.3}}')
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation", r.text
    assert r.json()["error"]["details"][0]["loc"][:2] == ["body", "shares"]


@pytest.mark.parametrize("query", ["draws=nan", "draws=inf", "draws=1e400", "share_our-party=nan", "other=inf"])
def test_simulator_page_with_a_number_that_is_not_finite(staff: WebClient, query: str) -> None:
    """Not the API, seen while probing it: the page turned draws=nan into int(nan) (500) and let a NaN share
    through into the simulation (200 with NaN seats); now the error page names the parameter."""
    staff.login("central")
    r = staff.get(f"/staff/simulator?contest=M-10&{query}")
    assert r.status_code == 400 and query.split("=")[0] in r.text, r.text[:300]


# ---- every field and parameter of the OpenAPI document -----------------------------------------------------

SAMPLES = {"contest_id": "almaty-city", "member_id": "m1", "council_id": "ms-75", "subject_id": "m1",
           "key_id": "no-such-key", "case_id": "no-such-case", "file_id": "no-such-file", "region": "750000000",
           "programme_id": "no-such-programme", "commitment": "no-such-commitment",
           "proposal_id": "no-such-proposal", "code": "no-such-receipt", "appeal_id": "no-such-appeal",
           "deputy_id": "no-such-deputy", "akim_id": "no-such-akim", "nomination_id": "no-such-nomination"}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _sample(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value of the schema's type (the first enum value, a time with a zone for date-time; the least number
    and the fewest items the schema allows)."""
    schema = _resolve(spec, schema)
    if "anyOf" in schema:
        return _sample(spec, next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "enum" in schema or "const" in schema:
        return schema.get("enum", [schema.get("const")])[0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _sample(spec, props[k]) for k in schema.get("required", [])}
    if kind == "array":
        return [_sample(spec, schema.get("items", {"type": "string"}))] * schema.get("minItems", 0)
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    fmt = schema.get("format")
    return {"string": "2030-01-01T00:00:00Z" if fmt == "date-time" else "x", "number": 0.1, "boolean": False}[kind]


def _string_slots(spec: dict[str, Any], schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(field, value putting ``{bad}`` in a string) for each string the body schema lets in."""
    for name, prop in _resolve(spec, schema).get("properties", {}).items():
        for option in prop.get("anyOf", [prop]):
            option = _resolve(spec, option)
            if option.get("type") == "string" and "enum" not in option and "format" not in option:
                yield name, "{bad}"
            elif option.get("type") == "array" and option.get("items", {}).get("type") == "string":
                yield name, ["{bad}"]
            elif option.get("type") == "object" and "additionalProperties" in option:
                yield name, {"{bad}": _sample(spec, option["additionalProperties"])}


def _fill(value: Any, bad: str) -> Any:
    if isinstance(value, str):
        return value.replace("{bad}", bad)
    if isinstance(value, list):
        return [_fill(v, bad) for v in value]
    if isinstance(value, dict):
        return {_fill(k, bad): _fill(v, bad) for k, v in value.items()}
    return value


@pytest.mark.parametrize("bad", [NUL, HALF_PAIR], ids=["nul", "half-surrogate-pair"])
def test_every_json_string_refuses_what_cannot_be_stored(client: WebClient, bad: str) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    client.login("central")
    failures, tried = [], 0
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            body_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body_schema is None:
                continue
            url = path.format(**SAMPLES)
            for field, value in _string_slots(spec, body_schema):
                body = {**_sample(spec, body_schema), field: _fill(value, bad)}
                r = _post_raw(client, url, json.dumps(body), method.upper())
                tried += 1
                if r.status_code != 422 or r.json()["error"]["details"][0]["loc"][:2] != ["body", field]:
                    failures.append((method, path, field, r.status_code, r.text[:200]))
    assert tried >= 12 and not failures, failures


def test_every_path_and_query_parameter_refuses_nul(client: WebClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    client.login("central")
    failures, tried = [], 0
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                if param["in"] not in ("path", "query") or _resolve(spec, param["schema"]).get("type") == "boolean":
                    continue
                values = {**SAMPLES, param["name"]: "a%00b"}
                url = path.format(**values)
                query = {param["name"]: "a\x00b"} if param["in"] == "query" else {}
                r = client.api(method.upper(), url, params=query)
                tried += 1
                if r.status_code != 400 or r.json()["error"]["details"][0]["loc"] != [param["name"]]:
                    failures.append((method, path, param["name"], r.status_code, r.text[:200]))
    assert tried >= 20 and not failures, failures


# ---- found by the fuzzing round, in the services (500 on PostgreSQL) --------------------------------------------


def test_a_nul_in_an_imported_cell_is_a_row_problem(client: WebClient) -> None:
    """A NUL in a CSV cell: PostgreSQL refused it (500), SQLite stored it silently; now refused by row and column."""
    client.login("central")
    csv = b"id,name,sex,birth_date,territory,contact\nm\x009,Aigerim,F,1990-01-01,751110000,\n"
    for dry in ("true", "false"):
        r = client.api("POST", f"/api/v1/roll/import?dry_run={dry}", files={"file": ("roll.csv", csv, "text/csv")})
        assert r.status_code == 400, r.text
        [detail] = r.json()["error"]["details"]
        assert (detail["row"], detail["column"], detail["code"]) == (2, "id", "nul_character"), detail
    assert client.get("/api/v1/session").status_code == 200


def test_the_nomination_form_checks_the_organisation_width(client: WebClient, draft_contest: str) -> None:
    """The single-nomination path (the /admin form) did not check the 200-character column: 500 on PostgreSQL."""
    client.login("central")
    page = client.form(f"/admin/contests/{draft_contest}/nominations?lang=en",
                       {"member_id": "m7", "nominated_by": "organisation", "organisation": "x" * 201})
    assert page.status_code == 403 and "organisation longer than 200 characters" in page.text, page.status_code
    assert client.get(f"/api/v1/contests/{draft_contest}/nominations").json() == []
