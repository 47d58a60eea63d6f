"""CSV for approval and plurality ballots, one ballot a line (docs/formats-ballots.md), and a candidates CSV.

Ballots: UTF-8, header ``contest,marks``; each line ``CONTEST,ID ID ID`` (candidate ids separated by single
spaces; an empty marks field is a blank ballot). Candidates: header ``contest,id,name,sex,birth_date,tags``
(``sex`` F/M or empty, ``birth_date`` YYYY-MM-DD or empty, ``tags`` separated by ``;``).

A ballot with an unknown contest or candidate, a candidate marked twice, more than ``max_marks`` marks, or a
malformed line is rejected with its line number, and then nothing is counted. A vectorised reader (numpy)
handles well-formed files whose ids are at most 8 bytes; any anomaly sends the file to the line-by-line reader,
which names every bad line. The vectorised reader finds ids by a perfect hash when one turns up within a bounded
number of tries (small id sets), else by binary search in the sorted ids: it never loops without bound.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from tandau.core.tally.ballots import ApprovalProfile, Contestant
from tandau.errors import InputError
from tandau.io.blt import BallotFileError

BALLOT_HEADER = "contest,marks"
CANDIDATE_HEADER = ("contest", "id", "name", "sex", "birth_date", "tags")


def read_candidates_csv(path: str | Path) -> dict[str, list[Contestant]]:
    """Candidates by contest, in file (nomination) order."""
    out: dict[str, list[Contestant]] = {}
    with Path(path).open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("contest", "id", "name") if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column(s) {missing}; expected {','.join(CANDIDATE_HEADER)}", file=str(path))
        for row_no, row in enumerate(reader, start=2):
            sex = (row.get("sex") or "").strip() or None
            if sex not in (None, "F", "M"):
                raise InputError(f"sex must be F, M or empty, got {sex!r}", file=str(path), row=row_no, column="sex")
            bd = (row.get("birth_date") or "").strip()
            try:
                birth = date.fromisoformat(bd) if bd else None
            except ValueError:
                raise InputError(f"bad date {bd!r}", file=str(path), row=row_no, column="birth_date") from None
            tags = frozenset(t.strip() for t in (row.get("tags") or "").split(";") if t.strip())
            contest = row["contest"].strip()
            cid = row["id"].strip()
            if any(c.id == cid for c in out.get(contest, [])):
                raise InputError(f"duplicate candidate id {cid!r}", file=str(path), row=row_no, column="id")
            out.setdefault(contest, []).append(Contestant(cid, row["name"].strip(), sex, birth, tags))
    return out


def _slow(text: str, file: str, cands: dict[str, list[Contestant]] | None, max_marks: int | None
          ) -> dict[str, tuple[list[Contestant], list[tuple[tuple[int, ...], int]]]]:
    lines = text.splitlines()
    if not lines or lines[0].strip().lstrip("\ufeff") != BALLOT_HEADER:
        raise InputError(f"the first line must be the header {BALLOT_HEADER!r}", file=file, row=1)
    index = {k: {c.id: i for i, c in enumerate(v)} for k, v in (cands or {}).items()}
    inferred: dict[str, list[Contestant]] = {}
    ballots: dict[str, Counter[tuple[int, ...]]] = {}
    rejections: list[tuple[int, str]] = []
    for no, line in enumerate(lines[1:], start=2):
        contest, sep, marks_text = line.partition(",")
        if not sep or "," in marks_text or not contest:
            rejections.append((no, "expected 'CONTEST,ID ID ...'"))
            continue
        marks = marks_text.split(" ") if marks_text else []
        if any(not m for m in marks):
            rejections.append((no, "empty mark (ids are separated by single spaces)"))
            continue
        if cands is not None and contest not in index:
            rejections.append((no, f"unknown contest {contest!r}"))
            continue
        if len(set(marks)) != len(marks):
            rejections.append((no, "a candidate is marked twice"))
            continue
        if max_marks is not None and len(marks) > max_marks:
            rejections.append((no, f"overvote: {len(marks)} marks, at most {max_marks}"))
            continue
        if cands is None:
            known = index.setdefault(contest, {})
            lst = inferred.setdefault(contest, [])
            for m in marks:
                if m not in known:
                    known[m] = len(lst)
                    lst.append(Contestant(m, m))
        unknown = [m for m in marks if m not in index[contest]]
        if unknown:
            rejections.append((no, f"unknown candidate(s) {unknown} in contest {contest!r}"))
            continue
        ballots.setdefault(contest, Counter())[tuple(sorted(index[contest][m] for m in marks))] += 1
    if rejections:
        raise BallotFileError(file, rejections)
    source = cands if cands is not None else inferred
    return {k: (list(v), list(ballots.get(k, Counter()).items())) for k, v in source.items() if k in ballots}


_MASKS = np.array([0] + [((1 << (8 * k)) - 1) << (8 * (8 - k)) for k in range(1, 9)], dtype=np.uint64)


def _pack(data: bytes, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Each token (at most 8 bytes) as a big-endian uint64, zero-padded: one gather on an 8-byte sliding view."""
    padded = np.frombuffer(data + b"\0" * 8, dtype=np.uint8)
    window = np.ndarray(shape=(len(data),), dtype=">u8", buffer=padded, strides=(1,))
    packed: np.ndarray = window[starts].astype(np.uint64) & _MASKS[lens]
    return packed


#: Largest slot table of the perfect hash (2**20 int32 slots, 4 MB) and tries at each table size.
HASH_MAX_BITS = 20
HASH_TRIES_PER_SIZE = 8


def _perfect_hash(keys: np.ndarray) -> tuple[np.uint64, np.uint64, np.ndarray] | None:
    """Multiplicative hashing under which ``keys`` fall in distinct slots: ``(mult, shift, slot table)`` (slot ->
    key index, -1), or ``None`` when none is found within a bounded number of tries.

    A random multiplier separates ``n`` random keys in ``m`` slots only with probability about ``exp(-n²/2m)``
    (structured ids such as ``K001C01`` fare much better), so the table starts at 4 to 8 slots a key and grows to
    ``2**HASH_MAX_BITS``, with at most ``HASH_TRIES_PER_SIZE`` multipliers tried at each size (deterministically).
    When none separates the keys the caller finds ids by binary search in the sorted keys instead.
    """
    n = len(keys)
    rng = np.random.default_rng(0)
    for bits in range(max(6, n.bit_length() + 2), HASH_MAX_BITS + 1):
        shift = np.uint64(64 - bits)
        for _ in range(HASH_TRIES_PER_SIZE):
            mult = np.uint64(int(rng.integers(1, 2**62)) * 2 + 1)
            slots = (keys * mult) >> shift
            if len(np.unique(slots)) == n:
                table = np.full(1 << bits, -1, dtype=np.int32)
                table[slots.astype(np.int64)] = np.arange(n, dtype=np.int32)
                return mult, shift, table
    return None


def _pack_ids(ids: list[str]) -> np.ndarray:
    return np.array([int.from_bytes(s.encode().ljust(8, b"\0"), "big") for s in ids], dtype=np.uint64)


DENSE_TABLE_MAX = 1 << 20  # (contest, id) cells kept as a dense table; above, a sorted list searched
CHUNK_BYTES = 4 << 20  # whole lines, about 4 MB: keeps the working set in cache and memory reused


@dataclass(frozen=True)
class _Ctx:
    contest_keys: np.ndarray
    id_keys: np.ndarray  # sorted ascending, distinct
    hashing: tuple[np.uint64, np.uint64, np.ndarray] | None  # perfect hash, or None: binary search in id_keys
    table: np.ndarray  # dense (contest, id) -> place on the ballot paper, -1; or sorted keys contest * n_ids + id
    places: np.ndarray | None  # None: ``table`` is dense; else the places of the sorted keys in ``table``
    width: int
    max_marks: int | None

    def lookup(self, packed: np.ndarray) -> np.ndarray:
        """For each packed token, the index of the id it may be (to be confirmed by ``id_keys[i] == token``)."""
        if self.hashing is not None:
            mult, shift, slots = self.hashing
            found: np.ndarray = slots[((packed * mult) >> shift).astype(np.int64)]
            return found
        at: np.ndarray = np.minimum(np.searchsorted(self.id_keys, packed), len(self.id_keys) - 1)
        return at

    def place(self, contest: np.ndarray, gi: np.ndarray) -> np.ndarray:
        """The place of id ``gi`` in ``contest`` (its index in the contest's candidates), -1 if not a candidate."""
        if self.places is None:
            dense: np.ndarray = self.table[contest, gi]
            return dense
        key = contest.astype(np.int64) * len(self.id_keys) + gi
        at = np.minimum(np.searchsorted(self.table, key), len(self.table) - 1)
        out: np.ndarray = np.where(self.table[at] == key, self.places[at], -1)
        return out


def _chunk(data: bytes, ctx: _Ctx) -> tuple[np.ndarray, np.ndarray] | None:
    """Scores (contests x width+1) and ballots per contest for whole lines; ``None`` on any anomaly."""
    buf = np.frombuffer(data, dtype=np.uint8)
    sep_pos = np.flatnonzero(buf <= 44)  # ',' ' ' and LF; ids must not contain other bytes below '-'
    after = buf[sep_pos]
    is_comma, is_nl = after == 44, after == 10
    if np.any(~is_comma & ~is_nl & (after != 32)):
        return None
    starts = np.empty_like(sep_pos)
    starts[0] = 0
    starts[1:] = sep_pos[:-1] + 1
    lens = sep_pos - starts
    comma_tok, nl_tok = np.flatnonzero(is_comma), np.flatnonzero(is_nl)
    if len(comma_tok) != len(nl_tok) or lens.max() > 8 or comma_tok[0] != 0:
        return None
    if not np.array_equal(comma_tok[1:], nl_tok[:-1] + 1):
        return None
    packed = _pack(data, starts, lens)
    n_contests = len(ctx.contest_keys)
    line_contest = np.searchsorted(ctx.contest_keys, packed[comma_tok])
    if np.any(line_contest >= n_contests) or np.any(
            ctx.contest_keys[np.minimum(line_contest, n_contests - 1)] != packed[comma_tok]):
        return None
    empty = lens == 0
    is_mark = ~is_comma & ~empty
    # an empty token is allowed only as the whole marks field (a blank ballot)
    blank = empty[comma_tok + 1] & is_nl[comma_tok + 1]
    if int(np.count_nonzero(empty)) != int(np.count_nonzero(blank)):
        return None
    gi = ctx.lookup(packed)
    gi_c = np.maximum(gi, 0)
    if np.any(is_mark & ((gi < 0) | (ctx.id_keys[gi_c] != packed))):
        return None
    tokens_per_line = np.diff(np.append(comma_tok, len(packed)))
    tok_contest = np.repeat(line_contest, tokens_per_line)
    local = ctx.place(tok_contest, gi_c)
    if np.any(is_mark & (local < 0)):
        return None
    local = np.where(is_mark, local, ctx.width)
    marks_per_line = tokens_per_line - 1 - blank
    if ctx.max_marks is not None and marks_per_line.max(initial=0) > ctx.max_marks:
        return None
    bits = np.where(is_mark, np.left_shift(np.uint64(1), np.minimum(local, 63).astype(np.uint64)), np.uint64(0))
    if np.any(np.bitwise_count(np.bitwise_or.reduceat(bits, comma_tok)) != marks_per_line):
        return None
    scores = np.bincount(tok_contest * (ctx.width + 1) + local, minlength=n_contests * (ctx.width + 1))
    return scores.reshape(n_contests, ctx.width + 1), np.bincount(line_contest, minlength=n_contests)


def fast_approval_scores(
    data: bytes, cands: dict[str, list[Contestant]], max_marks: int | None
) -> dict[str, tuple[np.ndarray, int]] | None:
    """Approvals and ballot count per contest, vectorised; ``None`` when the file needs the line-by-line reader."""
    contests = sorted(cands, key=lambda s: s.encode())
    if not contests or b"\r" in data or any(len(c.encode()) > 8 for c in contests) or any(
            len(x.id.encode()) > 8 or len(cands[k]) > 64 for k in contests for x in cands[k]):
        return None
    head_end = data.find(b"\n")
    if head_end < 0 or data[:head_end].strip().lstrip(b"\xef\xbb\xbf") != BALLOT_HEADER.encode():
        return None
    if not data.endswith(b"\n"):
        data += b"\n"
    contest_keys = _pack_ids(contests)
    all_ids = sorted({x.id for k in contests for x in cands[k]}, key=lambda s: s.encode())
    id_keys = _pack_ids(all_ids)
    if not (np.all(contest_keys[1:] > contest_keys[:-1]) and np.all(id_keys[1:] > id_keys[:-1])):
        return None  # two ids pack alike (a NUL byte): the line-by-line reader tells them apart
    pos_of = {s: i for i, s in enumerate(all_ids)}
    places: np.ndarray | None = None
    if len(contests) * len(all_ids) <= DENSE_TABLE_MAX:
        table = np.full((len(contests), len(all_ids)), -1, dtype=np.int64)
        for ci, k in enumerate(contests):
            for li, x in enumerate(cands[k]):
                table[ci, pos_of[x.id]] = li
    else:  # many contests with their own candidates: a sorted (contest, id) -> place list, not a sparse matrix
        keys = np.array([ci * len(all_ids) + pos_of[x.id] for ci, k in enumerate(contests) for x in cands[k]],
                        dtype=np.int64)
        order = np.argsort(keys)
        table = keys[order]
        places = np.array([li for k in contests for li in range(len(cands[k]))], dtype=np.int64)[order]
    width = max(len(cands[k]) for k in contests)
    ctx = _Ctx(contest_keys, id_keys, _perfect_hash(id_keys), table, places, width, max_marks)
    scores = np.zeros((len(contests), width + 1), dtype=np.int64)
    n_ballots = np.zeros(len(contests), dtype=np.int64)
    pos = head_end + 1
    while pos < len(data):
        end = data.find(b"\n", min(pos + CHUNK_BYTES, len(data) - 1)) + 1 or len(data)
        part = _chunk(data[pos:end], ctx)
        if part is None:
            return None
        scores += part[0]
        n_ballots += part[1]
        pos = end
    return {k: (scores[ci, :len(cands[k])], int(n_ballots[ci])) for ci, k in enumerate(contests) if n_ballots[ci]}


def read_ballots_csv(
    path: str | Path,
    *,
    candidates: dict[str, list[Contestant]] | None = None,
    max_marks: int | None = None,
    need_ballots: bool = True,
) -> dict[str, ApprovalProfile]:
    """Approval profiles by contest. With ``need_ballots=False`` and known candidates, profiles carry only the
    approval counts (enough for ``approval`` and ``plurality``), computed by the vectorised reader."""
    file = str(path)
    data = Path(path).read_bytes()
    if not need_ballots and candidates is not None:
        fast = fast_approval_scores(data, candidates, max_marks)
        if fast is not None:
            return {k: ApprovalProfile(tuple(candidates[k]), (), max_marks, scores=tuple(int(x) for x in s),
                                       ballot_total=nb) for k, (s, nb) in fast.items()}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8", file=file) from None
    parsed = _slow(text, file, candidates, max_marks)
    return {k: ApprovalProfile.build(cs, groups, max_marks=max_marks) for k, (cs, groups) in parsed.items()}


def format_ballots_csv(rows: list[tuple[str, list[str]]]) -> str:
    """CSV text for ``(contest, marks)`` rows.

    >>> print(format_ballots_csv([("c1", ["a", "b"]), ("c1", [])]), end="")
    contest,marks
    c1,a b
    c1,
    """
    return BALLOT_HEADER + "\n" + "".join(f"{c},{' '.join(m)}\n" for c, m in rows)
