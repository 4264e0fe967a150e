"""NIK masking by who is looking: a NIK is personal data, shown in full only to those whose work
needs it.

| role | NIK shown | why |
| --- | --- | --- |
| admin | full | runs the programme, corrects records |
| claim_officer | full | files claims with BPJS Ketenagakerjaan, which identifies people by NIK |
| ketua_rt | full (their RT only: they see no other) | issues the task letters that name their residents |
| auditor | masked ``1571********0001`` | checks what happened and who did it; the person stays identifiable by name, region and serial |
| integrator | masked | the feed leaves the city's systems; receivers need the events, not the identity numbers |

Not signed in: masked. The masking is applied where data leaves for a reader: the ``nik`` template
filter, the API's ``ShownNIK`` field, and ``for_viewer()`` for the audit trail, its exports, the
aggregate history and the event feed. Searching by a full NIK is unaffected: only output is masked.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask, g, has_request_context
from marshmallow import fields

from domain.actor import Actor
from domain.masking import masked
from domain.nik import mask_nik

FULL_NIK_ROLES = frozenset({"admin", "claim_officer", "ketua_rt"})


def sees_full_nik(actor: Actor | None) -> bool:
    return actor is not None and actor.role in FULL_NIK_ROLES


def viewer() -> Actor | None:
    """Who the current request acts for (set by interfaces/access.py); none outside a request."""
    return g.get("access_actor") if has_request_context() else None


def unchanged(value: Any) -> Any:
    return value


def for_viewer() -> Callable[[Any], Any]:
    """What to do to data before the current viewer gets it; decided now, inside the request, so a
    stream can still apply it after the request's context is gone."""
    return unchanged if sees_full_nik(viewer()) else masked


def shown_nik(nik: str) -> str:
    """The ``nik`` template filter: the NIK as the viewer may see it."""
    return nik if sees_full_nik(viewer()) else mask_nik(nik)


class ShownNIK(fields.String):
    """A NIK in an API response, as the caller may see it."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        text = super()._serialize(value, attr, obj, **kwargs)
        return None if text is None else shown_nik(text)


def init_masking(app: Flask) -> None:
    app.add_template_filter(shown_nik, "nik")
