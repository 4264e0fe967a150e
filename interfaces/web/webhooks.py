"""Admin pages for webhook subscriptions: the list with the form that creates one (its secret is
shown once, on the page that answers the form), a subscription's page with its status,
checkpoint and recent deliveries, pause and resume, redelivery from a position, and deletion.

Views hold no try/except: invalid input and unknown ids rise to ``interfaces/errors.py``.
"""

from typing import Any
from uuid import UUID

from flask import Blueprint, make_response, render_template, request
from werkzeug.wrappers import Response

from projections.webhooks import http as webhook_http, targets as webhook_targets
from interfaces.webhook_subscriptions import head_of
from projections.webhooks.tables import ACTIVE, DEAD, DELIVERED, EVENT_TOPICS, FAILED, PAUSED
from projections.webhooks.worker import CANNOT_ENCODE
from interfaces.webhooks import init_webhooks, webhook_subscriptions
from interfaces.schemas.webhooks import ChangeWebhookStatus, CreateWebhook, Redeliver
from interfaces.web.actor import require_actor
from interfaces.web.audit import AGGREGATE_LABELS, EVENT_LABELS
from interfaces.web.forms import done, form_page, load
from interfaces.services import kampung

blueprint = Blueprint("webhooks_admin", __name__, url_prefix="/admin/webhooks")
blueprint.record_once(lambda state: init_webhooks(state.app))

STATUS_LABELS = {ACTIVE: "Aktif", PAUSED: "Dijeda", DEAD: "Berhenti (gagal berulang kali)"}
DELIVERY_LABELS = {DELIVERED: "Terkirim", FAILED: "Gagal"}
# Why a delivery failed, said by us (never the receiver's answer); "HTTP 500" needs no translation.
FAILURE_LABELS = {
    webhook_http.TIMEOUT: "Waktu tunggu habis",
    webhook_http.CONNECTION_REFUSED: "Koneksi ditolak penerima",
    webhook_http.CONNECTION_FAILED: "Koneksi gagal",
    webhook_http.TLS_ERROR: "Galat TLS (sertifikat tidak sah)",
    webhook_http.BAD_RESPONSE: "Jawaban HTTP tidak sah",
    webhook_targets.HOST_NOT_FOUND: "Nama host tidak ditemukan",
    webhook_targets.REFUSED_INTERNAL: "Ditolak: alamat internal",
    webhook_targets.REFUSED_HTTP: "Ditolak: http tanpa enkripsi",
}
DELIVERIES_PER_PAGE = 25

FormResponse = tuple[str, int] | Response


def event_type_groups() -> dict[str, list[tuple[str, str]]]:
    """The event types as checkbox options, grouped by aggregate, in life-cycle order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, topic in EVENT_TOPICS.items():
        aggregate = topic.split(":", 1)[1].split(".", 1)[0]
        groups.setdefault(AGGREGATE_LABELS.get(aggregate, aggregate), []).append((name, EVENT_LABELS.get(name, name)))
    return groups


def failure_label(reason: str | None) -> str:
    if not reason:
        return "–"
    if reason.startswith(CANNOT_ENCODE):
        return "Peristiwa tidak dapat dikodekan" + reason.removeprefix(CANNOT_ENCODE)
    return FAILURE_LABELS.get(reason, reason)


@blueprint.context_processor
def labels() -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "delivery_labels": DELIVERY_LABELS, "event_labels": EVENT_LABELS,
            "failure_label": failure_label}


def _index_page() -> Any:
    return form_page("webhooks/index.html", subscriptions=webhook_subscriptions().subscriptions(require_actor()).rows,
                     event_groups=event_type_groups())


@blueprint.get("")
def index() -> FormResponse:
    require_actor()
    return _index_page().render()


@blueprint.post("")
def create() -> Response:
    actor = require_actor()
    _index_page()
    data = load(CreateWebhook())
    subscription, secret = webhook_subscriptions().subscribe(
        data["url"], data["event_types"], actor, data["from_position"]
    )
    # The secret is shown on this answer only: no redirect (it would have to carry the secret), and
    # no copy kept by the browser's cache.
    response = make_response(render_template("webhooks/created.html", subscription=subscription, secret=secret), 201)
    response.headers["Cache-Control"] = "no-store"
    return response


def _detail_page(subscription_id: UUID) -> Any:
    subscriptions, viewer = webhook_subscriptions(), require_actor()
    subscription = subscriptions.get(str(subscription_id), viewer)
    after = request.args.get("after", type=int)
    page = subscriptions.deliveries(str(subscription_id), viewer, after=after, limit=DELIVERIES_PER_PAGE)
    head = head_of(kampung())
    return form_page(
        "webhooks/detail.html", subscription=subscription, deliveries=page.rows, next_after=page.next,
        paged=after is not None, head=head, lag=max(head - subscription["position"], 0),
        initial={"from_position": subscription["position"] + 1},
    )


@blueprint.get("/<uuid:subscription_id>")
def detail(subscription_id: UUID) -> FormResponse:
    require_actor()
    return _detail_page(subscription_id).render()


@blueprint.post("/<uuid:subscription_id>/pause")
def pause(subscription_id: UUID) -> Response:
    actor = require_actor()
    webhook_subscriptions().pause(str(subscription_id), actor, load(ChangeWebhookStatus())["expected_status"])
    return done("Pengiriman webhook dijeda.", ".detail", subscription_id=subscription_id)


@blueprint.post("/<uuid:subscription_id>/resume")
def resume(subscription_id: UUID) -> Response:
    actor = require_actor()
    webhook_subscriptions().resume(str(subscription_id), actor, load(ChangeWebhookStatus())["expected_status"])
    return done("Pengiriman webhook dilanjutkan.", ".detail", subscription_id=subscription_id)


@blueprint.post("/<uuid:subscription_id>/redeliver")
def redeliver(subscription_id: UUID) -> FormResponse:
    actor = require_actor()
    _detail_page(subscription_id)
    data = load(Redeliver())
    webhook_subscriptions().redeliver(str(subscription_id), data["from_position"], actor)
    return done(f"Peristiwa mulai posisi {data['from_position']} akan dikirim ulang.", ".detail",
                subscription_id=subscription_id)


@blueprint.get("/<uuid:subscription_id>/delete")
def confirm_delete(subscription_id: UUID) -> str:
    subscription = webhook_subscriptions().get(str(subscription_id), require_actor())
    return render_template("webhooks/delete.html", subscription=subscription)


@blueprint.post("/<uuid:subscription_id>/delete")
def delete(subscription_id: UUID) -> Response:
    webhook_subscriptions().unsubscribe(str(subscription_id), require_actor())
    return done("Langganan webhook dihapus.", ".index")
