"""WebhookSubscription: subscribed by an owner → paused, resumed, redelivery requested → unsubscribed;
seen by its owner, administrators and auditors only; nothing after it is deleted."""

from uuid import UUID

from domain.actor import Actor
from domain.errors import AlreadyDone
from domain.webhook import WebhookSubscription, sees_subscription
from tests.unit.scenario import given, refused, then_events

ID = UUID("0b7e1f3c-5a2d-4c1e-9f3a-2d6b8e4c7a10")
BPJS = Actor("integrasi.bpjs", "integrator")
DINKES = Actor("integrasi.dinkes", "integrator")
ADMIN = Actor("admin.dpmppa", "admin")
AUDITOR = Actor("auditor.inspektorat", "auditor")
URL = "https://bpjstk.example/kampung"


def subscribed():
    return lambda: WebhookSubscription.subscribe(ID, URL, ["SantunanPaid"], BPJS)


def test_subscribing_records_the_target_the_filter_and_the_owner_never_a_secret():
    subscription = WebhookSubscription.subscribe(ID, URL, ["SantunanPaid"], BPJS)
    assert subscription.id == ID
    assert then_events(subscription) == [("WebhookSubscription.WebhookSubscribed", {
        "url": URL, "event_types": ["SantunanPaid"], "owner": BPJS, "actor": BPJS})]


def test_a_subscription_recorded_later_by_the_system_keeps_its_makers_ownership():
    system = Actor("system", "system")
    subscription = WebhookSubscription.subscribe(ID, URL, [], system, owner=BPJS)
    assert subscription.owner == BPJS and subscription.visible_to(BPJS) and not subscription.visible_to(DINKES)


def test_each_change_is_an_event_with_its_actor():
    subscription = given(subscribed())
    subscription.pause(BPJS)
    subscription.resume(ADMIN)
    subscription.request_redelivery(42, BPJS)
    subscription.unsubscribe(BPJS)
    assert then_events(subscription) == [
        ("WebhookSubscription.WebhookPaused", {"actor": BPJS}),
        ("WebhookSubscription.WebhookResumed", {"actor": ADMIN}),
        ("WebhookSubscription.RedeliveryRequested", {"from_position": 42, "actor": BPJS}),
        ("WebhookSubscription.WebhookUnsubscribed", {"actor": BPJS}),
    ]


def test_the_owner_administrators_and_auditors_see_it_other_integrators_do_not():
    subscription = given(subscribed())
    assert [subscription.visible_to(actor) for actor in (BPJS, ADMIN, AUDITOR, DINKES)] == [True, True, True, False]
    assert sees_subscription(ADMIN, "anyone") and not sees_subscription(DINKES, BPJS.user_id)


def test_after_it_is_deleted_nobody_sees_it_and_nothing_more_is_recorded():
    subscription = given(subscribed(), lambda s: s.unsubscribe(BPJS))
    assert not subscription.visible_to(ADMIN)
    for change in (lambda: subscription.pause(ADMIN), lambda: subscription.resume(ADMIN),
                   lambda: subscription.request_redelivery(1, ADMIN), lambda: subscription.unsubscribe(ADMIN)):
        refused(subscription, change, AlreadyDone)
