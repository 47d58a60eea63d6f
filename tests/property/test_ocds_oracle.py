"""Procurement red flags against a slow, direct reading of each indicator's definition (Cardinal's).

The generator makes releases that fire every indicator (and trip every exclusion: cancelled tenders, excluded and
non-price-comparing method details, non-final awards, several suppliers or tenderers, other currencies, 1.0 for
one tenderer). The oracle reads each definition literally, release by release, with plain loops and numpy's
median-unbiased quantiles; the engine must agree exactly (the values are compared to 1e-12).
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tandau.core.control.procurement import ProcurementSettings, compute_flags, settings_from_tables

CODES = {"R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058"}
TABLES = {
    "no_price_comparison_procurement_methods": "NPC", "exclusions": {"procurement_method_details": "EXC"},
    **{code: {} for code in CODES}, "R048": {"minimum_contracting_processes": "2"},
}


# ---------------------------------------------------------------- generator

def _org(rng: random.Random, pool: str, k: int = 6) -> dict[str, Any]:
    return {"id": f"{pool}{rng.randrange(k)}"}


def _tenderer(rng: random.Random) -> dict[str, Any]:
    """Ten ordinary tenderers, "L" who bids often and never wins (R025) and "X" who is mostly disqualified."""
    roll = rng.random()
    return {"id": "L" if roll < 0.15 else "X" if roll < 0.25 else f"T{rng.randrange(10)}"}


def _date(rng: random.Random) -> str:
    return rng.choice([f"2000-03-{d:02d}T{h:02d}:00:00Z" for d in (1, 10, 15, 16, 30) for h in (0, 18)]
                      + ["2000-03-15T01:00:00+05:00", "invalid"])


def _status(rng: random.Random, tenderer: str, buyer: str) -> str:
    if tenderer == "X" or (buyer == "BX" and rng.random() < 0.7):
        return "disqualified" if rng.random() < 0.9 else "valid"
    return rng.choice(["valid"] * 6 + ["disqualified", "pending", "invited", "withdrawn"])


def make_release(rng: random.Random, n: int) -> Any:
    if rng.random() < 0.02:
        return rng.choice([[1], "x", None])
    tender: dict[str, Any] = {}
    release: dict[str, Any] = {"ocid": f"o{n}" if rng.random() > 0.02 else n, "tender": tender}
    if rng.random() < 0.05:
        tender["status"] = "cancelled"
    if rng.random() < 0.3:
        tender["procurementMethodDetails"] = rng.choice(["NPC", "EXC", "x"])
    if rng.random() < 0.8:
        tender["procurementMethod"] = rng.choice(["open", "selective", "limited", "direct"])
    tender["numberOfTenderers"] = rng.choice([1, 1, 1.0, 2, True])
    tender["tenderPeriod"] = {"startDate": _date(rng), "endDate": _date(rng)}
    buyer = rng.choice(["B0", "B1", "B2", "B3", "BX"])
    if rng.random() < 0.8:
        release["buyer"] = {"id": buyer}
    if rng.random() < 0.7:
        tender["procuringEntity"] = _org(rng, "P", 4)
    details = []
    for _ in range(rng.randrange(6)):
        bid: dict[str, Any] = {"date": _date(rng)}
        if rng.random() < 0.95:
            bid["tenderers"] = [_tenderer(rng) for _ in range(rng.choice([1, 1, 1, 1, 1, 2]))]
        bid["status"] = _status(rng, bid.get("tenderers", [{"id": ""}])[0]["id"], buyer)
        if rng.random() < 0.9:
            bid["value"] = {"amount": 0, "currency": "USD" if rng.random() < 0.97 else "CAD"}
        details.append(bid)
    if details or rng.random() < 0.5:
        release["bids"] = {"details": details}
    awards = []
    for _ in range(rng.choice([0, 1, 1, 1, 1, 1, 2])):
        statuses = ["active"] * 8 + ["cancelled", "unsuccessful", "pending", "invalid"]
        award: dict[str, Any] = {"status": rng.choice(statuses)}
        winners = [b["tenderers"][0] for b in details if "tenderers" in b and b["status"] == "valid"
                   and b["tenderers"][0]["id"] != "L"]
        supplier = rng.choice(winners) if winners and rng.random() < 0.9 else {"id": "H"}
        award["suppliers"] = [supplier] + ([_tenderer(rng)] if rng.random() < 0.05 else [])
        # "H" supplies anything (R048); the others one division each
        own = supplier["id"][-1] + "0"
        award["items"] = [{"classification": {"id": f"{rng.randrange(10) if own == 'H0' else own}"
                                                    f"{rng.randrange(3)}00000"}} for _ in range(rng.randrange(3))]
        awards.append(award)
    if awards or rng.random() < 0.5:
        release["awards"] = awards
    _price(rng, details, awards[0]["suppliers"][0]["id"] if awards else "")
    return release


def _price(rng: random.Random, details: list[dict[str, Any]], supplier: str) -> None:
    """The supplier bids 100 (1 for a heavy discount, R058), the others 110-115 (101 close to it, R024); one bid
    in ten anything."""
    for bid in details:
        if "value" not in bid:
            continue
        if rng.random() < 0.1:
            amount: float = rng.choice([1, 100, 101, 110, 120])
        elif bid.get("tenderers", [{"id": ""}])[0]["id"] == supplier:
            amount = 1 if rng.random() < 0.03 else 100
        else:
            amount = 101 if rng.random() < 0.05 else rng.choice([110, 111, 112, 113, 114, 115])
        bid["value"]["amount"] = amount * rng.choice([1, 1, 1, 1.0])


# ---------------------------------------------------------------- oracle

def q8(values: list[float], tau: float) -> float:
    return float(np.quantile(values, tau, method="median_unbiased")) if values else math.nan


def seconds(text: str) -> float | None:
    from datetime import datetime
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if "T" in text else None
    except ValueError:
        return None


def oracle(releases: list[Any], s: ProcurementSettings) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {g: {} for g in ("OCID", "Buyer", "ProcuringEntity", "Tenderer")}

    def put(group: str, key: str, code: str, value: float) -> None:
        out[group].setdefault(key, {})[code] = value

    kept = [r for r in releases if isinstance(r, dict) and isinstance(r.get("ocid"), str)
            and r["tender"].get("status") != "cancelled"
            and r["tender"].get("procurementMethodDetails") not in s.excluded_details]
    currency = s.currency
    ratios: dict[str, tuple[float, str, str]] = {}
    wins: dict[str, list[int]] = {}
    disq: dict[tuple[str, str], list[int]] = {}
    varieties: dict[str, tuple[set[str], set[str]]] = {}
    for r in kept:
        ocid, tender = r["ocid"], r["tender"]
        bids = r.get("bids", {}).get("details") if "bids" in r else None
        awards = r.get("awards")
        method = tender.get("procurementMethod")
        pmd = tender.get("procurementMethodDetails")
        price = pmd in s.price_comparison if s.price_comparison else pmd not in s.no_price_comparison
        final = awards is not None and bids is not None and all(
            a["status"] in ("active", "cancelled", "unsuccessful") for a in awards)
        active = [a for a in awards or [] if a["status"] == "active"]
        submitted = [b for b in bids or [] if b["status"] not in ("invited", "withdrawn")]
        # R003: whole days of the tender period, truncated, under the threshold (per method details)
        start, end = (seconds(tender["tenderPeriod"][k]) for k in ("startDate", "endDate"))
        limit = s.r003_details.get(pmd, s.r003_threshold) if pmd is not None else s.r003_threshold
        if (not s.r003_methods or method in s.r003_methods) and start is not None and end is not None \
                and math.trunc((end - start) / 86400) < limit:
            put("OCID", ocid, "R003", 1.0)
        # R018: exactly the integer 1 tenderer in an admitted procedure (open or selective by default)
        n = tender["numberOfTenderers"]
        if (not s.r018_methods or method in s.r018_methods) and type(n) is int and n == 1:
            put("OCID", ocid, "R018", 1.0)
        single = final and len(active) == 1 and len(active[0]["suppliers"]) == 1
        # R024/R058 input: winner's lowest and the others' lowest single-tenderer valid bids, main currency
        if single and price:
            supplier = active[0]["suppliers"][0]["id"]
            priced = [b for b in bids if b["status"] == "valid" and "value" in b and len(b.get("tenderers", [])) == 1]
            own, others = [], []
            for b in priced:
                currency = currency or b["value"]["currency"]
                if b["value"]["currency"] == currency:
                    (own if b["tenderers"][0]["id"] == supplier else others).append(
                        (float(b["value"]["amount"]), b["tenderers"][0]["id"]))
            if own and others:
                lowest_other = min(others, key=lambda x: x[0])  # the first of equal lowest
                if lowest_other[0] >= min(own)[0]:
                    w = min(own)[0]
                    ratios[ocid] = ((lowest_other[0] - w) / w, supplier, lowest_other[1])
        # R025: per tenderer, won / processes with a valid bid
        if single:
            supplier = active[0]["suppliers"][0]["id"]
            for t in {b["tenderers"][0]["id"] for b in bids if b["status"] == "valid"
                      and len(b.get("tenderers", [])) == 1}:
                wins.setdefault(t, [0, 0])
                wins[t][0] += t == supplier
                wins[t][1] += 1
        # R028: same price (amount, currency), different sets of tenderers
        if price:
            seen: list[tuple[tuple[float, str], frozenset[str]]] = []
            for b in submitted:
                ids = frozenset(t["id"] for t in b.get("tenderers", []))
                if ids and "value" in b:
                    key = (float(b["value"]["amount"]), b["value"]["currency"])
                    previous = [i for k, i in seen if k == key]
                    if previous and previous[-1] != ids:
                        put("OCID", ocid, "R028", 1.0)
                        for t in ids | previous[-1]:
                            put("Tenderer", t, "R028", 1.0)
                    seen.append((key, ids))
        # R030: a valid bid dated (as a string) after the end date, by an active supplier
        if awards is not None and bids is not None:
            winners = {s_["id"] for a in active for s_ in a["suppliers"]}
            for b in bids:
                if b["status"] == "valid" and b["date"] > tender["tenderPeriod"]["endDate"]:
                    for t in b.get("tenderers", []):
                        if t["id"] in winners:
                            put("OCID", ocid, "R030", 1.0)
                            put("Tenderer", t["id"], "R030", 1.0)
        # R035: one valid tenderer = the active suppliers; others disqualified
        if final:
            valid = {t["id"] for b in bids if b["status"] == "valid" for t in b.get("tenderers", [])}
            dq = {t["id"] for b in bids if b["status"] == "disqualified" for t in b.get("tenderers", [])}
            winners = {s_["id"] for a in active for s_ in a["suppliers"]}
            if len(valid) == 1 and valid == winners and len(dq - valid) >= s.r035_threshold:
                put("OCID", ocid, "R035", float(len(dq - valid)))
                put("Tenderer", next(iter(valid)), "R035", 0.0)
        # R036: the first lowest submitted bid (main currency) is disqualified, with an active award
        if price and active:
            priced = []
            for b in submitted:
                if "value" in b:
                    currency = currency or b["value"]["currency"]
                    if b["value"]["currency"] == currency:
                        priced.append(b)
            if any(b["status"] == "valid" for b in priced):
                lowest = min(priced, key=lambda b: float(b["value"]["amount"]))
                if lowest["status"] == "disqualified":
                    put("OCID", ocid, "R036", 1.0)
        # R038: disqualified / submitted bids per organisation (sums)
        if submitted:
            d = sum(b["status"] == "disqualified" for b in submitted)
            for group, org in (("Buyer", r.get("buyer")), ("ProcuringEntity", tender.get("procuringEntity"))):
                if org:
                    disq.setdefault((group, org["id"]), [0, 0])
                    disq[group, org["id"]][0] += d
                    disq[group, org["id"]][1] += len(submitted)
            for b in submitted:
                for t in b.get("tenderers", []):
                    disq.setdefault(("Tenderer", t["id"]), [0, 0])
                    disq["Tenderer", t["id"]][0] += b["status"] == "disqualified"
                    disq["Tenderer", t["id"]][1] += 1
        # R048: processes and two-digit prefixes of items per single supplier of an active award
        for a in active:
            if len(a["suppliers"]) == 1 and a["items"]:
                processes, prefixes = varieties.setdefault(a["suppliers"][0]["id"], (set(), set()))
                processes.add(ocid)
                prefixes.update(i["classification"]["id"][:s.r048_digits] for i in a["items"])
    values = [v[0] for v in ratios.values()]
    q1, q3 = q8(values, 0.25), q8(values, 0.75)
    low, q1_ok = (q1 - 1.5 * (q3 - q1), q1 > 0) if s.r024_threshold is None else (s.r024_threshold, True)
    high = q3 + 1.5 * (q3 - q1) if s.r058_threshold is None else s.r058_threshold
    for ocid, (ratio, winner, loser) in ratios.items():
        if q1_ok and low > 0 and ratio <= low:
            put("OCID", ocid, "R024", ratio)
            put("Tenderer", winner, "R024", 0.0)
            put("Tenderer", loser, "R024", 0.0)
        if high > 0 and ratio >= high:
            put("OCID", ocid, "R058", ratio)
            put("Tenderer", winner, "R058", 0.0)
    top = q8([float(v[1]) for v in wins.values()], s.r025_percentile / 100)
    shares = [v[0] / v[1] for v in wins.values()]
    q1, q3 = q8(shares, 0.25), q8(shares, 0.75)
    low, q1_ok = (q1 - 1.5 * (q3 - q1), q1 > 0) if s.r025_threshold is None else (s.r025_threshold, True)
    for t, (won, valid_) in wins.items():
        if q1_ok and low > 0 and valid_ >= top and won / valid_ <= low:
            put("Tenderer", t, "R025", won / valid_)
    for group in ("Buyer", "ProcuringEntity", "Tenderer"):
        minimum = s.r038_minimum_bids if group == "Tenderer" else s.r038_minimum_processes
        group_ratios = {k: v[0] / v[1] for (g, k), v in disq.items() if g == group and v[1] >= minimum}
        q1, q3 = q8(list(group_ratios.values()), 0.25), q8(list(group_ratios.values()), 0.75)
        high = q3 + 1.5 * (q3 - q1) if s.r038_threshold is None else s.r038_threshold
        for k, ratio in group_ratios.items():
            if high > 0 and ratio >= high:
                put(group, k, "R038", ratio)
    counts = {k: float(len(p)) for k, (procs, p) in varieties.items() if len(procs) >= s.r048_minimum_processes}
    q1, q3 = q8(list(counts.values()), 0.25), q8(list(counts.values()), 0.75)
    high = q3 + 1.5 * (q3 - q1) if s.r048_threshold is None else s.r048_threshold
    for k, count in counts.items():
        if count >= high:
            put("Tenderer", k, "R048", count)
    return {g: v for g, v in out.items() if v}


def _same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert {g: {k: set(v) for k, v in ids.items()} for g, ids in got.items()} == \
        {g: {k: set(v) for k, v in ids.items()} for g, ids in want.items()}
    for g, ids in want.items():
        for k, values in ids.items():
            for code, value in values.items():
                assert math.isclose(got[g][k][code], value, rel_tol=1e-12, abs_tol=1e-12), (g, k, code)


def _releases(seed: int, count: int) -> list[Any]:
    rng = random.Random(seed)
    return [make_release(rng, n) for n in range(count)]


def test_a_generated_file_fires_every_indicator_and_matches_the_oracle() -> None:
    releases = _releases(10, 600)
    s = settings_from_tables(TABLES)
    got = compute_flags(releases, s).as_dict(meta=False)
    fired = {code for group in got.values() for values in group.values() for code in values}  # type: ignore[attr-defined]
    assert fired == CODES
    _same(got, oracle(releases, s))


def _maybe(value: str) -> st.SearchStrategy[str | None]:
    return st.sampled_from([None, value])


@st.composite
def setting_tables(draw: st.DrawFn) -> dict[str, Any]:
    """Cardinal settings with each parameter either its default or another value."""
    tables: dict[str, Any] = {code: {} for code in CODES}
    tables["exclusions"] = {"procurement_method_details": "EXC"}
    if draw(st.booleans()):
        tables["price_comparison_procurement_methods"] = "x"
    else:
        tables["no_price_comparison_procurement_methods"] = "NPC"
    if draw(st.booleans()):
        tables["currency"] = "CAD"
    options = {
        ("R003", "threshold"): "10", ("R003", "procurement_methods"): "open|selective",
        ("R018", "procurement_methods"): "open|limited|", ("R024", "threshold"): "0.05",
        ("R025", "percentile"): "50", ("R025", "threshold"): "0.2", ("R035", "threshold"): "2",
        ("R038", "threshold"): "0.3", ("R038", "minimum_submitted_bids"): "4",
        ("R038", "minimum_contracting_processes"): "1", ("R048", "digits"): "1", ("R048", "threshold"): "2",
        ("R048", "minimum_contracting_processes"): "1", ("R058", "threshold"): "0.5",
    }
    for (code, key), value in options.items():
        chosen = draw(_maybe(value))
        if chosen is not None:
            tables[code][key] = chosen
    if draw(st.booleans()):
        tables["R003"]["procurement_method_details"] = {"x": "1", "NPC": "20"}
    return tables


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32), count=st.integers(1, 150), tables=setting_tables())
def test_engine_equals_the_direct_reading(seed: int, count: int, tables: dict[str, Any]) -> None:
    releases = _releases(seed, count)
    s = settings_from_tables(tables)
    _same(compute_flags(releases, s).as_dict(meta=False), oracle(releases, s))
