"""No input answers 5xx, on the web too: hostile values (control characters, lone surrogates, far
dates, huge numbers, NIKs with spaces, odd uploads) posted to every form of the web pages, signed in
as the administrator, with CSRF protection off (tests/web/test_csrf.py specifies it). Every answer is
below 500, nothing is logged as an error, and a refused form records nothing.

The forms are every POST route of the web blueprints in ``app.url_map``; the field names are those of
every schema the app loads, so a new form is covered the day it is added.
"""

import io
import logging
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import class_registry

from tests.hostile import texts
from tests.web.conftest import head, sign_in
from tests.web.routes import example_values, every_route, report_claim


def field_names() -> list[str]:
    """Every field of every schema loaded (the shared schemas and the web's own), and the shapes a
    form gives names: checkboxes (``documents[]``) and rows (``lines-0-amount``)."""
    names = {name for schemas in class_registry._registry.values() for schema in schemas  # noqa: SLF001
             for name in schema._declared_fields}  # noqa: SLF001
    return sorted(names | {f"{name}[]" for name in names} | {"lines-0-amount", "lines-0-benefit", "csrf_token"})


def form_values() -> st.SearchStrategy[Any]:
    # A form is UTF-8 text; what is no UTF-8 (a surrogate's bytes, 0xFF) comes in the raw bodies below.
    upload = st.tuples(st.binary(max_size=200).map(io.BytesIO), st.sampled_from(["peserta.csv", "", "a\x00.csv"]))
    return st.one_of(texts(surrogates=False), st.lists(texts(surrogates=False), max_size=3), upload)


def raw_bodies(names: list[str]) -> st.SearchStrategy[str]:
    """A urlencoded body with bytes no UTF-8 text has: a lone surrogate's (ED A0 80), 0xFF, an overlong /."""
    odd = st.sampled_from(["%ED%A0%80", "%FF", "%C0%AF", "%00", "%E2%80%AE"])
    pairs = st.tuples(st.sampled_from(names).map(lambda name: quote(name, safe="")), odd, texts(surrogates=False))
    return st.lists(pairs, min_size=1, max_size=4).map(
        lambda items: "&".join(f"{name}={value}{quote(rest, safe='')}" for name, value, rest in items))


def test_no_hostile_form_is_answered_with_a_server_error(client, app_sqlite, web_world, caplog) -> None:
    forms = [route for route in every_route(client.application, example_values(web_world, report_claim(
        app_sqlite, web_world))) if route.method == "POST" and not route.is_api]
    assert len(forms) >= 15
    names = field_names()
    caplog.set_level(logging.WARNING)

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(form=st.sampled_from(forms),
           data=st.one_of(st.dictionaries(st.sampled_from(names), form_values(), max_size=6), raw_bodies(names)))
    def answered(form: Any, data: dict[str, Any] | str) -> None:
        caplog.clear()
        sign_in(client, "admin.dpmppa", "admin")  # again each time: one of the forms signs out
        before = head(app_sqlite)
        if isinstance(data, str):
            content_type = "application/x-www-form-urlencoded"
        else:
            content_type = "multipart/form-data" if any(isinstance(value, tuple) for value in data.values()) else None
        response = client.post(form.path, data=data, content_type=content_type)
        assert response.status_code < 500, (form, response.status_code)
        assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
        if response.status_code >= 400:
            assert head(app_sqlite) == before

    answered()
