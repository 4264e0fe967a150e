"""What every API request goes through: the acting user, JSON bodies, problem documents, CSRF."""

import pytest

from tests.api.conftest import assert_problem
from tests.web.conftest import sign_in

SIPIN_RT = {"kelurahan_code": "15.71.01.1001", "rt_number": 5}


def test_without_a_token_it_is_401_with_a_bearer_challenge(api):
    response = api.post("/rts", SIPIN_RT, actor=None)
    body = assert_problem(response, 401)
    assert "Bearer" in body["detail"] and body["type"].endswith("SignInRequired")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert api.get("/rts").get_json()["items"] == []


def test_the_tokens_account_is_recorded_on_the_events(api):
    rt = api.post("/rts", SIPIN_RT, actor="admin.kedua:admin").get_json()
    [event] = api.get(f"/aggregates/{rt['id']}/history").get_json()["items"]
    assert event["actor"] == {"user_id": "admin.kedua", "role": "admin"}


def test_a_signed_in_web_session_is_no_api_credential(client, flask_app):
    assert flask_app.config.get("WTF_CSRF_ENABLED", True)  # CSRF protection is on in these tests
    sign_in(client, "petugas.klaim.1", "claim_officer")
    assert_problem(client.post("/api/v1/rts", json=SIPIN_RT), 401)
    assert_problem(client.get("/api/v1/rts"), 401)


def test_the_old_actor_header_names_nobody(client):
    response = client.post("/api/v1/rts", json=SIPIN_RT, headers={"X-Kampung-Actor": "admin.dpmppa:admin"})
    assert_problem(response, 401)


def test_web_forms_stay_csrf_protected(client):
    response = client.post("/sign-in", data={"username": "x", "password": "y"})
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
    assert_problem(api.client.delete("/api/v1/rts", headers=api.headers(api.actor)), 405)
