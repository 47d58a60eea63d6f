"""Procurement red flags of the stored OCDS releases, by region, for the region pages and the API (issue 12,
items 5 and 7).

The flags are computed over every stored release at once (the outlier fences of R024, R025, R038, R048 and R058
are quartiles of the whole population, as in Cardinal), every indicator with its defaults, once per stored data
version; a region's page shows the results of its processes (by the buyer's region, or the region of the
programme item a process is linked to), of its buyers and of the tenderers that bid in it, each with the
evidence: the process's buyer, title, value and the programme item it is linked to.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.control.procurement import FlagResult, ProcurementSettings, compute_flags
from tandau.io.ocds import parse_release
from tandau.services.control.data import data_version, db_key
from tandau.services.primaries.access import Action, Actor, require
from tandau.store.control_models import ControlLink, ControlRelease

_CACHE: OrderedDict[tuple[str, tuple[int, int]], tuple[FlagResult, dict[str, Mapping[str, Any]]]] = OrderedDict()
_LOCK = Lock()


@dataclass(frozen=True, slots=True)
class Process:
    """What a finding is about: a contracting process with its buyer, region, title, value and programme item."""

    ocid: str
    buyer_id: str
    buyer_name: str
    region: str | None
    title: str
    amount: float | None
    currency: str | None
    programme: str
    indicator: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One procurement flag: its code, group (OCID, Buyer, ProcuringEntity, Tenderer), identifier and value, and
    the region's processes it concerns (for a Buyer or Tenderer: those of that organisation in the region)."""

    code: str
    group: str
    id: str
    value: float
    processes: tuple[Process, ...]


@dataclass(frozen=True, slots=True)
class RegionProcurement:
    """A region's findings and the fences they were measured against (Cardinal's ``Meta``)."""

    region: str
    findings: tuple[Finding, ...]
    meta: Mapping[str, Mapping[str, float]]
    processes: int


def _computed(session: Session) -> tuple[FlagResult, dict[str, Mapping[str, Any]]]:
    key = (db_key(session), data_version(session))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            return hit
    releases: dict[str, Mapping[str, Any]] = {}
    for ocid, text in session.execute(select(ControlRelease.ocid, ControlRelease.content)
                                      .order_by(ControlRelease.import_id, ControlRelease.ocid)):
        release = parse_release(text.encode("utf-8"))
        if isinstance(release, dict):
            releases[ocid] = release
    result = compute_flags(releases.values(), ProcurementSettings.all_indicators())
    with _LOCK:
        _CACHE[key] = (result, releases)
        while len(_CACHE) > 4:
            _CACHE.popitem(last=False)
    return result, releases


def _value(release: Mapping[str, Any]) -> tuple[float | None, str | None]:
    for part in ("contracts", "awards"):
        for item in release.get(part) or ():
            if isinstance(item, dict) and item.get("status") == "active" and isinstance(item.get("value"), dict):
                v = item["value"]
                if isinstance(v.get("amount"), int | float):
                    return float(v["amount"]), v.get("currency")
    tender = release.get("tender") or {}
    v = tender.get("value") if isinstance(tender, dict) else None
    if isinstance(v, dict) and isinstance(v.get("amount"), int | float):
        return float(v["amount"]), v.get("currency")
    return None, None


def _tenderers(release: Mapping[str, Any]) -> Iterator[str]:
    bids = release.get("bids")
    for bid in (bids.get("details") or ()) if isinstance(bids, dict) else ():
        for t in (bid.get("tenderers") or ()) if isinstance(bid, dict) else ():
            if isinstance(t, dict) and t.get("id") is not None:
                yield str(t["id"])


def region_procurement(session: Session, actor: Actor, region: str) -> RegionProcurement:
    """The procurement flags of one region (see the module's docstring)."""
    require(actor, Action.CONTROL_VIEW, region)
    result, releases = _computed(session)
    stored = {ocid: (buyer, reg) for ocid, buyer, reg in session.execute(
        select(ControlRelease.ocid, ControlRelease.buyer_id, ControlRelease.region))}
    links = {link.ocid: link for link in session.scalars(select(ControlLink))}
    processes: dict[str, Process] = {}
    for ocid, (buyer_id, buyer_region) in stored.items():
        link = links.get(ocid)
        where = link.region if link is not None and link.region else buyer_region
        if where != region or ocid not in releases:
            continue
        release = releases[ocid]
        buyer, tender = release.get("buyer"), release.get("tender")
        name = buyer.get("name") if isinstance(buyer, dict) else None
        title = tender.get("title") if isinstance(tender, dict) else None
        amount, currency = _value(release)
        programme, indicator = (link.programme, link.indicator) if link is not None else ("", "")
        processes[ocid] = Process(ocid, buyer_id or "", str(name or ""), where, str(title or ""), amount, currency,
                                  programme, indicator)
    by_buyer: dict[str, list[Process]] = {}
    by_tenderer: dict[str, list[Process]] = {}
    for p in processes.values():
        by_buyer.setdefault(p.buyer_id, []).append(p)
        for t in set(_tenderers(releases[p.ocid])):
            by_tenderer.setdefault(t, []).append(p)
    findings: list[Finding] = []
    for group, ident, concerned in _entries(result, processes, by_buyer, by_tenderer):
        for code, value in sorted(result.results[group][ident].items()):
            findings.append(Finding(code, group, ident, value, tuple(concerned)))
    findings.sort(key=lambda f: (f.code, f.group, f.id))
    return RegionProcurement(region, tuple(findings), result.meta, len(processes))


def _entries(result: FlagResult, processes: Mapping[str, Process], by_buyer: Mapping[str, list[Process]],
             by_tenderer: Mapping[str, list[Process]]) -> Iterator[tuple[str, str, list[Process]]]:
    for ident in result.results.get("OCID", {}):
        if ident in processes:
            yield "OCID", ident, [processes[ident]]
    for group in ("Buyer", "ProcuringEntity"):
        for ident in result.results.get(group, {}):
            if ident in by_buyer:
                yield group, ident, by_buyer[ident]
    for ident in result.results.get("Tenderer", {}):
        if ident in by_tenderer:
            yield "Tenderer", ident, by_tenderer[ident]
