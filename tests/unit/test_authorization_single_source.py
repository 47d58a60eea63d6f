"""One source of truth for authorization (issue 10): only ``tandau.services.primaries.access`` decides by role.

Everything else asks ``access.is_allowed`` / ``require`` / ``allowed_somewhere`` / ``territories`` with an
``Action``. This test reads the source of the package and fails on a module that decides on its own: a
comparison with a ``Role.X`` member, a walk over an actor's ``grants``, a read of ``POLICY`` or a
``require_roles(...)`` gate outside ``web/deps.py``. The few places that handle roles without deciding who may
act are listed with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tandau
from tandau.services.primaries.access import POLICY, Action, Actor, Grant, Role, is_allowed
from tandau.services.workspace_access import can_read
from tandau.services.workspace_lists import can_edit, can_view
from tandau.store.models import Contest

SRC = Path(tandau.__file__).parent
POLICY_MODULE = "services/primaries/access.py"

# (module, function) -> why it may touch roles without deciding an authorization
ALLOWED: dict[tuple[str, str], str] = {
    ("services/primaries/auth.py", "grant_role"): "checks the shape of a new grant (which roles carry a territory)",
    ("services/primaries/auth.py", "actor_for"): "builds the grants of a subject from the roll and role_grants",
    ("web/deps.py", "roles_of"): "lists the roles (the session answer, and require_roles below)",
    ("web/deps.py", "require_roles"): "the route gate by role that the brief keeps (StaffUser, CentralUser)",
}


def _functions(tree: ast.AST) -> dict[ast.AST, str]:
    """Every node -> the name of the outermost function that contains it ('' at module level)."""
    owner: dict[ast.AST, str] = {}
    for top in ast.iter_child_nodes(tree):
        name = top.name if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else ""
        for node in ast.walk(top):
            owner[node] = name
    return owner


def _is_role_member(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role":
        return True
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role_member(e) for e in node.elts)
    return False


def _violations(path: Path, root: Path = SRC) -> list[str]:
    rel = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    owner = _functions(tree)
    found: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        if (rel, owner.get(node, "")) not in ALLOWED:
            found.append(f"{rel}:{getattr(node, 'lineno', '?')} ({owner.get(node, '') or 'module'}): {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(_is_role_member(x) for x in (node.left, *node.comparators)):
            flag(node, "compares with a Role member")
        if isinstance(node, ast.comprehension | ast.For):
            target = node.iter
            if isinstance(target, ast.Attribute) and target.attr == "grants":
                flag(node.iter, "walks an actor's grants")
        if isinstance(node, ast.Name) and node.id == "POLICY":
            flag(node, "reads access.POLICY")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "require_roles"
                and rel != "web/deps.py"):
            flag(node, "gates a route by role (use an Action)")
    return found


def test_no_module_but_access_decides_by_role() -> None:
    files = [p for p in sorted(SRC.rglob("*.py")) if p.relative_to(SRC).as_posix() != POLICY_MODULE]
    assert len(files) > 50
    problems = [v for p in files for v in _violations(p)]
    assert not problems, "authorization decided outside access.POLICY:\n" + "\n".join(problems)


def test_the_scanner_catches_each_pattern(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def a(actor):\n"
        "    return any(g.role == Role.CENTRAL for g in actor.grants)\n"
        "def b(role):\n"
        "    return role in (Role.SECRETARY, Role.OBSERVER)\n"
        "def c(actor):\n"
        "    return POLICY[Action.ROLL_IMPORT]\n"
        "X = require_roles(Role.CENTRAL)\n",
        encoding="utf-8",
    )
    kinds = [v.split(": ", 1)[1] for v in _violations(bad, tmp_path)]
    assert sorted(set(kinds)) == sorted({"compares with a Role member", "walks an actor's grants",
                                          "reads access.POLICY", "gates a route by role (use an Action)"})


@pytest.mark.parametrize("role", list(Role))
def test_the_workspace_answers_follow_the_policy(role: Role) -> None:
    """workspace_access.can_read / workspace_lists.can_edit / can_view are the policy's answers, role by role."""
    actor = Actor("u1", (Grant(role, "750000000" if role in (Role.SECRETARY, Role.MEMBER, Role.CANDIDATE) else None),))
    for kato in ("750000000", "751110000", "190000000", None):
        contest = Contest(id="c", kato=kato)
        assert can_read(actor, contest) == is_allowed(actor, Action.WORKSPACE_VIEW, kato)
        assert can_edit(actor, contest) == is_allowed(actor, Action.WORKSPACE_EDIT, kato)
    assert can_view(actor) == (role in POLICY[Action.WORKSPACE_VIEW])


def test_voter_actor_asks_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """deps.voter_actor takes the roll's member grant as enough to cast only because POLICY says so."""
    from tandau.services.primaries import access
    from tandau.store.models import Member
    from tandau.web import deps

    class OneRow:
        def get(self, model: object, key: str) -> Member:
            return Member(id=key, status="active", kato="751110000")

    full = Actor("m1", (Grant(Role.MEMBER, "751110000"), Grant(Role.OBSERVER)))
    monkeypatch.setattr(deps, "actor_for", lambda session, subject: full)
    lean = deps.voter_actor(OneRow(), "m1")  # type: ignore[arg-type]
    assert lean == Actor("m1", (Grant(Role.MEMBER, "751110000"),))
    monkeypatch.setitem(access.POLICY, Action.BALLOT_CAST, {Role.CANDIDATE: "self"})
    assert deps.voter_actor(OneRow(), "m1") is full  # type: ignore[arg-type]
