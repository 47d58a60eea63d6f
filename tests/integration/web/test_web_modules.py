"""The module navigation: modules shown by role (asked of access.POLICY), the current module's pages below."""

from __future__ import annotations

from tandau.services.primaries.access import Actor, Grant, Role
from tandau.web.modules import MODULES, navigation

from .conftest import WebClient


def test_each_role_sees_its_modules() -> None:
    def seen(actor: Actor | None) -> list[str]:
        return [m.id for m in navigation(actor, "/").modules]

    assert seen(None) == ["voting"]
    assert seen(Actor("m1", (Grant(Role.MEMBER, "751110000"),))) == ["voting"]
    keyholder = Actor("k", (Grant(Role.KEYHOLDER),))
    assert seen(keyholder) == ["voting", "primaries"]  # the election keys are a page of the primaries
    assert [p.href for p in navigation(keyholder, "/keys").pages] == ["/keys"]
    observer = Actor("o", (Grant(Role.OBSERVER),))
    # the issue's eight modules: proposals inside programmes, appeals inside deputies, keys inside primaries
    assert seen(observer) == ["voting", "primaries", "lists", "seats", "programmes", "control", "deputies",
                              "reports"]
    assert seen(Actor("c", (Grant(Role.CONTROL, "750000000"),))) == ["voting", "control", "deputies"]
    assert seen(Actor.central()) == [m.id for m in MODULES]


def test_the_current_module_shows_only_the_pages_the_user_may_use() -> None:
    observer = Actor("o", (Grant(Role.OBSERVER),))
    secretary = Actor("s", (Grant(Role.SECRETARY, "750000000"),))
    assert [p.href for p in navigation(secretary, "/admin/imports").pages] == [
        "/admin", "/admin/imports", "/staff/primaries"]
    assert "/admin/imports" not in [p.href for p in navigation(observer, "/admin").pages]
    assert navigation(secretary, "/staff/nominees/ms-75").current.id == "lists"  # type: ignore[union-attr]
    assert navigation(secretary, "/staff/primaries").current.id == "primaries"  # type: ignore[union-attr]


def test_pages_carry_the_navigation_in_the_page_language(client: WebClient) -> None:
    client.login("sec-almaty")
    page = client.get("/staff/nominees?lang=ru").text
    assert 'class="module-nav"' in page and "Списки" in page and 'aria-current="page"' in page
    assert 'href="/keys"' not in page  # not a key holder
    client.login(None)
    assert 'class="module-nav"' in client.get("/verify").text


def test_the_central_office_signs_a_person_out_everywhere_from_a_page(client: WebClient) -> None:
    from tests.integration.web.conftest import issue_cookie

    issue_cookie(client.app, "m1")  # type: ignore[arg-type]
    issue_cookie(client.app, "m1")  # type: ignore[arg-type]
    client.login("central")
    page = client.get("/admin/access?lang=ru")
    assert page.status_code == 200 and "Завершить все сеансы" in page.text
    done = client.form("/admin/access/revoke", {"subject": "m1", "reason": "lost phone"})
    assert done.status_code == 200 and "2 сеанса m1 завершены." in done.text  # the language is remembered
    client.login("observer")
    assert client.get("/admin/access").status_code == 403


def test_moderators_see_the_proposals_pages_of_the_programmes_module() -> None:
    moderator = Actor("mod", (Grant(Role.MODERATOR, "750000000"),))
    assert [m.id for m in navigation(moderator, "/").modules] == ["voting", "programmes"]
    nav = navigation(moderator, "/proposals/queue")
    assert nav.current is not None and nav.current.id == "programmes"
    assert [p.href for p in nav.pages] == ["/proposals/dashboard", "/proposals/queue", "/proposals/import",
                                           "/proposals/new"]
    assert "/proposals/import" not in [p.href for p in navigation(Actor("o", (Grant(Role.OBSERVER),)),
                                                                  "/proposals/queue").pages]
