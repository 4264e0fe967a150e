"""What every API request goes through: the acting user, JSON bodies, problem documents, CSRF."""

import pytest

from tests.api.conftest import assert_problem, sign_in

SIPIN_RT = {"kelurahan_code": "15.71.01.1001", "rt_number": 5}


def test_without_an_actor_it_is_401_with_a_challenge(api):
    response = api.post("/rts", SIPIN_RT, actor=None)
    body = assert_problem(response, 401)
    assert "X-Kampung-Actor" in body["detail"] and body["type"].endswith("SignInRequired")
    assert response.headers["WWW-Authenticate"].startswith("X-Kampung-Actor")
    assert api.get("/rts").get_json()["items"] == []


@pytest.mark.parametrize("header", ["admin", "admin.dpmppa:", ":admin", "admin.dpmppa:mayor",
                                    "admin.dpmppa:system", "ad min:admin"])
def test_a_malformed_actor_header_is_401_saying_why(api, header):
    body = assert_problem(api.post("/rts", SIPIN_RT, actor=header), 401, "X-Kampung-Actor")
    assert body["errors"]["X-Kampung-Actor"]


def test_the_actor_header_is_recorded_on_the_events(api):
    rt = api.post("/rts", SIPIN_RT, actor="lurah.sipin:ketua_rt").get_json()
    [event] = api.get(f"/aggregates/{rt['id']}/history").get_json()["items"]
    assert event["actor"] == {"user_id": "lurah.sipin", "role": "ketua_rt"}


def test_a_signed_in_web_user_acts_through_the_session_and_csrf_does_not_apply(client, flask_app):
    assert flask_app.config.get("WTF_CSRF_ENABLED", True)  # CSRF protection is on in these tests
    sign_in(client, "petugas.klaim.1", "claim_officer")
    response = client.post("/api/v1/rts", json=SIPIN_RT)  # no CSRF token
    assert response.status_code == 201
    history = client.get(f"/api/v1/aggregates/{response.get_json()['id']}/history").get_json()
    assert history["items"][0]["actor"] == {"user_id": "petugas.klaim.1", "role": "claim_officer"}


def test_the_header_wins_over_the_session(client, api):
    sign_in(client, "petugas.klaim.1", "claim_officer")
    rt = api.post("/rts", SIPIN_RT, actor="auditor.1:auditor").get_json()
    [event] = api.get(f"/aggregates/{rt['id']}/history").get_json()["items"]
    assert event["actor"]["user_id"] == "auditor.1"


def test_web_forms_stay_csrf_protected(client):
    response = client.post("/sign-in", data={"user_id": "x", "role": "admin"})
    assert response.status_code == 400  # the exemption is the API's alone


def test_malformed_json_is_400(api):
    response = api.post("/rts", data='{"kelurahan_code": "15.71.01.1001",', content_type="application/json")
    body = assert_problem(response, 400, "json")
    assert body["detail"] == "The request body is not valid JSON."
    assert_problem(api.post("/rts", data=b"\xff\xfe", content_type="application/json"), 400, "json")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          None])
def test_a_body_that_is_not_json_is_415(api, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    body = assert_problem(api.post("/rts", data="kelurahan_code=15.71.01.1001&rt_number=5", **kwargs), 415)
    assert "application/json" in body["detail"]
    assert_problem(api.post("/claims/00000000-0000-0000-0000-000000000000/approval", data=""), 415)


def test_an_empty_json_body_reads_as_an_empty_object(api):
    assert_problem(api.post("/rts", data="", content_type="application/json"), 422, "kelurahan_code", "rt_number")
    assert_problem(api.post("/claims/00000000-0000-0000-0000-000000000000/approval", data="",
                            content_type="application/json"), 404)


def test_unknown_fields_and_wrong_shapes_are_422(api):
    body = assert_problem(api.post("/rts", {**SIPIN_RT, "rt_nomor": 5}), 422, "rt_nomor")
    assert body["errors"]["rt_nomor"] == ["Unknown field."]
    assert_problem(api.post("/rts", [SIPIN_RT]), 422, "_schema")
    assert_problem(api.post("/rts", "15.71.01.1001"), 422, "_schema")
    assert_problem(api.post("/rts", {**SIPIN_RT, "rt_number": "lima"}), 422, "rt_number")
    assert_problem(api.post("/rts", {**SIPIN_RT, "expected_version": 0}), 422, "expected_version")


def test_unknown_paths_and_methods_under_the_api_are_problems(api):
    assert_problem(api.get("/nowhere"), 404)
    assert_problem(api.client.delete("/api/v1/rts", headers={"X-Kampung-Actor": "admin.dpmppa:admin"}), 405)
