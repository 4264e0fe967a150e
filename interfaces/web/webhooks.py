"""Admin pages for webhook subscriptions: the list with the form that creates one (its secret is
shown once, on the page that answers the form), a subscription's page with its status,
checkpoint and recent deliveries, pause and resume, redelivery from a position, and deletion.

Views hold no try/except: invalid input and unknown ids rise to ``interfaces/errors.py``.
"""

from typing import Any
from uuid import UUID

from flask import Blueprint, make_response, render_template, request
from werkzeug.wrappers import Response

from interfaces.feed.webhook_store import DEAD, DELIVERED, EVENT_TOPICS, FAILED, PAUSED, ACTIVE
from interfaces.feed.webhooks import head_of, init_webhooks, webhook_store
from interfaces.schemas.webhooks import ChangeWebhookStatus, CreateWebhook, Redeliver
from interfaces.web.actor import require_actor
from interfaces.web.audit import AGGREGATE_LABELS, EVENT_LABELS
from interfaces.web.forms import done, form_page, load
from interfaces.services import kampung

blueprint = Blueprint("webhooks_admin", __name__, url_prefix="/admin/webhooks")
blueprint.record_once(lambda state: init_webhooks(state.app))

STATUS_LABELS = {ACTIVE: "Aktif", PAUSED: "Dijeda", DEAD: "Berhenti (gagal berulang kali)"}
DELIVERY_LABELS = {DELIVERED: "Terkirim", FAILED: "Gagal"}
DELIVERIES_PER_PAGE = 25

FormResponse = tuple[str, int] | Response


def event_type_groups() -> dict[str, list[tuple[str, str]]]:
    """The event types as checkbox options, grouped by aggregate, in life-cycle order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, topic in EVENT_TOPICS.items():
        aggregate = topic.split(":", 1)[1].split(".", 1)[0]
        groups.setdefault(AGGREGATE_LABELS.get(aggregate, aggregate), []).append((name, EVENT_LABELS.get(name, name)))
    return groups


@blueprint.context_processor
def labels() -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "delivery_labels": DELIVERY_LABELS, "event_labels": EVENT_LABELS}


def _index_page() -> Any:
    return form_page("webhooks/index.html", subscriptions=webhook_store().subscriptions().rows,
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
    subscription, secret = webhook_store().create(
        data["url"].strip(), data["event_types"], actor, head_of(kampung()), data["from_position"]
    )
    # The secret is shown on this answer only: no redirect (it would have to carry the secret), and
    # no copy kept by the browser's cache.
    response = make_response(render_template("webhooks/created.html", subscription=subscription, secret=secret), 201)
    response.headers["Cache-Control"] = "no-store"
    return response


def _detail_page(subscription_id: UUID) -> Any:
    store = webhook_store()
    subscription = store.get(str(subscription_id))
    after = request.args.get("after", type=int)
    page = store.deliveries(str(subscription_id), after=after, limit=DELIVERIES_PER_PAGE)
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
    require_actor()
    webhook_store().pause(str(subscription_id), load(ChangeWebhookStatus())["expected_status"])
    return done("Pengiriman webhook dijeda.", ".detail", subscription_id=subscription_id)


@blueprint.post("/<uuid:subscription_id>/resume")
def resume(subscription_id: UUID) -> Response:
    require_actor()
    webhook_store().resume(str(subscription_id), load(ChangeWebhookStatus())["expected_status"])
    return done("Pengiriman webhook dilanjutkan.", ".detail", subscription_id=subscription_id)


@blueprint.post("/<uuid:subscription_id>/redeliver")
def redeliver(subscription_id: UUID) -> FormResponse:
    require_actor()
    _detail_page(subscription_id)
    data = load(Redeliver())
    webhook_store().redeliver(str(subscription_id), data["from_position"], head_of(kampung()))
    return done(f"Peristiwa mulai posisi {data['from_position']} akan dikirim ulang.", ".detail",
                subscription_id=subscription_id)


@blueprint.get("/<uuid:subscription_id>/delete")
def confirm_delete(subscription_id: UUID) -> str:
    require_actor()
    return render_template("webhooks/delete.html", subscription=webhook_store().get(str(subscription_id)))


@blueprint.post("/<uuid:subscription_id>/delete")
def delete(subscription_id: UUID) -> Response:
    require_actor()
    webhook_store().delete(str(subscription_id))
    return done("Langganan webhook dihapus.", ".index")
