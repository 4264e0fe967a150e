"""Pages show each role only what it may do. Every main page is rendered as every role over a small
world, and every link and form on it is read back through the app's own URL map: each must lead to an
endpoint the policy (interfaces/access.py) lets that role use with that method, and a Ketua RT's must
stay within their RT. A button added later without a guard fails here, whatever page it is on."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from interfaces import access
from tests.integration.conftest import ADMIN, SITI, launched_rt
from tests.web.conftest import follow, sign_in
from tests.web.pages import Page, html_of
from tests.web.routes import OWN_RT, USERS, report_claim

# What each role should be offered somewhere on these pages: the walk below does find the actions.
OFFERED = {
    "admin": {"rts.register", "activities.plan", "activities.issue_task_letter", "activities.record_premium_payment",
              "claims.report", "claims.confirm_coverage", "webhooks_admin.create", "webhooks_admin.pause",
              "audit.history", "account.change_password"},
    "ketua_rt": {"activities.plan", "activities.issue_task_letter", "activities.withdraw_participant",
                 "rts.hold_musyawarah", "account.change_password"},
    "claim_officer": {"claims.report", "claims.confirm_coverage", "coverage.check", "account.change_password"},
    "auditor": {"audit.history", "webhooks_admin.detail", "claims.detail", "account.change_password"},
    "integrator": {"api_docs.index", "account.change_password"},
}


class Targets(HTMLParser):
    """Where a page's links and forms lead: (method, path) of each href, form action and formaction."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.targets: list[tuple[str, str]] = []
        self.form_method = "GET"
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "a" and "href" in values:
            self.targets.append(("GET", values["href"]))
        elif tag == "form":
            self.form_method = values.get("method", "get").upper()
            self.targets.append((self.form_method, values.get("action", "")))
        elif tag == "button" and "formaction" in values:
            self.targets.append((self.form_method, values["formaction"]))


@pytest.fixture
def world(web_world, app_sqlite, flask_app, client):
    """RT 005 (the Ketua RT's own) with its activity and a claim, another enrolled RT, a webhook."""
    claim_id = report_claim(app_sqlite, web_world)
    other_rt = launched_rt(app_sqlite, "15.71.01.1002", 7)
    webhook, _ = flask_app.extensions["kampung.webhooks"].create("https://mitra.example/kait", [], ADMIN, 0)
    follow(client)
    return {"rt_id": web_world.rt_id, "activity_id": web_world.activity_id, "claim_id": claim_id,
            "other_rt": other_rt, "subscription_id": webhook["id"]}


def main_pages(flask_app, world) -> list[str]:
    pages = [
        ("dashboard.index", {}), ("rts.index", {}), ("rts.detail", {"rt_id": world["rt_id"]}),
        ("activities.index", {}), ("activities.detail", {"activity_id": world["activity_id"]}),
        ("activities.plan", {}), ("claims.index", {}), ("claims.detail", {"claim_id": world["claim_id"]}),
        ("coverage.check", {"nik": SITI, "at": "2025-09-01T08:00"}), ("audit.index", {}),
        ("audit.history", {"aggregate_id": world["rt_id"]}), ("webhooks_admin.index", {}),
        ("webhooks_admin.detail", {"subscription_id": world["subscription_id"]}), ("account.change_password", {}),
    ]
    with flask_app.test_request_context():
        return [flask_app.url_for(endpoint, **values) for endpoint, values in pages]


def problems_of(flask_app, role: str, own_rt, page: str, html: str) -> tuple[set[str], list[str]]:
    """The endpoints the page leads to, and what on it leads where ``role`` (a Ketua RT: of the RT
    ``own_rt``) may not go."""
    adapter = flask_app.url_map.bind("localhost")
    reached, wrong = set(), []
    for method, target in Targets(html).targets:
        url = urlsplit(target)
        if url.scheme or url.netloc or not url.path:  # another site, or this page's own fragment
            continue
        try:
            endpoint, arguments = adapter.match(url.path, method=method)
        except HTTPException:
            wrong.append(f"{page}: {method} {target} leads to no route")
            continue
        reached.add(endpoint)
        if not access.may(role, endpoint, method):
            wrong.append(f"{page}: {method} {target} ({endpoint}) is not for {role}")
        elif own_rt is not None:
            with flask_app.test_request_context():
                rt_id = access.rt_in_request(arguments)
            if rt_id not in (None, own_rt):
                wrong.append(f"{page}: {method} {target} ({endpoint}) is in another RT")
    return reached, wrong


@pytest.mark.parametrize("role", sorted(USERS))
def test_every_link_and_form_on_the_main_pages_is_one_the_role_may_use(flask_app, world, role):
    client = flask_app.test_client()
    sign_in(client, USERS[role], role, OWN_RT if role == "ketua_rt" else None)
    reached, wrong = set(), []
    for page in main_pages(flask_app, world):
        own_rt = world["rt_id"] if role == "ketua_rt" else None
        endpoints, problems = problems_of(flask_app, role, own_rt, page, html_of(client.get(page)))
        reached |= endpoints
        wrong += problems
    assert wrong == []
    assert OFFERED[role] <= reached


def test_a_ketua_rt_plans_only_for_their_own_rt_which_is_chosen_already(flask_app, world):
    client = flask_app.test_client()
    sign_in(client, USERS["ketua_rt"], "ketua_rt", OWN_RT)
    select = Page(html_of(client.get("/activities/new"))).by_id["rt_id"]
    offered = [option["attrs"]["value"] for option in select["options"] if option["attrs"].get("value")]
    chosen = [option["attrs"]["value"] for option in select["options"] if "selected" in option["attrs"]]
    assert offered == chosen == [str(world["rt_id"])]


def test_an_admin_plans_for_any_enrolled_rt(flask_app, world):
    client = flask_app.test_client()
    sign_in(client, "admin.dpmppa", "admin")
    select = Page(html_of(client.get("/activities/new"))).by_id["rt_id"]
    offered = {option["attrs"]["value"] for option in select["options"] if option["attrs"].get("value")}
    assert offered == {str(world["rt_id"]), str(world["other_rt"])}
