"""Reading the pages as a user and a screen reader do: a field's value, the error beside it,
its label, where a redirect leads."""

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

CONFLICT = "telah diubah orang lain"
REQUIRED = "Wajib diisi."
VOID = {"input", "br", "hr", "img", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class Page(HTMLParser):
    """Elements by id, with their attributes, text and (for a select) options."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict[str, Any]] = {}
        self.stack: list[dict[str, Any]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": {k: (v or "") for k, v in attrs}, "text": "", "options": []}
        if "id" in element["attrs"]:
            self.by_id[element["attrs"]["id"]] = element
        if tag == "option":
            select = next((e for e in reversed(self.stack) if e["tag"] == "select"), None)
            if select is not None:
                select["options"].append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index]["tag"] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element["text"] += data


def html_of(response) -> str:
    return response.get_data(as_text=True)


def element(html: str, element_id: str) -> dict[str, Any]:
    found = Page(html).by_id.get(element_id)
    assert found is not None, f"no element with id {element_id!r}"
    return found


def value_of(html: str, name: str) -> str:
    """What the form shows in the field ``name``: an input's value, a textarea's text, a select's choice."""
    field = element(html, name)
    if field["tag"] == "textarea":
        return field["text"].removeprefix("\n")
    if field["tag"] == "select":
        chosen = [o["attrs"].get("value", "") for o in field["options"] if "selected" in o["attrs"]]
        return chosen[0] if chosen else ""
    return field["attrs"].get("value", "")


def error_text(html: str, name: str) -> str:
    """The error the form shows for field ``name`` (also for a field it has no input for)."""
    error = element(html, f"{name}-error")
    assert "field-error" in error["attrs"].get("class", "").split(), f"{name}-error is not a field error"
    return " ".join(error["text"].split())


def error_beside(html: str, name: str) -> str:
    """The error shown beside field ``name``; the field is marked invalid and points at it."""
    field = element(html, name)
    assert field["attrs"].get("aria-invalid") == "true", f"{name} is not marked aria-invalid"
    assert f"{name}-error" in field["attrs"].get("aria-describedby", "").split()
    return error_text(html, name)


def has_label(html: str, name: str) -> bool:
    return re.search(rf'<label for="{re.escape(name)}">', html) is not None and element(html, name) is not None


def csrf_token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def flash_after(client, response) -> str:
    """The page the redirect leads to (with the flash message on it)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def sent_to_sign_in(response) -> str:
    """Where a response sends a user who is not signed in: ``/sign-in?next=<the page>``; returns next."""
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/sign-in"
    return parse_qs(location.query)["next"][0]
