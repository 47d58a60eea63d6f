"""Contracting processes linked to programme items in the database (issue 12, item 5, last sentence).

The rules (RULES.csv of ``tandau control link``) are stored with the import that brought them; the rules in
force are those of the latest rules import. The links are computed again from every stored release, the rules
in force and the stored corrections whenever one of them changes; a correction (a LINKS.csv row with status
``manual``) is the user's decision and survives new releases and new rules. ``tandau control links`` writes the
current links as LINKS.csv to correct and import again (``tandau control import --links``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tandau.core.control.procurement.links import Link, Rule, link_releases
from tandau.io.control_csv import region_codes
from tandau.io.ocds import parse_release
from tandau.services.primaries.access import Action, Actor, require
from tandau.store.control_models import ControlImport, ControlLink, ControlLinkRule, ControlRelease


def rules_in_force(session: Session) -> tuple[Rule, ...]:
    """The rules of the latest rules import (none before any)."""
    latest = session.scalar(select(func.max(ControlLinkRule.import_id)))
    if latest is None:
        return ()
    rows = session.scalars(select(ControlLinkRule).where(ControlLinkRule.import_id == latest)
                           .order_by(ControlLinkRule.id))
    return tuple(Rule(r.programme, r.indicator, r.region, r.buyer_id, r.classification, n)
                 for n, r in enumerate(rows, start=2))


def store_rules(session: Session, entry: ControlImport, rules: Sequence[Rule]) -> None:
    """Add the rules of one import (they become the rules in force)."""
    session.add_all(ControlLinkRule(import_id=entry.id, programme=r.programme, indicator=r.indicator,
                                    region=r.region, buyer_id=r.buyer_id, classification=r.classification)
                    for r in rules)
    session.flush()


def _link_of(row: ControlLink) -> Link:
    return Link(row.ocid, row.buyer_id, row.buyer_name, row.region, row.programme, row.indicator,
                None if row.amount_kzt is None else Decimal(row.amount_kzt), row.status,  # type: ignore[arg-type]
                row.rule, row.note)


def stored_links(session: Session) -> tuple[Link, ...]:
    """Every stored link, by ocid."""
    return tuple(_link_of(r) for r in session.scalars(select(ControlLink).order_by(ControlLink.ocid)))


def relink(session: Session, corrections: Iterable[Link] = ()) -> dict[str, int]:
    """Compute the links again from the stored releases, the rules in force, the stored manual links and
    ``corrections`` (new manual rows win over stored ones), and store them; returns the count per status."""
    manual = {link.ocid: link for link in stored_links(session) if link.status == "manual"}
    manual.update({link.ocid: link for link in corrections if link.status == "manual"})
    releases = (parse_release(text.encode("utf-8")) for text in session.scalars(
        select(ControlRelease.content).order_by(ControlRelease.import_id, ControlRelease.ocid)))
    links = link_releases(releases, rules_in_force(session), manual.values(), regions=region_codes()[1:])
    session.execute(delete(ControlLink))
    session.add_all(ControlLink(ocid=link.ocid[:200], programme=link.programme, indicator=link.indicator,
                                region=link.region, buyer_id=link.buyer_id[:200], buyer_name=link.buyer_name[:300],
                                amount_kzt=None if link.amount_kzt is None else format(link.amount_kzt, "f"),
                                status=link.status, rule=link.rule, note=link.note) for link in links)
    session.flush()
    counts: dict[str, int] = {}
    for link in links:
        counts[link.status] = counts.get(link.status, 0) + 1
    return counts


def links_for_export(session: Session, actor: Actor) -> tuple[Link, ...]:
    """The links to write as LINKS.csv (the central office's file to correct)."""
    require(actor, Action.CONTROL_IMPORT, None)
    return stored_links(session)
