"""The demo's SYNTHETIC appeals: every state, repeats, escalation, receipts that work, audit, and the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import func, select

from tandau.services.appeals import intake, read
from tandau.services.appeals.demo import prepare_appeals
from tandau.services.primaries import audit
from tandau.store.appeals_models import Appeal

from .conftest import ACTORS, KEYS

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def test_demo_appeals(app: FastAPI, tmp_path: Path) -> None:
    with app.state.sessions() as s:
        done = prepare_appeals(s, ACTORS["central"], tmp_path, seed=7, now=NOW, count=1500,
                               secret_key=app.state.settings.secret_key.get_secret_value())
        assert done.appeals == 1500 and done.repeats >= 75 and len(done.receipts) == 5
        assert done.answered > 1000 and done.redirected > 20 and done.extended > 40 and done.closed > 700
        assert done.escalated > 0
        statuses = {st for (st,) in s.execute(select(Appeal.status).distinct())}
        assert statuses == {"received", "in_progress", "extended", "redirected", "answered", "closed"}
        assert s.scalar(select(func.count()).select_from(Appeal).where(Appeal.synthetic.is_(False))) == 0
        langs = dict(s.execute(select(Appeal.lang, func.count()).group_by(Appeal.lang)).all())
        assert set(langs) == {"kk", "ru"} and min(langs.values()) > 500
        assert {c for (c,) in s.execute(select(Appeal.channel).distinct())} == {"web", "office", "phone", "import"}
        assert len({k[:2] for (k,) in s.execute(select(Appeal.kato).distinct())}) == 20
        for code in done.receipts:
            assert intake.by_receipt(s, KEYS.receipt, code).channel == "web"
        actions = [e.action for e in audit.entries(s)]
        assert actions.count("appeal.demo") == 1 and actions.count("appeal.escalate") == done.escalated
        board = read.dashboard(s, ACTORS["central"], now=NOW)
        assert board.total.total == 1500 and 0.7 < (board.total.on_time_rate or 0) < 0.98
        assert board.total.satisfaction is not None and 3 < board.total.satisfaction < 4.5
