"""Reading one release: the exclusions shared by every indicator and each indicator's per-release part.

Field access follows Cardinal's: a value counts only if it has the JSON type the indicator needs, and anything else
is passed over silently (:mod:`.extract` reads the bids and awards once for all indicators).
"""

from __future__ import annotations

from typing import Any

from tandau.core.control.procurement.dates import days_between
from tandau.core.control.procurement.extract import Award, Bid, complete_awards, extract_awards, extract_bids
from tandau.core.control.procurement.settings import ProcurementSettings
from tandau.core.control.procurement.state import FlagState

__all__ = ["fold_release"]

_SUBMITTED_NOT = (None, "invited", "withdrawn")


def _ratio(numerator: float, denominator: float) -> float:
    """IEEE division as Rust's ``f64`` does it (x / 0 is infinite or NaN, not an exception)."""
    if denominator == 0.0:
        return float("nan") if numerator == 0.0 else float("inf") if numerator > 0 else float("-inf")
    return numerator / denominator


def _main_currency(state: FlagState, settings: ProcurementSettings, currency: str) -> bool:
    """Whether ``currency`` is the main one (the configured one, else the first observed)."""
    if state.currency is None:
        state.currency = settings.currency if settings.currency is not None else currency
    if currency == state.currency:
        return True
    state.other_currency_bids += 1
    return False


def fold_release(state: FlagState, settings: ProcurementSettings, release: object) -> str | None:
    """Add one release; returns the reason it was skipped, or ``None`` if it was used."""
    if type(release) is not dict:
        return "not an object"
    ocid = release.get("ocid")
    if type(ocid) is not str:
        return "ocid is not a string"
    tender = release.get("tender")
    details = None
    if type(tender) is dict:
        if tender.get("status") == "cancelled":
            return "tender cancelled"
        details = tender.get("procurementMethodDetails")
        if type(details) is not str:
            details = None
        elif details in settings.excluded_details:
            return "procurementMethodDetails excluded"
    else:
        tender = None
    enabled = settings.enabled
    if settings.price_comparison:
        compares_prices = details is not None and details in settings.price_comparison
    else:
        compares_prices = details is None or details not in settings.no_price_comparison
    bids = extract_bids(release)
    awards = extract_awards(release)
    complete = complete_awards(awards, bids)
    submitted = [b for b in bids if b[0] not in _SUBMITTED_NOT] if bids else []
    if tender is not None:
        if "R003" in enabled:
            _r003(state, settings, tender, ocid, details)
        if "R018" in enabled:
            _r018(state, settings, tender, ocid)
    if compares_prices and complete is not None and ("R024" in enabled or "R058" in enabled):
        _second_lowest_bid_ratio(state, settings, complete, bids or [], ocid)
    if complete is not None and "R025" in enabled:
        _r025(state, complete, bids or [])
    if compares_prices and "R028" in enabled:
        _r028(state, submitted, ocid)
    if tender is not None and awards is not None and bids is not None and "R030" in enabled:
        _r030(state, tender, awards, bids, ocid)
    if complete is not None and "R035" in enabled:
        _r035(state, settings, complete, bids or [], ocid)
    if compares_prices and awards is not None and "R036" in enabled:
        _r036(state, settings, awards, submitted, ocid)
    if submitted and "R038" in enabled:
        _r038(state, release, tender, submitted)
    if awards and "R048" in enabled:
        _r048(state, settings, awards)
    return None


def _matches_method(tender: dict[str, Any], methods: frozenset[str]) -> bool:
    if not methods:
        return True
    method = tender.get("procurementMethod")
    return type(method) is str and method in methods


def _r003(state: FlagState, settings: ProcurementSettings, tender: dict[str, Any], ocid: str,
          details: str | None) -> None:
    """Short submission period: whole days of the tender period below the threshold (per method details)."""
    if not _matches_method(tender, settings.r003_methods):
        return
    period = tender.get("tenderPeriod")
    if type(period) is not dict:
        return
    start, end = period.get("startDate"), period.get("endDate")
    if type(start) is not str or type(end) is not str:
        return
    days = days_between(start, end)
    if days is None:
        return
    threshold = settings.r003_threshold
    if details is not None and details in settings.r003_details:
        threshold = settings.r003_details[details]
    if days < threshold:
        state.flag("OCID", ocid, "R003", 1.0)


def _r018(state: FlagState, settings: ProcurementSettings, tender: dict[str, Any], ocid: str) -> None:
    """Single bid: ``numberOfTenderers`` is the integer 1 as written (1.0 is not)."""
    if _matches_method(tender, settings.r018_methods):
        number = tender.get("numberOfTenderers")
        if type(number) is int and number == 1:
            state.flag("OCID", ocid, "R018", 1.0)


def _second_lowest_bid_ratio(state: FlagState, settings: ProcurementSettings, complete: list[Award],
                             bids: list[Bid], ocid: str) -> None:
    """R024/R058's input: with one active award to one supplier, the winner's lowest valid bid and the lowest
    valid bid of another tenderer (single-tenderer bids in the main currency)."""
    if len(complete) != 1:
        return
    supplier = complete[0][2]
    if supplier is None:
        return
    winner_amount: float | None = None
    loser: str | None = None
    loser_amount: float | None = None
    for status, _ids, tenderer, amount, currency, _date in bids:
        if status != "valid" or tenderer is None or amount is None or currency is None:
            continue
        if not _main_currency(state, settings, currency):
            continue
        if tenderer == supplier:
            if winner_amount is None or amount < winner_amount:
                winner_amount = amount
        elif loser_amount is None or amount < loser_amount:
            loser, loser_amount = tenderer, amount
    if winner_amount is not None and loser is not None and loser_amount is not None \
            and loser_amount >= winner_amount:
        state.ratios[ocid] = _ratio(loser_amount - winner_amount, winner_amount)
        state.winners[ocid] = (supplier, loser)


def _r025(state: FlagState, complete: list[Award], bids: list[Bid]) -> None:
    """Per tenderer, processes won over processes with a valid bid (one active award to one supplier)."""
    if len(complete) != 1:
        return
    supplier = complete[0][2]
    if supplier is None:
        return
    valid = {bid[2] for bid in bids if bid[0] == "valid" and bid[2] is not None}
    table = state.r025_tenderer
    for tenderer in valid:
        fraction = table.get(tenderer)
        if fraction is None:
            table[tenderer] = [int(tenderer == supplier), 1]
        else:
            fraction[0] += tenderer == supplier
            fraction[1] += 1


def _r028(state: FlagState, submitted: list[Bid], ocid: str) -> None:
    """Identical bid prices: two submitted bids with the same amount and currency from different tenderer sets."""
    prices: dict[tuple[float, str], set[str]] = {}
    for _status, id_list, _single, amount, currency, _date in submitted:
        if not id_list or amount is None or currency is None:
            continue
        ids = set(id_list)
        price = (amount, currency)
        other = prices.get(price)
        if other is not None and ids != other:
            state.flag("OCID", ocid, "R028", 1.0)
            for tenderer in [*ids, *other]:
                state.flag("Tenderer", tenderer, "R028", 1.0)
        prices[price] = ids


def _r030(state: FlagState, tender: dict[str, Any], awards: list[Award], bids: list[Bid], ocid: str) -> None:
    """Late bid won: a valid bid dated after ``tenderPeriod.endDate`` (compared as strings) by an active award's
    supplier."""
    period = tender.get("tenderPeriod")
    if type(period) is not dict:
        return
    end = period.get("endDate")
    if type(end) is not str:
        return
    suppliers = {s for award in awards if award[0] == "active" and award[1] for s in award[1]}
    for status, ids, _single, _amount, _currency, date in bids:
        if status == "valid" and date is not None and ids is not None and date > end:
            for tenderer in ids:
                if tenderer in suppliers:
                    state.flag("OCID", ocid, "R030", 1.0)
                    state.flag("Tenderer", tenderer, "R030", 1.0)


def _r035(state: FlagState, settings: ProcurementSettings, complete: list[Award], bids: list[Bid],
          ocid: str) -> None:
    """All but the winner disqualified: one valid tenderer, the only supplier of the active awards, and at
    least ``threshold`` other tenderers with disqualified bids (the value is their number)."""
    valid: set[str] = set()
    disqualified: set[str] = set()
    for status, ids, *_rest in bids:
        if ids:
            if status == "valid":
                valid.update(ids)
            elif status == "disqualified":
                disqualified.update(ids)
    if len(valid) != 1:
        return
    suppliers = {s for award in complete if award[1] for s in award[1]}
    if valid == suppliers:
        difference = len(disqualified - valid)
        if difference >= settings.r035_threshold:
            state.flag("OCID", ocid, "R035", float(difference))
            state.flag("Tenderer", next(iter(valid)), "R035", 0.0)


def _r036(state: FlagState, settings: ProcurementSettings, awards: list[Award], submitted: list[Bid],
          ocid: str) -> None:
    """Lowest bid disqualified: with an active award, the first lowest submitted bid (main currency) is
    disqualified and some valid bid has an amount."""
    if not any(award[0] == "active" for award in awards):
        return
    lowest: float | None = None
    lowest_disqualified = False
    has_valid = False
    for status, _ids, _single, amount, currency, _date in submitted:
        if amount is None or currency is None or not _main_currency(state, settings, currency):
            continue
        if lowest is None or amount < lowest:
            lowest = amount
            lowest_disqualified = status == "disqualified"
        if status == "valid":
            has_valid = True
    if has_valid and lowest_disqualified:
        state.flag("OCID", ocid, "R036", 1.0)


def _add(table: dict[str, list[int]], key: str, numerator: int, denominator: int) -> None:
    fraction = table.get(key)
    if fraction is None:
        table[key] = [numerator, denominator]
    else:
        fraction[0] += numerator
        fraction[1] += denominator


def _r038(state: FlagState, release: dict[str, Any], tender: dict[str, Any] | None, submitted: list[Bid]) -> None:
    """Disqualified over submitted bids, summed per buyer, procuring entity and tenderer (each bid once per
    tenderer on it)."""
    disqualified = 0
    table = state.r038_tenderer
    for status, ids, *_rest in submitted:
        increment = 1 if status == "disqualified" else 0
        disqualified += increment
        if ids:
            for tenderer in ids:
                fraction = table.get(tenderer)
                if fraction is None:
                    table[tenderer] = [increment, 1]
                else:
                    fraction[0] += increment
                    fraction[1] += 1
    buyer = release.get("buyer")
    if type(buyer) is dict:
        key = buyer.get("id")
        if type(key) is str:
            _add(state.r038_buyer, key, disqualified, len(submitted))
    if tender is not None:
        entity = tender.get("procuringEntity")
        if type(entity) is dict:
            key = entity.get("id")
            if type(key) is str:
                _add(state.r038_procuring_entity, key, disqualified, len(submitted))


def _r048(state: FlagState, settings: ProcurementSettings, awards: list[Award]) -> None:
    """Per supplier of active single-supplier awards: processes and classification prefixes of its items."""
    observed: set[str] = set()
    digits = settings.r048_digits
    table = state.r048_classifications
    for status, _ids, supplier, items in awards:
        if status != "active" or supplier is None or items is None:
            continue
        for item in items:
            if type(item) is not dict:
                continue
            classification = item.get("classification")
            if type(classification) is not dict:
                continue
            cid = classification.get("id")
            if type(cid) is not str:
                continue
            entry = table.get(supplier)
            if entry is None:
                entry = table[supplier] = ([0], set())
            if supplier not in observed:
                observed.add(supplier)
                entry[0][0] += 1
            entry[1].add(cid[:digits])
