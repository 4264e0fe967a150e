"""Who may use which route (interfaces/access.py) and, for a Ketua RT, which RT's data
(application/authorization.py).

The matrix sends every route of ``app.url_map`` as every role and anonymously, and compares the
answer with the policy table. Because a table checked against itself proves little, the issue's
requirements are also stated here on their own, without reading the table: the auditor changes
nothing, the integrator reaches only the feed and webhooks, a Ketua RT stays within their RT and
away from claims, a claim officer issues no task letter, and a visitor who is not signed in sees
only the sign-in page and what must be public.
"""

from datetime import date

import pytest

from application.errors import NotPermitted
from interfaces import access
from tests.integration.conftest import ADMIN, COVER, KETUA, launched_rt
from tests.web.conftest import follow, head
from tests.web.pages import sent_to_sign_in
from tests.web.routes import ANONYMOUS, OWN_RT, USERS, Route, Visitor, every_route, example_values, report_claim

VISITORS = (*USERS, ANONYMOUS)
# Public by the issue: signing in, the static files. Public by our decision (interfaces/access.py):
# signing out, the load balancer's probe and the API's own description.
PUBLIC_PATHS = ("/sign-in", "/sign-out", "/static/", "/healthz", "/api/v1/docs/", "/api/v1/openapi.json")
FEED_PATHS = ("/api/v1/events", "/api/v1/event-types", "/api/v1/webhooks")
# Every account, whatever its role, changes its own password (and nothing else of its account).
OWN_ACCOUNT_PATHS = ("/account/password",)


@pytest.fixture
def world(web_world, app_sqlite, client):
    """The values of the URL variables: the web world (RT 005, its covered activity) and a claim on it."""
    claim_id = report_claim(app_sqlite, web_world)
    follow(client)
    return example_values(web_world, claim_id)


@pytest.fixture
def routes(flask_app, world) -> list[Route]:
    return every_route(flask_app, world)


def refusal(response, route: Route, role: str) -> str | None:
    """What is wrong with ``response`` as a refusal of ``role`` (``None``: refused as it should be)."""
    if role == ANONYMOUS and route.is_api:
        expected = response.status_code == 401 and response.mimetype == "application/problem+json"
    elif role == ANONYMOUS:
        expected = response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    elif route.is_api:
        expected = response.status_code == 403 and response.mimetype == "application/problem+json"
    else:
        expected = response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)
    return None if expected else f"{route} as {role}: {response.status_code}, expected a refusal"


def refused(response, route: Route, role: str) -> bool:
    return refusal(response, route, role) is None


def test_every_route_has_a_policy_entry_and_every_entry_a_route(flask_app):
    endpoints = {rule.endpoint for rule in flask_app.url_map.iter_rules()}
    assert sorted(endpoints - access.POLICY.keys()) == [], "routes without a rule are refused to everyone"
    assert sorted(access.POLICY.keys() - endpoints) == []


@pytest.mark.parametrize("role", VISITORS)
def test_every_route_answers_each_role_as_the_policy_says(flask_app, routes, role):
    visitor = Visitor(flask_app, role)
    wrong = []
    for route in routes:
        response = visitor.send(route)
        if access.may(role, route.endpoint, route.method):
            if response.status_code in (401, 403) or (not route.is_api and refused(response, route, ANONYMOUS)):
                wrong.append(f"{route} as {role}: {response.status_code}, expected to be let through")
        else:
            wrong.append(refusal(response, route, role))
    assert [problem for problem in wrong if problem] == []


# --- the issue's requirements, stated without the policy table ------------------------------------


def test_the_auditor_can_post_nowhere(flask_app, routes, app_sqlite):
    visitor = Visitor(flask_app, "auditor")
    before = head(app_sqlite)
    writes = [route for route in routes
              if route.method != "GET" and not route.path.startswith(PUBLIC_PATHS + OWN_ACCOUNT_PATHS)]
    assert len(writes) > 50
    assert [str(route) for route in writes if not refused(visitor.send(route), route, "auditor")] == []
    assert head(app_sqlite) == before


def test_the_auditor_reads_everything_but_the_forms(flask_app, routes):
    visitor = Visitor(flask_app, "auditor")
    pages = [route for route in routes if route.method == "GET" and not route.path.endswith(("/new", "/delete"))]
    forms = ("/ketua", "/enrolment", "/musyawarah", "/launch", "/participants/bulk", "/participants/withdrawal",
             "/value", "/completion", "/cancellation", "/claims/report")
    reads = [route for route in pages if not (route.path.endswith(forms) and not route.is_api)]
    assert [str(route) for route in reads if refused(visitor.send(route), route, "auditor")] == []


def test_the_integrator_reaches_only_the_feed_and_the_webhooks(flask_app, routes):
    visitor = Visitor(flask_app, "integrator")
    let_through = {str(route) for route in routes if not refused(visitor.send(route), route, "integrator")}
    feed = {str(route) for route in routes if route.path.startswith(FEED_PATHS)}
    public = {str(route) for route in routes if route.path.startswith(PUBLIC_PATHS)}
    own_account = {str(route) for route in routes if route.path.startswith(OWN_ACCOUNT_PATHS)}
    assert feed and feed <= let_through
    assert let_through - feed - public - own_account == set()


def test_a_visitor_not_signed_in_is_sent_to_sign_in_everywhere_but_the_public_routes(flask_app, routes):
    visitor = Visitor(flask_app, ANONYMOUS)
    closed = [route for route in routes if not route.path.startswith(PUBLIC_PATHS)]
    assert [str(route) for route in closed if not refused(visitor.send(route), route, ANONYMOUS)] == []
    assert sent_to_sign_in(visitor.send(Route("rts.index", "GET", "/rts?phase=pilot"))) == "/rts?phase=pilot"
    public = [route for route in routes if route.path.startswith(PUBLIC_PATHS)]
    assert [str(route) for route in public if refused(visitor.send(route), route, ANONYMOUS)] == []


def test_a_claim_officer_cannot_issue_task_letters(flask_app, world, app_sqlite):
    visitor = Visitor(flask_app, "claim_officer")
    activity = world["activity_id"]
    before = head(app_sqlite)
    letter = {"number": "ST/002/RT-005/IX/2025", "issued_on": "2025-09-01", "cover_start": "2025-09-01",
              "cover_end": "2025-09-30", "issued_by_nik": "1571010101750001"}
    for route in (Route("activities.issue_task_letter", "GET", f"/activities/{activity}/task-letters/new"),
                  Route("activities.issue_task_letter", "POST", f"/activities/{activity}/task-letters/new")):
        assert refused(visitor.send(route), route, "claim_officer"), route
    api = visitor.api.post(f"/activities/{activity}/task-letters", letter)
    assert api.status_code == 403 and api.mimetype == "application/problem+json"
    assert head(app_sqlite) == before


def test_a_ketua_rt_does_not_touch_claims_administration(flask_app, world, app_sqlite):
    visitor = Visitor(flask_app, "ketua_rt")
    claim = world["claim_id"]
    before = head(app_sqlite)
    for route in (Route("claims.index", "GET", "/claims"), Route("claims.detail", "GET", f"/claims/{claim}"),
                  Route("claims.approve", "POST", f"/claims/{claim}/approve"),
                  Route("claims.confirm_coverage", "POST", f"/claims/{claim}/confirm-coverage"),
                  Route("api_claims.list_claims", "GET", "/api/v1/claims"),
                  Route("api_claims.confirm_coverage", "POST", f"/api/v1/claims/{claim}/coverage-confirmation")):
        assert refused(visitor.send(route), route, "ketua_rt"), route
    assert head(app_sqlite) == before


@pytest.fixture
def other_activity(app_sqlite, client, world):
    """An activity of another RT (RT 007 of Sungai Putri), planned by the city."""
    other_rt = launched_rt(app_sqlite, "15.71.03.1002", 7)
    activity_id = app_sqlite.plan_activity(other_rt, "Pengecoran jalan", "road_repair", "Gang Melati",
                                           20_000_000, COVER, ADMIN)
    follow(client)
    return other_rt, activity_id


def test_a_ketua_rt_cannot_see_or_change_another_rts_activity(flask_app, world, other_activity, app_sqlite):
    other_rt, activity = other_activity
    visitor = Visitor(flask_app, "ketua_rt")
    before = head(app_sqlite)
    for route in (Route("rts.detail", "GET", f"/rts/{other_rt}"),
                  Route("activities.detail", "GET", f"/activities/{activity}"),
                  Route("activities.complete", "GET", f"/activities/{activity}/completion"),
                  Route("activities.cancel", "POST", f"/activities/{activity}/cancellation"),
                  Route("api_activities.get_activity", "GET", f"/api/v1/activities/{activity}"),
                  Route("api_activities.revise_value", "POST", f"/api/v1/activities/{activity}/value"),
                  Route("api_rts.hold_musyawarah", "POST", f"/api/v1/rts/{other_rt}/musyawarah")):
        assert refused(visitor.send(route), route, "ketua_rt"), route
    assert visitor.api.get("/activities", {"rt_id": str(other_rt)}).status_code == 403
    assert head(app_sqlite) == before


def test_a_ketua_rt_sees_only_their_own_rt_in_the_lists(flask_app, world, other_activity):
    other_rt, activity = other_activity
    visitor = Visitor(flask_app, "ketua_rt")
    rts_page = visitor.web.get("/rts").get_data(as_text=True)
    activities_page = visitor.web.get("/activities").get_data(as_text=True)
    assert OWN_RT in rts_page and "15.71.03.1002/RT-007" not in rts_page
    assert str(world["activity_id"]) in activities_page and str(activity) not in activities_page
    rts = visitor.api.get("/rts").get_json()["items"]
    activities = visitor.api.get("/activities").get_json()["items"]
    assert [rt["code"] for rt in rts] == [OWN_RT]
    assert [item["id"] for item in activities] == [str(world["activity_id"])]
    admin = Visitor(flask_app, "admin")
    assert {rt["id"] for rt in admin.api.get("/rts").get_json()["items"]} == {str(world["rt_id"]), str(other_rt)}


def test_a_ketua_rt_may_work_in_their_own_rt(flask_app, world, app_sqlite):
    visitor = Visitor(flask_app, "ketua_rt")
    assert visitor.web.get(f"/activities/{world['activity_id']}").status_code == 200
    response = visitor.api.post(f"/rts/{world['rt_id']}/musyawarah",
                                {"held_on": "2025-08-30", "priorities": ["Jalan setapak"]})
    assert response.status_code == 200, response.get_json()
    assert app_sqlite.get_rt(world["rt_id"]).musyawarah[-1] == (date(2025, 8, 30), ["Jalan setapak"])


def test_the_application_refuses_a_ketua_rt_another_rts_command_and_records_nothing(app_sqlite, other_activity):
    _, activity = other_activity
    before = head(app_sqlite)
    with pytest.raises(NotPermitted):
        app_sqlite.cancel_activity(activity, "Bukan urusan RT ini", KETUA)
    assert head(app_sqlite) == before


def test_the_navigation_shows_each_role_only_the_links_it_may_follow(flask_app, world):
    def links(role: str) -> set[str]:
        visitor = Visitor(flask_app, role)
        html = visitor.web.get("/sign-in").get_data(as_text=True)
        nav = html.split('<nav aria-label="Menu utama">')[1].split("</nav>")[0]
        return {label for label in ("Dasbor", "Daftar RT", "Kegiatan", "Klaim", "Cek kepesertaan", "Jejak audit",
                                    "Webhook", "Status data", "API") if f">{label}</a>" in nav}

    assert links("admin") == {"Dasbor", "Daftar RT", "Kegiatan", "Klaim", "Cek kepesertaan", "Jejak audit",
                              "Webhook", "Status data", "API"}
    assert links("ketua_rt") == {"Daftar RT", "Kegiatan", "API"}
    assert links("claim_officer") == {"Dasbor", "Daftar RT", "Kegiatan", "Klaim", "Cek kepesertaan", "API"}
    assert links("auditor") == {"Dasbor", "Daftar RT", "Kegiatan", "Klaim", "Cek kepesertaan", "Jejak audit",
                                "Webhook", "Status data", "API"}
    assert links("integrator") == {"API"}
    assert links(ANONYMOUS) == {"API"}
