"""The demo's citizens' proposals: about 20,000 SYNTHETIC proposals in Kazakh and Russian (every one marked
``synthetic``; written from the fragments of :mod:`.demo_texts`, none quoted from a real appeal) over Kazakhstan's
real territory, weighted by population, in every age group and channel; some near-duplicates (a proposal sent
again with small changes), some hidden by moderation with a reason, some answered by commitments or not taken up
with a reason, every act through the moderation service (audited).

Themes come from the classifier (:mod:`.themes`); when no model is available, a synthetic proposal keeps the theme
it was written for (confidence null). The near-duplicate groups are computed at the end (:mod:`.grouping`).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tandau.core.territory_kato import kato_code
from tandau.io.territory import load_kz
from tandau.services.primaries.access import Actor
from tandau.services.programmes import references
from tandau.services.proposals import grouping, moderation, receipts, rules, themes
from tandau.services.proposals.demo_texts import CLOSINGS, NEEDS, NOT_TAKEN, OPENINGS, PLACES
from tandau.settings import get_settings
from tandau.store.proposals_models import Proposal

AGE_WEIGHTS = {"under_18": 5, "18_28": 26, "29_34": 16, "35_59": 38, "60_plus": 15}
CHANNEL_WEIGHTS = {"web": 52, "office": 18, "forum": 14, "phone": 10, "import": 6}
DUPLICATES = 0.06
HIDDEN = 0.012
ANSWERED = 0.012
NOT_TAKEN_SHARE = 0.004
MERGED = 0.003


@dataclass(frozen=True, slots=True)
class DemoProposals:
    """What :func:`prepare_proposals` made."""

    proposals: int
    near_duplicates: int
    groups: int
    hidden: int
    merged: int
    answered: int
    not_taken: int
    receipts: tuple[str, ...]  # a few receipt codes to try on /proposals/receipt
    seconds: float


def _territories() -> tuple[list[str], list[int]]:
    """Cities and districts by KATO code with their (estimated) population; a city of republican significance is
    split evenly over its city districts."""
    units = load_kz("2023").units
    codes: list[str] = []
    weights: list[int] = []
    for u in units:
        if u.kind in ("city", "district") and u.population:
            codes.append(kato_code(u.id, u.kind))
            weights.append(u.population)
        elif u.kind == "republican_city" and u.population:
            parts = [c for c in units if c.parent == u.id and c.kind == "city_district"] or [u]
            for part in parts:
                codes.append(kato_code(part.id, part.kind))
                weights.append(u.population // len(parts))
    return codes, weights


def _text(rng: random.Random, theme: str, lang: str) -> str:
    need = rng.choice(NEEDS[theme][lang]).format(p=rng.choice(PLACES[lang]))
    opening = rng.choice(OPENINGS[lang])
    closing = rng.choice(CLOSINGS[lang])
    sentence = f"{opening} {need}".strip()
    sentence = sentence[0].upper() + sentence[1:] + "."
    return f"{sentence} {closing}".strip()


def _variant(rng: random.Random, text: str, lang: str) -> str:
    """The same proposal sent again: case, punctuation or a word changed."""
    choice = rng.randrange(3)
    if choice == 0:
        return text.lower().rstrip(".") + "!!!"
    if choice == 1:
        return text.replace(",", "").replace(".", "") + " " + ("Өтінеміз." if lang == "kk" else "Пожалуйста.")
    return text + " " + rng.choice(("Тез арада.", "Қолдаймын.") if lang == "kk" else ("Срочно.", "Поддерживаю."))


def prepare_proposals(session: Session, central: Actor, work_dir: Path, *, seed: int, now: datetime,
                      count: int = 20_000, secret_key: str | None = None) -> DemoProposals:
    """Write ``count`` synthetic proposals and the demo's moderation and links (see the module's docstring)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    key = receipts.derive_key(secret_key or get_settings().secret_key.get_secret_value())
    codes, weights = _territories()
    theme_codes = [t for t in NEEDS if t in themes.theme_codes()] or list(NEEDS)
    ages, age_w = list(AGE_WEIGHTS), list(AGE_WEIGHTS.values())
    channels, channel_w = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    kato_of = rng.choices(codes, weights, k=count)
    rows: list[dict[str, object]] = []
    written: list[str] = []
    sample: list[str] = []
    duplicates = 0
    recent: dict[str, list[dict[str, object]]] = {}
    for i in range(count):
        kato = kato_of[i]
        lang = "kk" if rng.random() < 0.45 else "ru"
        theme = rng.choice(theme_codes)
        earlier = recent.setdefault(kato, [])
        if earlier and rng.random() < DUPLICATES:
            base = rng.choice(earlier)
            theme, lang = str(base["theme"]), str(base["lang"])
            text = _variant(rng, str(base["text"]), lang)
            duplicates += 1
        else:
            text = _text(rng, theme, lang)
        channel = rng.choices(channels, channel_w)[0]
        receipt = None
        if channel == "web":
            code = receipts.new_code()
            receipt = receipts.code_hash(key, code)
            if len(sample) < 5:
                sample.append(code)
        moment = now - timedelta(seconds=rng.randrange(90 * 86400))
        rows.append({"id": f"p-{i:010x}", "external_id": None if channel == "web" else f"demo-{i}",
                     "receipt_hash": receipt, "text": text, "kato": kato, "age_group": rng.choices(ages, age_w)[0],
                     "channel": channel, "lang": lang, "theme": theme, "confidence": None, "theme_by_person": False,
                     "contact": f"+7 700 {rng.randrange(10**7):07d}" if rng.random() < 0.3 else None,
                     "status": "new", "hidden_reason": None, "merged_into": None, "not_taken_reason": None,
                     "duplicate_group": None, "synthetic": True, "submitted_at": moment, "updated_at": now})
        written.append(text)
        earlier.append(rows[-1])
        del earlier[:-20]
    for row, (predicted, confidence) in zip(rows, themes.classify(written), strict=True):
        if predicted is not None:
            row["theme"], row["confidence"] = predicted, confidence
    session.execute(insert(Proposal), rows)
    session.commit()
    acts = _moderate(session, central, rng, [str(r["id"]) for r in rows], now)
    grouping.regroup(session)
    session.commit()
    groups = session.scalar(select(func.count(func.distinct(Proposal.duplicate_group)))) or 0
    return DemoProposals(count, duplicates, groups, acts["hide"], acts["merge"], acts["answered"],
                         acts["not_taken"], tuple(sample), round(time.perf_counter() - started, 1))


def _moderate(session: Session, central: Actor, rng: random.Random, ids: list[str], now: datetime) -> dict[str, int]:
    done = {"hide": 0, "merge": 0, "answered": 0, "not_taken": 0}
    answers: dict[str, list[str]] = {}  # territory -> the commitments of the programmes covering it (the demo's)
    picked = rng.sample(ids, int(len(ids) * (HIDDEN + MERGED + ANSWERED + NOT_TAKEN_SHARE)))
    cut_hide = int(len(ids) * HIDDEN)
    cut_merge = cut_hide + int(len(ids) * MERGED)
    cut_answer = cut_merge + int(len(ids) * ANSWERED)
    for n, pid in enumerate(picked):
        moment = now - timedelta(minutes=len(picked) - n)
        if n < cut_hide:
            moderation.moderate(session, central, pid, "hide", reason=rng.choice(rules.HIDE_REASONS), now=moment)
            done["hide"] += 1
        elif n < cut_merge:
            into = rng.choice(picked[cut_merge:cut_answer])
            moderation.moderate(session, central, pid, "merge", into=into, now=moment)
            done["merge"] += 1
        elif n < cut_answer:
            proposal = moderation.get(session, pid)
            offered = answers.setdefault(proposal.kato, references.commitments_for(session, proposal.kato))
            if not offered:  # no programme covers its territory in the database: not taken up instead
                moderation.link(session, central, pid, "not_taken", reason=rng.choice(NOT_TAKEN), now=moment)
                done["not_taken"] += 1
                continue
            moderation.link(session, central, pid, "answered", commitments=[rng.choice(offered)], now=moment)
            done["answered"] += 1
        else:
            moderation.link(session, central, pid, "not_taken", reason=rng.choice(NOT_TAKEN), now=moment)
            done["not_taken"] += 1
    return done
