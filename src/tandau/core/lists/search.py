"""Exact search over type sequences: completion checks, the lexicographic list and the exact objectives.

The lexicographic list — position by position, the best-voted remaining candidate such that the list can
still be completed — is the first complete path of a depth-first search that tries, at every place, the types
in the vote order of their best remaining candidate. Completion is decided exactly: the search only prunes
on necessary conditions (the bounds of :mod:`tandau.core.lists.compile`) and memoises states proven dead, so
overlapping groups, blocks, windows and runs are all handled (quota-rules.md §B; Wei et al., SIGMOD 2022 for
why a naive count check is not enough).

``min-swaps`` (Kendall-τ distance of the whole ranking: the list, then the rest in vote order) and
``min-max-demotion`` are solved by dynamic programming over the same states; within a type, candidates go in
vote order, which is optimal for both by an exchange argument. Among optimal lists the lexicographically
smallest is returned.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from tandau.core.lists.compile import Problem
from tandau.errors import TandauError

INF = 1 << 60


class SearchBudgetError(TandauError):
    """An exact objective that would need more search than allowed; the lexicographic list is still exact."""

    def __init__(self, objective: str, nodes: int, places: int) -> None:
        self.objective = objective
        super().__init__(
            f"the exact {objective} search passed its budget of {nodes:,} states on this list of {places} places; "
            f"use --objective lexicographic (exact and fast), or form a shorter list"
        )


class Search:
    """Mutable search state over one :class:`Problem` (a list of ``n`` places)."""

    def __init__(self, problem: Problem, skip_rules: frozenset[int] = frozenset(), max_nodes: int = 3_000_000) -> None:
        self.p = problem
        self.n_types = len(problem.type_members)
        self.avail = [len(r) for r in problem.type_ranks]
        self.counts = [0] * self.n_types
        self.gcount = [0] * len(problem.groups)
        self.seq: list[int] = []
        self.dead: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
        self.skip = skip_rules
        self.pins = [t for t in range(self.n_types) if problem.pin_window[t] is not None]
        self.nodes = 0
        self.strict = False  # turned on at the first dead end: from then on, states are screened by counts
        self.counts_memo: dict[tuple[int, ...], bool] = {}
        self.max_nodes = max_nodes
        g_count = len(problem.groups)
        if skip_rules:
            self.lo = [
                [0 if problem.lo_src[g][k] in skip_rules else problem.lo[g][k] for k in range(problem.n + 1)]
                for g in range(g_count)
            ]
            self.hi = [
                [k if problem.hi_src[g][k] in skip_rules else problem.hi[g][k] for k in range(problem.n + 1)]
                for g in range(g_count)
            ]
            self.local = [r for r in problem.local if r.source not in skip_rules]
            self.run_limit = 0 if problem.run_src in skip_rules else problem.run_limit
        else:
            self.lo, self.hi, self.local, self.run_limit = problem.lo, problem.hi, problem.local, problem.run_limit

    # -- moves -----------------------------------------------------------------------------------------
    def _key(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        tail = self.p.tail
        return (tuple(self.counts), tuple(self.seq[-tail:]) if tail else ())

    def valid(self, t: int) -> bool:
        """Whether type ``t`` may take the next place without breaking a bound checkable now."""
        p = self.p
        if self.counts[t] >= self.avail[t]:
            return False
        k = len(self.seq) + 1
        window = p.pin_window[t]
        if window is not None and not window[0] <= k <= window[1]:
            return False
        if self.pins:
            deadlines = sorted(p.pin_window[u][1] for u in self.pins  # type: ignore[index]
                               if u != t and self.counts[u] == 0)
            for i, d in enumerate(deadlines):
                if d < k + 1 + i:
                    return False
        members = p.type_members[t]
        for g, inside in enumerate(members):
            c = self.gcount[g] + inside
            if c < self.lo[g][k] or c > self.hi[g][k]:
                return False
        if self.run_limit:
            sex = p.type_sex[t]
            tail = self.seq[-self.run_limit :]
            if len(tail) == self.run_limit and all(p.type_sex[u] == sex for u in tail):
                return False
        return not self.local or self._local_ok(t, k)

    def _local_ok(self, t: int, k: int) -> bool:
        p, n, seq = self.p, self.p.n, self.seq
        for rule in self.local:
            g, size = rule.group, rule.size
            flag = p.type_members[t][g]
            if rule.kind == "block":
                first = ((k - 1) // size) * size + 1
                last = min(first + size - 1, n)
                places = last - first + 1
                lo = rule.lo_full if places == size else rule.partial_lo.get(places, 0)
                hi = rule.hi_full if places == size else rule.partial_hi.get(places, n + 1)
                have = flag + sum(p.type_members[u][g] for u in seq[first - 1 :])
                if have > hi or have + (last - k) < lo:
                    return False
            elif n < size:  # a window longer than the list: the list is one partial stretch
                lo, hi = rule.partial_lo.get(n, 0), rule.partial_hi.get(n, n + 1)
                have = flag + sum(p.type_members[u][g] for u in seq)
                if have > hi or have + (n - k) < lo:
                    return False
            else:
                for end in range(max(k, size), min(k + size - 1, n) + 1):
                    first = end - size + 1
                    have = flag + sum(p.type_members[u][g] for u in seq[first - 1 :])
                    if have > rule.hi_full or have + (end - k) < rule.lo_full:
                        return False
        return True

    def push(self, t: int) -> None:
        self.seq.append(t)
        self.counts[t] += 1
        for g, inside in enumerate(self.p.type_members[t]):
            self.gcount[g] += inside

    def pop(self) -> None:
        t = self.seq.pop()
        self.counts[t] -= 1
        for g, inside in enumerate(self.p.type_members[t]):
            self.gcount[g] -= inside

    def ordered_moves(self) -> Iterator[int]:
        """Types with candidates left, in the vote order of their best remaining candidate."""
        ranks = self.p.type_ranks
        live = [t for t in range(self.n_types) if self.counts[t] < self.avail[t]]
        live.sort(key=lambda t: ranks[t][self.counts[t]])
        return iter(live)

    # -- lexicographic ---------------------------------------------------------------------------------
    def complete(self) -> bool:
        """Extend the current prefix to a compliant list, lexicographically first; False if impossible."""
        if len(self.seq) == self.p.n:
            return True
        key = self._key()
        if key in self.dead:
            return False
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise SearchBudgetError("lexicographic", self.max_nodes, self.p.n)
        if (self.strict or self.nodes == 1) and not self.counts_feasible():
            self.dead.add(key)
            return False
        for t in self.ordered_moves():
            if self.valid(t):
                self.push(t)
                if self.complete():
                    return True
                self.pop()
        self.dead.add(key)
        self.strict = True
        return False

    def counts_feasible(self) -> bool:
        """Whether the remaining places can be filled so that every group ends within its whole-list bounds.

        A necessary condition for any rule set (it ignores order), and an exact one for whole-list quotas:
        it decides, over the few candidate types, whether counts x_t ≤ remaining_t with Σ x_t = places left
        meet every group's remaining minimum and maximum, so overlapping groups cannot lead the search into
        a long dead end.
        """
        counts_key = tuple(self.counts)
        known = self.counts_memo.get(counts_key)
        if known is not None:
            return known
        p, n = self.p, self.p.n
        groups = range(len(p.groups))
        places = n - len(self.seq)
        types = [t for t in range(self.n_types) if self.counts[t] < self.avail[t]]
        spare = [self.avail[t] - self.counts[t] for t in types]
        forced = [1 if p.pin_window[t] is not None else 0 for t in types]
        tail_cap = [sum(spare[i:]) for i in range(len(types) + 1)]
        memo: dict[tuple[int, int, tuple[int, ...], tuple[int, ...]], bool] = {}

        def go(i: int, left: int, need: tuple[int, ...], room: tuple[int, ...]) -> bool:
            if min(room, default=0) < 0 or tail_cap[i] < left or max(need, default=0) > left:
                return False
            if i == len(types):
                return left == 0
            key = (i, left, need, room)
            hit = memo.get(key)
            if hit is not None:
                return hit
            members = p.type_members[types[i]]
            ok = False
            for x in range(min(spare[i], left), forced[i] - 1, -1):
                nxt_need = tuple(max(0, need[g] - x * members[g]) for g in groups)
                nxt_room = tuple(room[g] - x * members[g] for g in groups)
                if go(i + 1, left - x, nxt_need, nxt_room):
                    ok = True
                    break
            memo[key] = ok
            return ok

        need0 = tuple(max(0, self.lo[g][n] - self.gcount[g]) for g in groups)
        room0 = tuple(self.hi[g][n] - self.gcount[g] for g in groups)
        result = go(0, places, need0, room0)
        self.counts_memo[counts_key] = result
        return result

    def completable_after(self, prefix: list[int]) -> bool:
        """Whether ``prefix`` (a sequence of types) can be completed; the state is restored afterwards."""
        depth = len(self.seq)
        ok = True
        for t in prefix:
            if not self.valid(t):
                ok = False
                break
            self.push(t)
        if ok:
            ok = self.complete()
        while len(self.seq) > depth:
            self.pop()
        return ok

    # -- exact objectives ------------------------------------------------------------------------------
    def optimise(self, objective: str, upper: int, max_nodes: int = 300_000) -> list[int] | None:
        """The lexicographically first type sequence minimising ``objective``; None when infeasible.

        ``upper`` is the cost of a known compliant list (the lexicographic one): a branch-and-bound over the
        states, with memoised exact costs-to-go and lower bounds, never explores a state whose cost so far
        already exceeds it, so lists near the vote order are solved quickly even when they are long. Past
        ``max_nodes`` states it stops with :class:`SearchBudgetError` rather than run for hours.
        """
        memo: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[int, bool]] = {}
        ranks = self.p.type_ranks
        use_max = objective == "min-max-demotion"

        def step(t: int) -> int:
            r = ranks[t][self.counts[t]]
            if use_max:
                return len(self.seq) + 1 - r
            return sum(
                max(0, bisect_left(ranks[u], r) - self.counts[u]) for u in range(self.n_types) if u != t
            )

        def terminal() -> int:
            if not use_max:
                return 0
            rest = sorted(r for t in range(self.n_types) for r in ranks[t][self.counts[t]:])
            return max([0, *(self.p.n + 1 + i - r for i, r in enumerate(rest))])

        def ctg(budget: int) -> int:
            """The exact least cost-to-go when it is at most ``budget``; otherwise a value above ``budget``."""
            if len(self.seq) == self.p.n:
                return terminal()
            if use_max:  # the best-voted candidate still waiting ends at place k+1 or later
                waiting = min((ranks[t][c] for t, c in enumerate(self.counts) if c < self.avail[t]), default=INF)
                bound = len(self.seq) + 1 - waiting
                if bound > budget:
                    return bound
            key = self._key()
            cached = memo.get(key)
            if cached is not None and (cached[1] or cached[0] > budget):
                return cached[0]
            self.nodes += 1
            if self.nodes > max_nodes:
                raise SearchBudgetError(objective, max_nodes, self.p.n)
            best = INF
            for t in self.ordered_moves():
                if not self.valid(t):
                    continue
                s = step(t)
                if s > budget:
                    best = min(best, s)
                    continue
                self.push(t)
                sub = ctg(budget if use_max else budget - s)
                self.pop()
                best = min(best, max(s, sub) if use_max else s + sub)
            memo[key] = (best, best <= budget or best >= INF)
            return best

        target = ctg(upper)
        if target > upper:
            return None
        remaining = target
        while len(self.seq) < self.p.n:
            for t in self.ordered_moves():
                if not self.valid(t):
                    continue
                s = step(t)
                if s > remaining:
                    continue
                self.push(t)
                sub = ctg(remaining if use_max else remaining - s)
                if (use_max and sub <= remaining) or (not use_max and s + sub == remaining):
                    if not use_max:
                        remaining -= s
                    break
                self.pop()
        return list(self.seq)
