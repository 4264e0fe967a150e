"""The read models' page, for admins and auditors: how far each read model has applied the event
log, and the events it parked (could not apply), with why (docs/operations.md); and how far the
relay to NATS JetStream has published it (docs/integrators.md)."""

from typing import Any

from flask import Blueprint, render_template

from projections.relay.settings import configured_stream
from projections.relay.store import relay_status
from interfaces.services import kampung, readmodels
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
    relay = relay_status(runner.engine, kampung().recorder.max_notification_id() or 0)
    return render_template("operations/read_models.html", statuses=statuses, parked=parked, relay=relay,
                           relay_stream=configured_stream())
