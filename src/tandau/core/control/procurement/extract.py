"""One pass over a release's bids and awards, keeping only the fields the indicators read, with their JSON types
checked once (a number is an ``int`` or ``float``, never a ``bool``; an identifier is a string). Entries that are
not objects are left out: no indicator reads them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Award", "Bid", "complete_awards", "extract_awards", "extract_bids"]

# status, ids of the tenderers (None without a tenderers array), the single tenderer, amount, currency, date
Bid = tuple[str | None, list[str] | None, str | None, float | None, str | None, str | None]
# status, ids of the suppliers (None without a suppliers array), the single supplier, items (None without an array)
Award = tuple[str | None, list[str] | None, str | None, list[Any] | None]


def _ids(entries: list[Any]) -> list[str]:
    out = []
    for entry in entries:
        if type(entry) is dict:
            value = entry.get("id")
            if type(value) is str:
                out.append(value)
    return out


def _float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond a double: serde_json would have read it as infinity
        return float("inf") if value > 0 else float("-inf")


def extract_bids(release: dict[str, Any]) -> list[Bid] | None:
    """The bids, or ``None`` if ``bids`` is not an object or ``bids.details`` not an array."""
    bids = release.get("bids")
    if type(bids) is not dict:
        return None
    details = bids.get("details")
    if type(details) is not list:
        return None
    out: list[Bid] = []
    for bid in details:
        if type(bid) is not dict:
            continue
        status = bid.get("status")
        tenderers = bid.get("tenderers")
        ids = single = None
        if type(tenderers) is list:
            if len(tenderers) == 1:  # the common case, inlined
                first = tenderers[0]
                key = first.get("id") if type(first) is dict else None
                ids = [key] if type(key) is str else []
                single = key if ids else None
            else:
                ids = _ids(tenderers)
        amount = currency = None
        value = bid.get("value")
        if type(value) is dict:
            raw = value.get("amount")
            if type(raw) is int or type(raw) is float:
                amount = _float(raw)
            code = value.get("currency")
            if type(code) is str:
                currency = code
        date = bid.get("date")
        out.append((status if type(status) is str else None, ids, single, amount, currency,
                    date if type(date) is str else None))
    return out


def extract_awards(release: dict[str, Any]) -> list[Award] | None:
    """The awards, or ``None`` if ``awards`` is not an array."""
    awards = release.get("awards")
    if type(awards) is not list:
        return None
    out: list[Award] = []
    for award in awards:
        if type(award) is not dict:
            continue
        status = award.get("status")
        suppliers = award.get("suppliers")
        ids = single = None
        if type(suppliers) is list:
            ids = _ids(suppliers)
            if len(suppliers) == 1 and ids:
                single = ids[0]
        items = award.get("items")
        out.append((status if type(status) is str else None, ids, single, items if type(items) is list else None))
    return out


def complete_awards(awards: list[Award] | None, bids: list[Bid] | None) -> list[Award] | None:
    """The active awards if there are awards and bids and every award's status is final (active, cancelled,
    unsuccessful; an award without a string status does not count), else ``None``."""
    if awards is None or bids is None:
        return None
    active = []
    for award in awards:
        status = award[0]
        if status == "active":
            active.append(award)
        elif status is not None and status != "cancelled" and status != "unsuccessful":
            return None
    return active
