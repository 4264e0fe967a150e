"""Encryption at rest: with ``KAMPUNG_ENCRYPTION_KEY`` set, every event's state is stored encrypted
(AES-GCM) on either store, and everything that reads the log reads through the key; so are the
webhook subscriptions' signing secrets."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from application.config import SecretBox, cipher_env, new_key, read_model_url
from application.errors import StoreUnreadable
from application.service import KampungBahagia
from domain.errors import InvalidValue
from interfaces.cli.main import cli
from projections.cloudevents import feed_page
from projections.webhooks.store import WebhookStore, subscriptions
from interfaces.consumers import build_runner
from projections.audit import AuditFilter, audit_rows
from projections.engine import make_engine
from tests.integration.conftest import ADMIN, KETUA_NIK
from tests.integration.raw_store import appointed_rts, states


@pytest.fixture
def key() -> str:
    return new_key()


@pytest.fixture
def encrypted_app(store_env, clock, key):
    service = KampungBahagia(env={**store_env, **cipher_env({"KAMPUNG_ENCRYPTION_KEY": key})}, clock=clock)
    yield service
    service.close()


def test_no_plaintext_is_stored_and_everything_reads_through_the_key(encrypted_app):
    rt_id = appointed_rts(encrypted_app, count=1)[0]

    stored = states(encrypted_app.env)
    assert len(stored) == 2
    for state in stored:
        assert b"Budi Santoso" not in state and KETUA_NIK.encode() not in state and b"15.71.01.1001" not in state

    assert encrypted_app.get_rt(rt_id).ketua.name == "Budi Santoso"
    runner = build_runner(encrypted_app)
    assert runner.catch_up() > 0
    with runner.reading("audit") as (connection, tables):
        summaries = [row["summary"] for row in audit_rows(connection, tables, AuditFilter())]
    assert summaries[1] == "Budi Santoso ditetapkan sebagai Ketua RT"
    events, _ = feed_page(encrypted_app, after=0, limit=10)
    assert events[1]["data"]["name"] == "Budi Santoso"
    runner.engine.dispose()


def test_a_plain_store_keeps_plaintext(app):
    appointed_rts(app, count=1)
    assert any(b"Budi Santoso" in state for state in states(app.env))


@pytest.mark.parametrize("other", ["another key", "no key"])
def test_opening_the_store_with_another_key_or_none_is_a_clear_error(encrypted_app, store_env, clock, other):
    appointed_rts(encrypted_app, count=1)
    env = {**store_env, **(cipher_env({"KAMPUNG_ENCRYPTION_KEY": new_key()}) if other == "another key" else {})}
    with pytest.raises(StoreUnreadable, match="cannot be read with this configuration: check KAMPUNG_ENCRYPTION_KEY"):
        KampungBahagia(env=env, clock=clock)


def test_a_key_on_a_plain_store_is_a_clear_error(app, store_env, clock, key):
    appointed_rts(app, count=1)
    with pytest.raises(StoreUnreadable):
        KampungBahagia(env={**store_env, **cipher_env({"KAMPUNG_ENCRYPTION_KEY": key})}, clock=clock)


@pytest.mark.parametrize("bad", ["not base64!", "c2hvcnQ=", "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"])
def test_a_malformed_key_is_refused_before_the_store_is_opened(bad):
    with pytest.raises(InvalidValue, match="base64 AES key of 16, 24 or 32 bytes"):
        cipher_env({"KAMPUNG_ENCRYPTION_KEY": bad})


def test_keys_generate_prints_a_fresh_usable_key(tmp_path):
    runner = CliRunner()
    first, second = (runner.invoke(cli, ["keys", "generate"]) for _ in range(2))
    assert first.exit_code == 0 and second.exit_code == 0
    assert first.output != second.output
    assert cipher_env({"KAMPUNG_ENCRYPTION_KEY": first.output.strip()})["CIPHER_KEY"] == first.output.strip()


def test_the_cli_reports_a_wrong_key_without_a_traceback(store, key):
    variables, service = store
    appointed_rts(service, count=1)
    result = CliRunner().invoke(cli, ["projections", "status"], env={**variables, "KAMPUNG_ENCRYPTION_KEY": key})
    assert result.exit_code == 1
    assert "check KAMPUNG_ENCRYPTION_KEY" in result.output and "Traceback" not in result.output


@pytest.fixture
def webhook_engine(app):
    engine = make_engine(read_model_url(app.env))
    yield engine
    engine.dispose()


def test_webhook_secrets_are_sealed_with_the_key(webhook_engine, key):
    box = SecretBox(cipher_env({"KAMPUNG_ENCRYPTION_KEY": key}))
    webhooks = WebhookStore(webhook_engine, box).setup()
    subscription, secret = webhooks.create("https://bpjs.example.org/hook", [], ADMIN, head=0)
    with webhook_engine.connect() as connection:
        kept = connection.execute(select(subscriptions.c.secret)).scalar_one()
    assert secret.startswith("whsec_") and secret not in kept and secret.removeprefix("whsec_") not in kept
    assert webhooks.target(subscription["id"]).secret == secret

    with pytest.raises(StoreUnreadable, match="a webhook secret cannot be read"):
        WebhookStore(webhook_engine, SecretBox(cipher_env({"KAMPUNG_ENCRYPTION_KEY": new_key()}))).target(
            subscription["id"])
    with pytest.raises(StoreUnreadable):
        WebhookStore(webhook_engine, SecretBox({})).target(subscription["id"])


def test_a_webhook_secret_kept_before_the_key_was_set_stays_usable(webhook_engine, key):
    subscription, secret = WebhookStore(webhook_engine, SecretBox({})).setup().create("https://bpjs.example.org/hook", [], ADMIN, 0)
    box = SecretBox(cipher_env({"KAMPUNG_ENCRYPTION_KEY": key}))
    assert WebhookStore(webhook_engine, box).target(subscription["id"]).secret == secret
