"""The read models' page, for admins and auditors: how far each read model has applied the event
log, and the events it parked (could not apply), with why (docs/operations.md)."""

from typing import Any

from flask import Blueprint, render_template

from interfaces.services import readmodels
from interfaces.web.audit import AGGREGATE_LABELS, EVENT_LABELS

blueprint = Blueprint("operations", __name__, url_prefix="/admin")

MODEL_LABELS = {"coverage": "Kepesertaan dan iuran", "audit": "Jejak audit", "claims": "Papan klaim"}


@blueprint.context_processor
def labels() -> dict[str, Any]:
    return {"model_labels": MODEL_LABELS, "event_labels": EVENT_LABELS, "aggregate_labels": AGGREGATE_LABELS}


@blueprint.get("/read-models")
def read_models() -> str:
    runner = readmodels()
    statuses = runner.status()
    parked = {status.name: runner.parked(status.name) for status in statuses if status.parked}
    return render_template("operations/read_models.html", statuses=statuses, parked=parked)
