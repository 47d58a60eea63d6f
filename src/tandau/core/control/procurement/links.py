"""Contracting processes linked to programme items by buyer, region and classification (issue 12, scope 5).

A :class:`Rule` says "processes of this buyer, in this region, with an item classified under this prefix belong
to this programme's indicator"; an empty criterion matches anything. Every rule whose criteria all match a
release is a candidate; the most specific wins: a buyer given beats any buyer, then the longer classification
prefix, then a region given. Candidates that tie at the top and name different (programme, indicator) make the
process ``ambiguous``; no candidate makes it ``unmatched``. A ``manual`` link (the user's correction) is kept as
it is on every later run. Pure: parsed releases (JSON objects) in, frozen :class:`Link` rows out.

- **Buyer**: ``buyer.id``, else the id of the first party with the role ``buyer``; a rule's ``buyer_id`` matches
  that id or the buyer's ``identifier.id`` (a BIN as well as ``KZ-BIN-…``).
- **Region**: the buyer party's ``address.region`` (or ``buyer.address.region`` in OCDS 1.0 releases) when it
  is a 9-digit KATO code; a code of any place counts in its region (its first two digits, then seven zeros), if
  that region is one of ``regions``. Otherwise the region is unknown (``""``) and only rules without a region match.
- **Classification**: ``classification.id`` of the items of the tender, of every award and of every contract
  (trimmed). ``additionalClassifications`` are not read: they are usually another scheme, whose codes could
  share a prefix with the main scheme's by accident.
- **Amount** (KZT, exact): the sum over signed contracts (status ``active`` or ``terminated``, OCDS's
  "signed and in force, now come to a close"), else over active awards, else the tender's estimate (none for a
  cancelled, unsuccessful or withdrawn tender). The first of these with an amount decides: if one of its entries
  has no amount or is not in KZT, the amount is ``None`` and the note says why (never a partial sum).

>>> r = {"ocid": "o1", "buyer": {"id": "B1", "name": "Akimat"},
...      "parties": [{"id": "B1", "roles": ["buyer"], "address": {"region": "750000000"}}],
...      "tender": {"items": [{"classification": {"id": "45210000-2"}}], "value": {"amount": 100, "currency": "KZT"}}}
>>> rules = [Rule("roads", "km", classification="4521", row=2), Rule("water", "km", region="750000000", row=3)]
>>> link = link_releases([r], rules)[0]
>>> link.programme, link.region, link.amount_kzt, link.status, link.rule
('roads', '750000000', Decimal('100'), 'linked', '2')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

__all__ = [
    "AMOUNT_CHANGED", "NOT_IN_RELEASES", "STATUSES", "Link", "Rule", "Status", "link_releases", "linked_totals",
    "status_counts",
]

Status = Literal["linked", "ambiguous", "unmatched", "manual"]
STATUSES: tuple[Status, ...] = ("linked", "ambiguous", "unmatched", "manual")
SIGNED_CONTRACT = frozenset({"active", "terminated"})
NO_TENDER = frozenset({"cancelled", "unsuccessful", "withdrawn"})
#: remarks the linker adds to a kept manual row's note (removed and recomputed on every run)
NOT_IN_RELEASES = "not in the releases of this run"
AMOUNT_CHANGED = "the releases now give amount_kzt "


@dataclass(frozen=True, slots=True)
class Rule:
    """Processes matching every non-empty criterion belong to (programme, indicator).

    ``region``: a 9-digit KATO region code; ``buyer_id``: the buyer's id or identifier; ``classification``: a
    prefix of an item's classification id (CPV ``4521``). ``row``: where the rule was read (``Link.rule``).
    """

    programme: str
    indicator: str
    region: str = ""
    buyer_id: str = ""
    classification: str = ""
    row: int = 0

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Buyer given, then the prefix's length, then region given: the larger wins."""
        return (1 if self.buyer_id else 0, len(self.classification), 1 if self.region else 0)


@dataclass(frozen=True, slots=True)
class Link:
    """One contracting process (one row of LINKS.csv). ``programme`` and ``indicator`` are empty unless the
    process is linked (or a manual row links it); ``rule`` names the winning rules' rows (``|``-separated)."""

    ocid: str
    buyer_id: str
    buyer_name: str
    region: str
    programme: str
    indicator: str
    amount_kzt: Decimal | None
    status: Status
    rule: str
    note: str


def _text(value: object) -> str:
    if type(value) is str:
        return value.strip()
    if type(value) is int:
        return str(value)
    return ""


def _dict(value: object) -> dict[str, Any]:
    return value if type(value) is dict else {}


def _list(value: object) -> list[Any]:
    return value if type(value) is list else []


def _buyer(release: dict[str, Any], regions: Collection[str] | None) -> tuple[str, tuple[str, ...], str, str, str]:
    """(id, the ids a rule may name, name, region, note about the region)."""
    buyer = _dict(release.get("buyer"))
    buyer_id = _text(buyer.get("id"))
    party: dict[str, Any] = {}
    for candidate in _list(release.get("parties")):
        if type(candidate) is not dict:
            continue
        if buyer_id:
            if _text(candidate.get("id")) == buyer_id:
                party = candidate
                break
        elif "buyer" in _list(candidate.get("roles")):
            party = candidate
            break
    if not buyer_id:
        buyer_id = _text(party.get("id"))
    identifier = _text(_dict(party.get("identifier")).get("id")) or _text(_dict(buyer.get("identifier")).get("id"))
    if not buyer_id:
        buyer_id = identifier
    keys = tuple(k for k in dict.fromkeys((buyer_id, identifier)) if k)
    name = _text(buyer.get("name")) or _text(party.get("name"))
    address = _dict(party.get("address")) or _dict(buyer.get("address"))
    raw = address.get("region")
    code = _text(raw)
    if not code:
        what = "no buyer" if not (buyer or party) else "the buyer has no address.region"
        return buyer_id, keys, name, "", f"region unknown: {what}"
    if len(code) != 9 or not code.isdigit():
        return buyer_id, keys, name, "", f"region unknown: address.region {code!r} is not a 9-digit KATO code"
    region = code[:2] + "0000000"
    if region == "000000000" or (regions is not None and region not in regions):
        return buyer_id, keys, name, "", f"region unknown: address.region {code} is in no known region"
    return buyer_id, keys, name, region, ""


def _classifications(release: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    holders = [release.get("tender"), *_list(release.get("awards")), *_list(release.get("contracts"))]
    for holder in holders:
        items = holder.get("items") if type(holder) is dict else None
        if type(items) is not list:
            continue
        for item in items:
            classification = item.get("classification") if type(item) is dict else None
            if type(classification) is dict:
                code = _text(classification.get("id"))
                if code:
                    out.add(code)
    return out


def _value(entry: dict[str, Any]) -> tuple[Decimal | None, str]:
    value = _dict(entry.get("value"))
    raw = value.get("amount")
    currency = value.get("currency")
    amount: Decimal | None = None
    try:
        if type(raw) is int or type(raw) is str:
            amount = Decimal(raw)
        elif type(raw) is float:
            amount = Decimal(repr(raw))
    except InvalidOperation:
        amount = None
    if amount is not None and (not amount.is_finite() or amount < 0):
        amount = None
    return amount, currency.strip().upper() if type(currency) is str else ""


def _amount(release: dict[str, Any]) -> tuple[Decimal | None, str]:
    """The process's amount in KZT and where it comes from (or why there is none)."""
    tender = _dict(release.get("tender"))
    levels = (
        ("signed contract", [c for c in map(_dict, _list(release.get("contracts")))
                             if type(c.get("status")) is str and c["status"] in SIGNED_CONTRACT]),
        ("active award", [a for a in map(_dict, _list(release.get("awards"))) if a.get("status") == "active"]),
    )
    for what, entries in levels:
        if not entries:
            continue
        values = [_value(e) for e in entries]
        priced = [(amount, currency) for amount, currency in values if amount is not None]
        if not priced:
            continue
        if len(priced) < len(values):
            return None, f"no amount: {len(values) - len(priced)} of {len(values)} {what}s without a valid amount"
        foreign = sorted({currency or "no currency" for _, currency in priced if currency != "KZT"})
        if foreign:
            return None, f"no amount: {what}s in {', '.join(foreign)}, not KZT"
        return sum((amount for amount, _ in priced), Decimal(0)), f"amount of {len(priced)} {what}(s)"
    status = tender.get("status")
    if type(status) is str and status in NO_TENDER:
        return None, f"no amount: no signed contract or active award, tender {status}"
    amount, currency = _value(tender)
    if amount is None:
        return None, "no amount in the contracts, awards or tender"
    if currency != "KZT":
        return None, f"no amount: tender estimate in {currency or 'no currency'}, not KZT"
    return amount, "amount: tender estimate"


class _Index:
    """Rules by (region, buyer), then by classification prefix; per bucket, its prefix lengths, longest first."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.buckets: dict[tuple[str, str], dict[str, list[tuple[int, Rule]]]] = {}
        for position, rule in enumerate(rules, start=1):
            bucket = self.buckets.setdefault((rule.region, rule.buyer_id), {})
            bucket.setdefault(rule.classification, []).append((rule.row or position, rule))
        self.lengths = {key: sorted({len(p) for p in bucket}, reverse=True) for key, bucket in self.buckets.items()}

    def best(self, region: str, buyers: tuple[str, ...], classes: set[str]) -> list[tuple[str, Rule]]:
        """The matching rules of the highest specificity, with their labels, by row.

        Within a bucket every rule has the same buyer and region flags, so its longest matching prefix is its
        best; a bucket's search stops there, or as soon as it cannot beat what another bucket found."""
        top: tuple[int, int, int] = (-1, -1, -1)
        found: list[tuple[int, Rule]] = []
        prefixes_of: dict[int, set[str]] = {0: {""}}
        for buyer in (*buyers, ""):
            for place in (region, "") if region else ("",):
                bucket = self.buckets.get((place, buyer))
                if bucket is None:
                    continue
                for length in self.lengths[(place, buyer)]:
                    spec = (1 if buyer else 0, length, 1 if place else 0)
                    if spec < top:
                        break
                    prefixes = prefixes_of.get(length)
                    if prefixes is None:
                        prefixes = prefixes_of[length] = {c[:length] for c in classes if len(c) >= length}
                    hits = [hit for prefix in prefixes for hit in bucket.get(prefix, ())]
                    if hits:
                        if spec > top:
                            top, found = spec, hits
                        elif spec == top:
                            found.extend(hits)
                        break
        return [(str(label), rule) for label, rule in sorted(found, key=lambda hit: hit[0])]


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _link(release: Any, index: _Index, regions: Collection[str] | None) -> Link | None:
    """The link of one release (``None`` if it is not an object with a string ``ocid``)."""
    if type(release) is not dict or type(release.get("ocid")) is not str:
        return None
    ocid: str = release["ocid"]
    buyer_id, keys, name, region, region_note = _buyer(release, regions)
    amount, amount_note = _amount(release)
    best = index.best(region, keys, _classifications(release))
    targets = dict.fromkeys((rule.programme, rule.indicator) for _, rule in best)
    rules = "|".join(dict.fromkeys(label for label, _ in best))
    if not best:
        return Link(ocid, buyer_id, name, region, "", "", amount, "unmatched", "", _join(region_note, amount_note))
    if len(targets) > 1:
        listed = ", ".join(f"{p}/{i} (rule {'|'.join(lab for lab, r in best if (r.programme, r.indicator) == (p, i))})"
                           for p, i in targets)
        return Link(ocid, buyer_id, name, region, "", "", amount, "ambiguous", rules,
                    _join(f"candidates: {listed}", region_note, amount_note))
    rule = best[0][1]
    return Link(ocid, buyer_id, name, region, rule.programme, rule.indicator, amount, "linked", rules,
                _join(region_note, amount_note))


def _kept(manual: Link, fresh: Link | None) -> Link:
    """A manual row as the user left it, with the linker's remarks about the current releases."""
    own = [p for p in manual.note.split("; ") if p and p != NOT_IN_RELEASES and not p.startswith(AMOUNT_CHANGED)]
    if fresh is None:
        own.append(NOT_IN_RELEASES)
    elif fresh.amount_kzt != manual.amount_kzt:
        own.append(AMOUNT_CHANGED + ("none" if fresh.amount_kzt is None else format(fresh.amount_kzt, "f")))
    return replace(manual, note="; ".join(own))


def link_releases(releases: Iterable[Any], rules: Iterable[Rule], corrections: Iterable[Link] = (), *,
                  regions: Collection[str] | None = None) -> tuple[Link, ...]:
    """One link per ``ocid`` (a later release of the same ``ocid`` replaces an earlier one), in the order the
    ocids first appear, then the ``manual`` corrections whose ocid is in no release. A ``manual`` correction
    replaces its ocid's computed link as it is (its note gains the linker's remarks: a changed amount, or the
    ocid missing from the releases); other corrections are ignored. ``regions``: the valid region codes
    (``None``: any ``NN0000000``). Releases that are not objects with a string ``ocid`` are skipped.
    """
    index = _Index(rules)
    valid = None if regions is None else frozenset(regions)
    manual = {c.ocid: c for c in corrections if c.status == "manual"}
    out: dict[str, Link] = {}
    seen: dict[str, int] = {}
    for release in releases:
        link = _link(release, index, valid)
        if link is not None:
            out[link.ocid] = link
            seen[link.ocid] = seen.get(link.ocid, 0) + 1
    for ocid, times in seen.items():
        if times > 1:
            out[ocid] = replace(out[ocid], note=_join(f"{times} releases with this ocid: the last one is used",
                                                      out[ocid].note))
    result = [_kept(manual[ocid], link) if ocid in manual else link for ocid, link in out.items()]
    result.extend(_kept(link, None) for ocid, link in manual.items() if ocid not in out)
    return tuple(result)


def linked_totals(links: Iterable[Link]) -> dict[tuple[str, str, str], Decimal]:
    """(programme, indicator, region) -> the sum of ``amount_kzt`` over linked and manual rows with a programme
    and an amount; region ``""`` collects the processes whose region is unknown. Sorted by key."""
    totals: dict[tuple[str, str, str], Decimal] = {}
    for link in links:
        if link.status in ("linked", "manual") and link.programme and link.amount_kzt is not None:
            key = (link.programme, link.indicator, link.region)
            totals[key] = totals.get(key, Decimal(0)) + link.amount_kzt
    return dict(sorted(totals.items()))


def status_counts(links: Iterable[Link]) -> dict[str, int]:
    """How many links have each status, every status listed."""
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for link in links:
        counts[link.status] += 1
    return counts
