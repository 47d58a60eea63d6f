"""Explanations: for every candidate placed away from their vote rank, the rule that forced the move."""

from __future__ import annotations

from collections.abc import Sequence

from tandau.core.candidates import Candidate
from tandau.core.lists.compile import Problem
from tandau.core.lists.search import Search
from tandau.core.reasons import Reason, reason
from tandau.core.rules.model import Alternation, Balance, MaxRun, Quota, Rule, limit_reason, rule_id

OBJECTIVE_CODES = {"lexicographic": "objective_lexicographic", "min-swaps": "objective_min_swaps",
                   "min-max-demotion": "objective_min_max_demotion"}


def _tight(rule: Quota, flags: Sequence[bool], k: int, n: int) -> Reason:
    """The stretch of places where ``rule`` binds around place ``k``, in words."""
    who = rule.group.reason()
    if rule.scope == "list":
        limit = limit_reason(rule.bound, rule.required(n))
        return reason("why_list", f"the list of {n} holds {limit.text} {who.text}", length=n, limit=limit, group=who)
    if rule.scope == "first":
        size = min(rule.size or n, n)
        limit = limit_reason(rule.bound, rule.required(size))
        return reason("why_first", f"the first {size} places hold {limit.text} {who.text}", size=size, limit=limit,
                      group=who)
    if rule.scope == "prefix":
        for end in range(max(k, rule.start), n + 1):
            if sum(flags[:end]) == rule.required(end):
                return _places(1, end, limit_reason(rule.bound, rule.required(end)), who)
        word = "at least" if rule.bound == "min" else "at most"
        return reason(f"why_prefix_{rule.bound}_share", f"every prefix from place {rule.start} holds {word} its "
                      f"share of {who.text}", start=rule.start, group=who)
    size = rule.size or n
    if rule.scope == "block":
        first = ((k - 1) // size) * size + 1
        last = min(first + size - 1, n)
        return _places(first, last, limit_reason(rule.bound, rule.required_partial(last - first + 1)), who)
    for first in range(max(1, k - size + 1), min(k, n - size + 1) + 1):
        if sum(flags[first - 1 : first - 1 + size]) == rule.required(size):
            return _places(first, first + size - 1, limit_reason(rule.bound, rule.required(size)), who)
    limit = limit_reason(rule.bound, rule.required(size))
    return reason("why_windows", f"every {size} consecutive places hold {limit.text} {who.text}", size=size,
                  limit=limit, group=who)


def _places(first: int, last: int, limit: Reason, who: Reason) -> Reason:
    return reason("why_places", f"places {first}–{last} hold {limit.text} {who.text}", first=first, last=last,
                  limit=limit, group=who)


def _phrase(rule: Rule, flags: Sequence[bool], k: int, n: int) -> Reason:
    if isinstance(rule, Quota):
        why = _tight(rule, flags, k, n)
    elif isinstance(rule, Alternation):
        why = reason("why_alternation", "women and men alternate")
    elif isinstance(rule, MaxRun):
        why = reason("why_max_run", f"no more than {rule.length} of the same sex stand in a row", length=rule.length)
    elif isinstance(rule, Balance):
        why = reason("why_balance", f"women and men differ by at most {rule.gap}", gap=rule.gap)
    if not rule.origin:
        return why
    return reason("why_origin", f"{why.text} ({rule.origin})", why=why, origin=rule.origin)


def _own(rule: Rule, flags: Sequence[bool], k: int) -> bool:
    """Whether the candidate at place ``k`` helps ``rule``: a member for a minimum, an outsider for a maximum."""
    if not isinstance(rule, Quota):
        return False
    return flags[k - 1] if rule.bound == "min" else not flags[k - 1]


def blocking_rules(problem: Problem, prefix: list[int], rules: Sequence[Rule]) -> list[int] | None:
    """Indices of rules whose removal alone lets ``prefix`` be completed; [] if only all together block;
    None if the prefix is blocked by pins or availability whatever the rules."""
    enforced = [i for i, r in enumerate(rules) if r.enforce]
    culprits = [i for i in enforced if Search(problem, frozenset({i})).completable_after(prefix)]
    if culprits:
        return culprits
    if Search(problem, frozenset(enforced)).completable_after(prefix):
        return []
    return None


def explain_lexicographic(
    problem: Problem, seq: Sequence[int], order: Sequence[Candidate], ranks: Sequence[int],
    rules: Sequence[Rule], flags_of: Sequence[Sequence[bool]], pinned: dict[str, Reason], objective: str,
) -> list[tuple[Reason | None, str | None]]:
    """A (reason, rule origin) pair for every place of the list given by the type sequence ``seq``.

    ``order`` are the chosen candidates in list order, ``ranks`` their vote ranks, ``flags_of[i]`` the
    membership of the list's candidates in the group of rule ``i`` (empty for non-quota rules).
    """
    n = len(seq)
    out: list[tuple[Reason | None, str | None]] = [(None, None)] * n
    placed_ranks: set[int] = set()
    promoted: list[tuple[int, Candidate]] = []
    for k in range(1, n + 1):
        cand, rank = order[k - 1], ranks[k - 1]
        if cand.id in pinned:
            out[k - 1] = (pinned[cand.id], "pin")
            placed_ranks.add(rank)
            continue
        skipped = [r for r in range(1, rank) if r not in placed_ranks]
        placed_ranks.add(rank)
        if not skipped or rank <= k:
            continue
        best = min(skipped)
        t_best = next(t for t, rs in enumerate(problem.type_ranks) if best in rs)
        prefix = [*seq[: k - 1], t_best]
        culprits = blocking_rules(problem, prefix, rules)
        promoted.append((rank, cand))
        up = f"moved up from vote rank {rank} to place {k}"
        if culprits is None:
            out[k - 1] = (reason("moved_up_for_pins", f"{up}: the places above are reserved for pinned candidates",
                                 rank=rank, place=k), "pin")
        elif culprits:
            own = [i for i in culprits if _own(rules[i], flags_of[i], k)]
            i = (own or culprits)[0]
            why = _phrase(rules[i], flags_of[i], k, n)
            out[k - 1] = (reason("moved_up_for_rule", f"{up} so that {why.text}", rank=rank, place=k, why=why,
                                 rule=rule_id(rules[i])), rules[i].origin or None)
        elif Search(problem).completable_after(prefix):
            goal = reason(OBJECTIVE_CODES[objective], objective)
            out[k - 1] = (reason("placed_by_objective", f"placed at {k} (vote rank {rank}) by the objective "
                                 f"{objective}", rank=rank, place=k, objective=goal), objective)
        else:
            involved = [i for i, r in enumerate(rules) if r.enforce]
            own = [i for i in involved if _own(rules[i], flags_of[i], k)]
            whys = tuple(_phrase(rules[i], flags_of[i], k, n) for i in (own or involved))
            joint = ", together," if len(whys) > 1 else ""
            text = f"{up} so that{joint} {' and '.join(w.text for w in whys)}"
            out[k - 1] = (reason("moved_up_for_rules", text, rank=rank, place=k, whys=whys), "combined")
    for k in range(1, n + 1):
        cand, rank = order[k - 1], ranks[k - 1]
        if out[k - 1][0] is not None or rank >= k:
            continue
        above = tuple(c.name for r, c in promoted if r > rank and order.index(c) < k - 1)
        down = f"moved down from vote rank {rank} to place {k}: places above went to"
        if above:
            why = reason("moved_down", f"{down} {', '.join(above)}", rank=rank, place=k, names=above)
        else:
            why = reason("moved_down_for_pins", f"{down} pinned candidates", rank=rank, place=k)
        out[k - 1] = (why, "demoted")
    return out
