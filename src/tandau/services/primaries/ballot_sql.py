"""The guarded ballot statements of PostgreSQL, built from ONE statement of who may vote.

:data:`GUARD` is the eligibility rule of the fast paths, the same as the reference path's
(:func:`tandau.services.primaries.voting.check_eligible` and the checks around it): the member is active,
lives in the contest's territory and was on the roll when voting opened; the contest is open and inside its
window at server time; it still has the ballot form, mark limit, territory, election key and re-voting
setting the caller validated against. Every statement below is this guard with a different ``{at}`` (one
moment, or each row's), plus the check that every chosen candidate is registered. The SQLite path
(:mod:`tandau.services.primaries.ballot_sync`) states the same conditions with SQLAlchemy;
``tests/integration/primaries/test_primaries_ballot_paths.py`` runs every case through every path.

A sealed contest's ballot goes to ``sealed_ballots`` (member, contest, cast number 1, the sealed box);
a contest opened before sealed ballots existed (no key) still writes the plain anonymous row.
"""

from __future__ import annotations

GUARD = """m.status = 'active' AND left(m.kato, %(plen)s) = %(prefix)s AND m.on_roll_since <= c.opens_at
      AND (c.district_id = '' OR EXISTS (SELECT 1 FROM member_districts AS md
                                         WHERE md.member_id = m.id AND md.district_id = c.district_id))
      AND c.status = 'open' AND c.opens_at <= {at} AND c.closes_at > {at}
      AND c.kato IS NOT DISTINCT FROM %(kato)s AND c.ballot_form = %(form)s
      AND c.max_marks IS NOT DISTINCT FROM %(max_marks)s::integer
      AND c.key_id IS NOT DISTINCT FROM %(key)s AND NOT c.revote"""

SNAPSHOT_SQL = """
SELECT c.id, c.kato, c.ballot_form, c.max_marks, c.opens_at, c.closes_at, c.status,
       coalesce((SELECT array_agg(n.member_id ORDER BY n.position, n.id) FROM nominations AS n
                 WHERE n.contest_id = c.id AND n.status = 'registered'), ARRAY[]::varchar[]),
       c.key_id, k.public_key, c.revote,
       coalesce((SELECT array_agg(n.id ORDER BY n.position, n.id) FROM nominations AS n
                 WHERE n.contest_id = c.id AND n.status = 'registered'), ARRAY[]::varchar[])
FROM contests AS c LEFT JOIN election_keys AS k ON k.id = c.key_id WHERE c.id = %(contest)s
"""

_SINGLE_PARTICIPATION = """
    INSERT INTO participation (member_id, contest_id, voted_on)
    SELECT m.id, c.id, %(day)s
    FROM members AS m, contests AS c
    WHERE m.id = %(member)s AND c.id = %(contest)s AND {guard}
      AND (SELECT count(*) FROM nominations AS n
           WHERE n.contest_id = c.id AND n.status = 'registered' AND n.member_id = ANY(%(chosen)s)) = %(n)s
    FOR SHARE OF c
    RETURNING 1
""".format(guard=GUARD.format(at="%(now)s"))

# One ballot in one statement (one transaction): the participation row, then the ballot, or nothing.
BALLOT_SQL = f"""
WITH p AS ({_SINGLE_PARTICIPATION})
INSERT INTO ballots (id, contest_id, tracker, selection)
SELECT %(id)s, %(contest)s, %(tracker)s, %(selection)s FROM p
"""
SEALED_BALLOT_SQL = f"""
WITH p AS ({_SINGLE_PARTICIPATION})
INSERT INTO sealed_ballots (contest_id, member_id, cast_no, box)
SELECT %(contest)s, %(member)s, 1, %(box)s FROM p
"""

# Many ballots of one contest in one statement (one transaction): each row checked on its own; a member
# already in participation is skipped (ON CONFLICT DO NOTHING) and gets no ballot. Participation rows go in
# member order (two batches never wait on each other in a cycle); plain ballots go in the order of their
# random ids, sealed ones in member order (the outer envelope names the member anyway).
_BATCH_ROWS = """
WITH r AS (
    SELECT * FROM unnest(%(members)s::text[], %(ids)s::text[], %(trackers)s::text[], %(sels)s::text[],
                         %(ns)s::integer[], %(nows)s::timestamp[], %(boxes)s::bytea[])
        AS r(member, bid, tracker, sel, n, at, box)
), p AS (
    INSERT INTO participation (member_id, contest_id, voted_on)
    SELECT m.id, c.id, r.at::date
    FROM r JOIN members AS m ON m.id = r.member JOIN contests AS c ON c.id = %(contest)s
    WHERE {guard}
      AND (SELECT count(DISTINCT s.mid) FROM jsonb_array_elements_text(r.sel::jsonb) AS s(mid),
           LATERAL (SELECT 1 FROM nominations AS n WHERE n.contest_id = c.id AND n.member_id = s.mid
                      AND n.status = 'registered' LIMIT 1) AS hit) = r.n
    ORDER BY m.id
    FOR SHARE OF c
    ON CONFLICT DO NOTHING
    RETURNING member_id
)""".format(guard=GUARD.format(at="r.at"))

BATCH_SQL = _BATCH_ROWS + """
INSERT INTO ballots (id, contest_id, tracker, selection)
SELECT r.bid, %(contest)s, r.tracker, r.sel FROM r JOIN p ON p.member_id = r.member
ORDER BY r.bid
RETURNING tracker
"""
SEALED_BATCH_SQL = _BATCH_ROWS + """
INSERT INTO sealed_ballots (contest_id, member_id, cast_no, box)
SELECT %(contest)s, r.member, 1, r.box FROM r JOIN p ON p.member_id = r.member
ORDER BY r.member
RETURNING member_id
"""

# After a batch: which of the members it skipped have voted already (their participation row committed
# before the batch's insert skipped them) while every rule the reference path checks first still holds.
VOTED_SQL = """
SELECT pa.member_id
FROM unnest(%(members)s::text[], %(nows)s::timestamp[]) AS r(member, at)
JOIN participation AS pa ON pa.member_id = r.member AND pa.contest_id = %(contest)s
JOIN members AS m ON m.id = r.member JOIN contests AS c ON c.id = %(contest)s
WHERE {guard}
""".format(guard=GUARD.format(at="r.at"))
