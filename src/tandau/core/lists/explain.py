"""Explanations: for every candidate placed away from their vote rank, the rule that forced the move."""

from __future__ import annotations

from collections.abc import Sequence

from tandau.core.candidates import Candidate
from tandau.core.lists.compile import Problem
from tandau.core.lists.search import Search
from tandau.core.rules.model import Alternation, Balance, MaxRun, Quota, Rule


def _tight(rule: Quota, flags: Sequence[bool], k: int, n: int) -> str:
    """The stretch of places where ``rule`` binds around place ``k``, in words."""
    who = rule.group.describe()
    word = "at least" if rule.bound == "min" else "at most"
    if rule.scope == "list":
        return f"the list of {n} holds {word} {rule.required(n)} {who}"
    if rule.scope == "first":
        size = min(rule.size or n, n)
        return f"the first {size} places hold {word} {rule.required(size)} {who}"
    if rule.scope == "prefix":
        for end in range(max(k, rule.start), n + 1):
            if sum(flags[:end]) == rule.required(end):
                return f"places 1–{end} hold {word} {rule.required(end)} {who}"
        return f"every prefix from place {rule.start} holds {word} its share of {who}"
    size = rule.size or n
    if rule.scope == "block":
        first = ((k - 1) // size) * size + 1
        last = min(first + size - 1, n)
        return f"places {first}–{last} hold {word} {rule.required_partial(last - first + 1)} {who}"
    for first in range(max(1, k - size + 1), min(k, n - size + 1) + 1):
        if sum(flags[first - 1 : first - 1 + size]) == rule.required(size):
            return f"places {first}–{first + size - 1} hold {word} {rule.required(size)} {who}"
    return f"every {size} consecutive places hold {word} {rule.required(size)} {who}"


def _phrase(rule: Rule, flags: Sequence[bool], k: int, n: int) -> str:
    if isinstance(rule, Quota):
        text = _tight(rule, flags, k, n)
    elif isinstance(rule, Alternation):
        text = "women and men alternate"
    elif isinstance(rule, MaxRun):
        text = f"no more than {rule.length} of the same sex stand in a row"
    elif isinstance(rule, Balance):
        text = f"women and men differ by at most {rule.gap}"
    return f"{text} ({rule.origin})" if rule.origin else text


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
    rules: Sequence[Rule], flags_of: Sequence[Sequence[bool]], pinned: dict[str, str], objective: str,
) -> list[tuple[str | None, str | None]]:
    """A (reason, rule origin) pair for every place of the list given by the type sequence ``seq``.

    ``order`` are the chosen candidates in list order, ``ranks`` their vote ranks, ``flags_of[i]`` the
    membership of the list's candidates in the group of rule ``i`` (empty for non-quota rules).
    """
    n = len(seq)
    out: list[tuple[str | None, str | None]] = [(None, None)] * n
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
        if culprits is None:
            out[k - 1] = (f"moved up from vote rank {rank} to place {k}: the places above are reserved for "
                          f"pinned candidates", "pin")
        elif culprits:
            own = [i for i in culprits if _own(rules[i], flags_of[i], k)]
            i = (own or culprits)[0]
            why = _phrase(rules[i], flags_of[i], k, n)
            out[k - 1] = (f"moved up from vote rank {rank} to place {k} so that {why}", rules[i].origin or None)
        elif Search(problem).completable_after(prefix):
            out[k - 1] = (f"placed at {k} (vote rank {rank}) by the objective {objective}", objective)
        else:
            involved = [i for i, r in enumerate(rules) if r.enforce]
            own = [i for i in involved if _own(rules[i], flags_of[i], k)]
            named = own or involved
            names = " and ".join(_phrase(rules[i], flags_of[i], k, n) for i in named)
            joint = ", together," if len(named) > 1 else ""
            out[k - 1] = (f"moved up from vote rank {rank} to place {k} so that{joint} {names}", "combined")
    for k in range(1, n + 1):
        cand, rank = order[k - 1], ranks[k - 1]
        if out[k - 1][0] is not None or rank >= k:
            continue
        above = [c.name for r, c in promoted if r > rank and order.index(c) < k - 1]
        who = ", ".join(above) if above else "pinned candidates"
        out[k - 1] = (f"moved down from vote rank {rank} to place {k}: places above went to {who}", "demoted")
    return out
