"""Nominee selection under set-wide quotas: exact, explained, with pins and exclusions (docs/nominees.md)."""

from __future__ import annotations

from tandau.core.nominees.diagnose import diagnose
from tandau.core.nominees.explain import explain, vote_share
from tandau.core.nominees.model import Nominee, NomineeRequest, NomineeResult
from tandau.core.nominees.problem import compile_request
from tandau.core.rules.check import check_list


def select_nominees(request: NomineeRequest) -> NomineeResult:
    """Choose one nominee per district so that the rules hold over the chosen set (and ``also_counted``), with
    (1) the fewest departures from the districts' primary winners, then (2) the smallest sum of (rank − 1), then
    (3) the lexicographically smallest sequence of ranks in district order.

    Raises :class:`~tandau.core.nominees.NomineesInfeasibleError` with the diagnosis when no choice exists, and
    :class:`~tandau.errors.InputError` for a positional rule, a bad pin or a missing election date.
    """
    problem = compile_request(request)
    solution, _ = problem.run()
    if solution.picks is None:
        raise diagnose(problem)
    picks = [opt.index for opt in solution.picks]
    whys = explain(problem, picks)
    nominees = []
    for d, (i, why) in enumerate(zip(picks, whys, strict=True)):
        ranking = problem.rankings[d]
        nominees.append(Nominee(request.districts[d].id, ranking[i], i + 1, ranking[0], vote_share(ranking[i], ranking),
                                None if why is None else why.text, why, d in problem.pins))
    chosen = [n.candidate for n in nominees] + list(request.also_counted)
    checks = check_list(chosen, problem.rules, request.election_date)
    return NomineeResult(tuple(nominees), checks, problem.rules, sum(1 for i in picks if i > 0), sum(picks),
                         solution.states)
