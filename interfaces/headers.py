"""Security headers on every response: a Content-Security-Policy that allows no inline script or
style (the pages ship none: tests/web/test_security_headers.py), no framing, no MIME sniffing, and
referrers only within the site."""

from flask import Flask, Response, request

from interfaces.api.spec import DOCS_BLUEPRINT

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Swagger UI's stylesheet draws its icons as data: URIs; the API's description page alone allows them.
DOCS_POLICY = {**POLICY, "img-src": "'self' data:"}


def content_security_policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


CSP = content_security_policy(POLICY)
DOCS_CSP = content_security_policy(DOCS_POLICY)
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DOCS_CSP if request.endpoint == f"{DOCS_BLUEPRINT}.index" else CSP
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


def init_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
