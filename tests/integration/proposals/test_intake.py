"""Public intake: the form and the API give a receipt, keep the limits (size, territory, age group, the honeypot,
5 per address and hour with a clear 429 page), store nothing the form did not ask for, and the receipt finds the
proposal's status; kk/ru/en."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from sqlalchemy import inspect, select

from tandau.services.proposals import receipts
from tandau.store.proposals_models import Proposal, ProposalRate

from .conftest import DISTRICT, WebClient

TEXT = "Отремонтируйте дорогу на улице Абая, там большие ямы"


def _send(client: WebClient, **over: str) -> object:
    body = {"text": TEXT, "territory": DISTRICT, "age_group": "18_28", "lang": "", "contact": "", "website": ""}
    return client.api("POST", "/api/v1/proposals", json=body | over)


def test_api_intake_gives_a_receipt_that_finds_the_status(client: WebClient, app: FastAPI) -> None:
    r = _send(client, contact="+7 701 000 00 00")
    assert r.status_code == 201, r.text
    answer = r.json()
    assert set(answer) == {"id", "receipt", "status", "theme"}
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", answer["receipt"])
    assert (answer["status"], answer["theme"]) == ("new", "roads")
    found = client.get(f"/api/v1/proposals/receipt/{answer['receipt'].lower().replace('-', ' ')}")
    assert found.status_code == 200
    body = found.json()
    assert body["id"] == answer["id"] and body["text"] == TEXT and body["status"] == "new"
    assert "contact" not in body and "age_group" not in body and "+7 701" not in found.text
    assert client.get("/api/v1/proposals/receipt/0000-0000-0000").json()["error"]["code"] == "not_found"
    with app.state.sessions() as s:
        row = s.scalars(select(Proposal)).one()
        # the code itself is nowhere in the database: only its keyed hash
        assert row.receipt_hash == receipts.code_hash(receipts.derive_key(app.state.settings.secret_key
                                                                          .get_secret_value()), answer["receipt"])
        assert answer["receipt"].replace("-", "") not in repr(row.__dict__)
        assert (row.lang, row.channel, row.age_group, row.contact) == ("ru", "web", "18_28", "+7 701 000 00 00")
        # nothing stored that the form did not ask for: the columns are the form's fields and what the server derives
        columns = {c["name"] for c in inspect(s.connection()).get_columns("proposals")}
        assert columns == {"id", "external_id", "receipt_hash", "text", "kato", "age_group", "channel", "lang", "theme",
                           "confidence", "theme_by_person", "contact", "status", "hidden_reason", "merged_into",
                           "not_taken_reason", "duplicate_group", "synthetic", "submitted_at", "updated_at"}
        rate = s.scalars(select(ProposalRate)).one()
        assert rate.count == 1 and "testclient" not in rate.key_hash and len(rate.key_hash) == 64


def test_limits_are_refused_and_nothing_is_stored(client: WebClient, app: FastAPI) -> None:
    for over, field in (({"text": "short"}, "text"), ({"text": "я" * 2001}, "text"),
                        ({"territory": "751299999"}, "territory"), ({"territory": "12"}, "territory"),
                        ({"contact": "x" * 201}, "contact"), ({"website": "http://spam"}, "website")):
        r = _send(client, **over)
        assert r.status_code in (400, 422), (over, r.text)
        assert field in str(r.json()["error"]["details"]), (over, r.text)
    assert _send(client, age_group="young").status_code == 422
    with app.state.sessions() as s:
        assert s.scalars(select(Proposal)).all() == [] and s.scalars(select(ProposalRate)).all() == []


def test_rate_limit_per_address(client: WebClient, app: FastAPI) -> None:
    app.state.proposals_per_hour = 2
    assert [_send(client).status_code for _ in range(2)] == [201, 201]  # type: ignore[attr-defined]
    r = _send(client)
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"  # type: ignore[attr-defined]
    assert 3500 <= int(r.headers["Retry-After"]) <= 3600  # type: ignore[attr-defined]
    page = client.form("/proposals/new", {"text": TEXT, "territory": DISTRICT, "age_group": "60_plus"})
    assert page.status_code == 429 and 'data-error-code="too_many_proposals"' in page.text
    assert "Too many proposals" in page.text and page.headers["Retry-After"]
    client.headers["Accept-Language"] = "kk"
    page = client.form("/proposals/new", {"text": TEXT, "territory": DISTRICT, "age_group": "60_plus"})
    assert page.status_code == 429 and 'lang="kk"' in page.text and "Too many proposals" not in page.text
    with app.state.sessions() as s:
        assert len(s.scalars(select(Proposal)).all()) == 2


def test_form_region_then_district_receipt_page_and_languages(client: WebClient, app: FastAPI) -> None:
    index = client.get("/proposals?lang=kk")
    assert index.status_code == 200 and 'href="/proposals/new"' in index.text
    assert 'href="/proposals/t/750000000"' in index.text
    assert "Сайлауалды бағдарламаға ұсыныстар" in index.text
    page = client.get("/proposals/new?lang=en")
    assert page.status_code == 200 and 'name="website"' in page.text and "Almaty" in page.text
    page = client.get("/proposals/new?region=750000000")
    assert f'value="{DISTRICT}"' in page.text and "Alatau" in page.text
    fragment = client.get("/proposals/districts?region=750000000")
    assert 'id="territory"' in fragment.text and "<html" not in fragment.text
    assert client.post("/proposals/new", data={"text": TEXT, "territory": DISTRICT,
                                                "age_group": "18_28"}).status_code == 403  # no CSRF token
    bad = client.form("/proposals/new", {"text": "short", "territory": DISTRICT, "age_group": "18_28"})
    assert bad.status_code == 400 and 'data-error-field="text"' in bad.text and "short" in bad.text
    assert "A proposal has 10 to 2,000 characters." in bad.text
    bad = client.form("/proposals/new?lang=kk", {"text": TEXT, "territory": "", "age_group": "18_28"})
    assert bad.status_code == 400 and "Өңірді, қаласаңыз қаланы немесе ауданды таңдаңыз." in bad.text
    robot = client.form("/proposals/new", {"text": TEXT, "territory": DISTRICT, "age_group": "18_28",
                                           "website": "http://x"})
    assert robot.status_code == 400
    done = client.form("/proposals/new", {"text": TEXT, "region": "750000000", "territory": DISTRICT,
                                          "age_group": "29_34", "lang": "ru", "contact": "me@example.kz"})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    code = re.search(r"data-receipt>([0-9A-Z-]+)<", done.text).group(1)  # type: ignore[union-attr]
    whole_region = client.form("/proposals/new", {"text": "Нужен новый парк в центре города", "region": "750000000",
                                                  "territory": "", "age_group": "60_plus"})
    assert whole_region.status_code == 200
    for lang, word in (("en", "received, under consideration"), ("ru", "получено, рассматривается"),
                       ("kk", "қабылданды, қаралуда")):
        page = client.get(f"/proposals/receipt?code={code}&lang={lang}")
        assert page.status_code == 200 and word in page.text and TEXT in page.text, lang
        assert "me@example.kz" not in page.text
    assert client.get("/proposals/receipt?code=ZZZZ-ZZZZ-ZZZZ").status_code == 404
    with app.state.sessions() as s:
        kato = {p.kato for p in s.scalars(select(Proposal))}
    assert kato == {DISTRICT, "750000000"}


def test_the_counters_keep_the_last_hour_only(app: FastAPI) -> None:
    from datetime import UTC, datetime, timedelta

    from tandau.services.proposals import intake

    key = receipts.derive_key("k" * 40)
    start = datetime(2026, 4, 1, 8, tzinfo=UTC)
    with app.state.sessions() as s:
        form = intake.Submission(TEXT, DISTRICT, "35_59")
        intake.submit(s, form, key=key, address="10.0.0.1", per_hour=1, now=start)
        with pytest.raises(receipts.TooManyProposalsError) as refused:
            intake.submit(s, form, key=key, address="10.0.0.1", per_hour=1, now=start + timedelta(minutes=59))
        assert refused.value.retry_after == 60
        intake.submit(s, form, key=key, address="10.0.0.2", per_hour=1, now=start + timedelta(minutes=61))
        assert len(s.scalars(select(ProposalRate)).all()) == 1  # 10.0.0.1's hour has passed: deleted
        intake.submit(s, form, key=key, address="10.0.0.1", per_hour=1, now=start + timedelta(minutes=62))
        assert len(s.scalars(select(Proposal)).all()) == 3


@pytest.mark.parametrize("proposals_db", ["sqlite"], indirect=True)  # the document does not depend on the database
def test_the_api_is_in_the_openapi_document(client: WebClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if p.startswith("/api/v1/proposals")}
    assert paths == {("POST", "/api/v1/proposals"), ("GET", "/api/v1/proposals"),
                     ("GET", "/api/v1/proposals/dashboard"), ("GET", "/api/v1/proposals/receipt/{code}"),
                     ("POST", "/api/v1/proposals/{proposal_id}/moderation"),
                     ("POST", "/api/v1/proposals/{proposal_id}/links"), ("POST", "/api/v1/proposals/import")}
    for path, ops in spec["paths"].items():
        if path.startswith("/api/v1/proposals"):
            for op in ops.values():
                assert op["tags"] == ["proposals"]
                assert "$ref" in str(op["responses"]), (path, op["responses"])
    assert "contact" not in spec["components"]["schemas"]["PublicProposal"]["properties"]
    assert "age_group" not in spec["components"]["schemas"]["PublicProposal"]["properties"]
