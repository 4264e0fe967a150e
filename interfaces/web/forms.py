"""Server-rendered forms: validate with a marshmallow schema, run one command, redirect.

A view declares its form page first (``FormPage``); if the schema or the command then raises,
the one error handler (``interfaces/errors.py``) renders that page again with the field errors
next to the fields and the user's input kept. Views hold no try/except.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import Schema
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from domain.actor import Actor


@dataclass
class FormPage:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # The text of files uploaded with the form, by field name (see ``load``).
    uploaded: dict[str, str] = field(default_factory=dict)

    def render(self, errors: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
        if request.method == "POST":
            values = request.form.copy()
            # An uploaded file with errors comes back as text in its field's textarea, to be
            # corrected in place rather than in the file and uploaded again.
            for name, text in self.uploaded.items():
                values[name] = text  # replaces what the (empty) textarea sent
        else:
            values = MultiDict(self.context.pop("initial", {}))
        html = render_template(self.template, errors=errors or {}, values=values, **self.context)
        return html, status


def form_page(template: str, **context: Any) -> FormPage:
    """Declare the page that shows this form (and shows it again on an error)."""
    page = FormPage(template, context)
    g.form_page = page
    return page


# The fields that hold rupiah (also in rows: ``lines-0-amount``).
MONEY_FIELDS = frozenset({"amount", "total_value", "medical_costs", "home_care_costs", "transport_costs"})
GROUPED_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def plain_rupiah(written: str) -> str:
    """Rupiah as people write them, "Rp 50.000.000" or "50.000.000", as the digits the schema
    reads: without a leading "Rp" (or "Rp."), spaces, and dots that group thousands, if that is
    all the dots do. Anything else is left as written, for the schema to judge. Only the web forms
    read amounts so: a JSON client means 1.5 by "1.500"."""
    text = re.sub(r"^rp\.?", "", "".join(written.split()), flags=re.IGNORECASE)
    return text.replace(".", "") if GROUPED_THOUSANDS.fullmatch(text) else text


def _field_value(name: str, value: str) -> str:
    return plain_rupiah(value) if name in MONEY_FIELDS else value


def form_data(multi: MultiDict) -> dict[str, Any]:
    """Form fields as a dict: repeated names (checkboxes) become lists; ``lines-0-amount`` style
    names become a list of dicts under ``lines``; amounts of rupiah become plain digits."""
    data: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, str]]] = {}
    for key in multi:
        values = multi.getlist(key)
        parts = key.split("-")
        if len(parts) == 3 and parts[1].isdigit():
            rows.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = _field_value(parts[2], values[-1])
        elif key.endswith("[]"):
            data[key[:-2]] = values
        else:
            data[key] = _field_value(key, values[-1])
    for name, numbered in rows.items():
        data[name] = [row for _, row in sorted(numbered.items()) if any(value.strip() for value in row.values())]
    return data


def load(schema: Schema) -> dict[str, Any]:
    """The submitted form, validated; uploaded text files are read into their field."""
    data = form_data(request.form)
    data.pop("csrf_token", None)  # checked by CSRFProtect before the view runs
    for name, upload in request.files.items():
        if upload and upload.filename:
            data[name] = upload.read(MAX_UPLOAD + 1).decode("utf-8-sig", errors="replace")
            if "form_page" in g:
                g.form_page.uploaded[name] = data[name]
    return schema.load(data)


MAX_UPLOAD = 1_000_000


def run_command(schema: Schema, command: Callable[..., Any], aggregate_id: UUID, actor: Actor) -> dict[str, Any]:
    """The posted form loaded with ``schema``, and ``command`` run with its fields on the
    aggregate, on the version the user saw (a change made by someone else meanwhile is refused);
    returns the fields, for the success message."""
    data = load(schema)
    command(aggregate_id, actor=actor, expected_version=data.pop("expected_version"), **data)
    return data


def done(message: str, endpoint: str, **values: Any) -> Response:
    """Success: a flash message and a redirect (post/redirect/get)."""
    flash(message, "success")
    return redirect(url_for(endpoint, **values))
