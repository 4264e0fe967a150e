"""The OpenAPI document describes every endpoint with schemas, and its docs are served locally."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import url_for

HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}
WRITE_PROBLEMS = {"400", "401", "415", "422"}


@pytest.fixture
def spec(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")  # public: no actor needed
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def resolve(spec: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = spec
    for part in ref[2:].split("/"):
        assert part in node, f"dangling $ref {ref}"
        node = node[part]
    return node


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [(path, method, operation, item) for path, item in spec["paths"].items()
            for method, operation in item.items() if method in HTTP_METHODS]


def schema_refs_of(content: dict[str, Any]) -> list[str]:
    schema = content["schema"]
    return [entry["$ref"] for entry in schema.get("oneOf", [schema])]


def test_the_document_is_openapi_3_with_title_version_and_security(spec):
    assert spec["openapi"] == "3.0.3"
    assert spec["info"]["title"] == "Kampung Bahagia case manager" and spec["info"]["version"] == "v1"
    assert "Authorization: Bearer" in spec["info"]["description"]
    schemes = spec["components"]["securitySchemes"]
    assert schemes == {"bearerToken": {"type": "http", "scheme": "bearer",
                                       "description": schemes["bearerToken"]["description"]}}
    assert {name for requirement in spec["security"] for name in requirement} == set(schemes)
    try:  # the full validator when it happens to be installed; the checks below otherwise
        from openapi_spec_validator import validate
    except ImportError:
        return
    validate(spec)


def test_every_ref_resolves_and_every_component_schema_is_an_object(spec):
    for ref in refs(spec):
        resolve(spec, ref)
    for name, schema in spec["components"]["schemas"].items():
        assert schema["type"] == "object" and schema.get("properties"), name


def test_every_api_route_is_documented_and_nothing_else(spec, flask_app):
    documented = {(path, method.upper()) for path, method, _, _ in operations(spec)}
    served = set()
    for rule in flask_app.url_map.iter_rules():
        if rule.endpoint.startswith("api_") and not rule.endpoint.startswith("api_docs."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served
    assert all(path.startswith("/api/v1/") for path, _ in documented)
    # The case manager's own resources; the feed's (events, webhooks) are counted in tests/feed/.
    core = {(path, method) for path, method in documented if not path.startswith(("/api/v1/webhooks", "/api/v1/events", "/api/v1/event-types"))}
    assert len(core) == 36  # 7 RT, 12 activity, 13 claim, coverage, audit, history and state


def test_every_operation_has_a_summary_a_tag_and_its_path_parameters(spec):
    for path, method, operation, item in operations(spec):
        assert operation.get("summary") and operation.get("tags"), (path, method)
        declared = {p["name"] for p in item.get("parameters", []) + operation.get("parameters", [])
                    if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), (path, method)
        for parameter in item.get("parameters", []) + operation.get("parameters", []):
            assert parameter["in"] != "path" or parameter["required"] is True


def test_request_bodies_and_responses_reference_schemas(spec):
    for path, method, operation, _ in operations(spec):
        responses = operation["responses"]
        successes = [code for code in responses if code.startswith("2")]
        assert len(successes) == 1, (path, method)
        success = responses[successes[0]]
        if path == "/api/v1/events/stream":  # Server-Sent Events: a text stream, described in prose
            assert set(success["content"]) == {"text/event-stream"}
        else:
            for ref in schema_refs_of(success["content"]["application/json"]):
                assert ref.startswith("#/components/schemas/")
        problems = {code: resolve(spec, r["$ref"]) if "$ref" in r else r
                    for code, r in responses.items() if not code.startswith("2")}
        assert "401" in problems and "default" in problems, (path, method)
        for response in problems.values():
            assert schema_refs_of(response["content"]["application/problem+json"]) == ["#/components/schemas/Problem"]
        if method == "post":
            body = operation["requestBody"]
            assert body["required"] is True
            body_refs = schema_refs_of(body["content"]["application/json"])
            assert all(ref.startswith("#/components/schemas/") for ref in body_refs)
            assert WRITE_PROBLEMS <= set(problems), (path, method)
            if "{" in path:
                assert "404" in problems, (path, method)
        else:
            assert "requestBody" not in operation


def test_command_bodies_are_the_shared_schemas(spec):
    schemas = spec["components"]["schemas"]
    register = schemas["RegisterRT"]
    assert set(register["properties"]) == {"kelurahan_code", "rt_number", "expected_version"}
    assert set(register["required"]) == {"kelurahan_code", "rt_number"}
    assert register["additionalProperties"] is False
    assert schemas["PlanActivity"]["properties"]["total_value"]["type"] == "integer"
    assert schemas["JoinParticipant"]["properties"]["nik"]["type"] == "string"
    assert set(schemas["JoinParticipantRows"]["properties"]) == {"rows", "expected_version"}
    assert set(schemas["WithdrawParticipant"]["properties"]) == {"reason", "expected_version"}  # NIK in the path
    assert set(schemas["Problem"]["properties"]) == {"type", "title", "status", "detail", "errors"}


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_docs_page_and_its_assets_are_served_locally(client, flask_app):
    with flask_app.test_request_context():
        assert url_for("api_docs.index") == "/api/v1/docs/"  # the web navigation links here
    response = client.get("/api/v1/docs/")  # public: no actor needed
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert not re.search(r"https?://", html), "the docs page must load nothing from the internet"
    assert '"/api/v1/openapi.json"' in html and '"validatorUrl": null' in html
    parser = Assets()
    parser.feed(html)
    assert {url.rsplit("/", 1)[1] for url in parser.urls} == {
        "swagger-ui.css", "swagger-ui-standalone-preset.js", "swagger-ui-bundle.js", "swagger-init.js"}
    # Swagger UI's own files; the page's start-up script is a static file (test_security_headers.py).
    for url in (url for url in parser.urls if url != "/static/swagger-init.js"):
        assert url.startswith("/api/v1/docs/assets/")
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.data) > 1000, url
        assert asset.mimetype in ("text/css", "text/javascript", "application/javascript"), url
        asset.close()


def test_only_the_swagger_ui_files_are_served(client):
    assert client.get("/api/v1/docs/assets/favicon-32x32.png").status_code == 200
    for name in ("index.html", "swagger-initializer.js", "../__init__.py", "oauth2-redirect.html"):
        assert client.get(f"/api/v1/docs/assets/{name}").status_code == 404
