"""The example receiver of docs/integrators.md, run as written: it verifies real deliveries,
answers 204, and hands each event to its work queue once, however often it arrives."""

import re
import sys
import threading
import time
import types
from pathlib import Path

from werkzeug.serving import make_server

from tests.feed.webhook_support import (  # noqa: F401 - _dispose_engines is a fixture
    ADMIN, _dispose_engines, head, launched_rts, store_of, worker_of,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "integrators.md"
MARKER = "<!-- example: webhook receiver"


def example_code() -> str:
    text = DOCS.read_text(encoding="utf-8")
    after = text[text.index(MARKER):]
    return re.search(r"```python\n(.*?)```", after, re.DOTALL).group(1)


def test_the_documented_receiver_verifies_and_drops_duplicates(app_sqlite, tmp_path, monkeypatch):
    store = store_of(app_sqlite)
    subscription_url = "http://127.0.0.1:{port}/kampung/webhook"
    monkeypatch.setenv("RECEIVED_DB", str(tmp_path / "received.sqlite"))
    monkeypatch.chdir(tmp_path)

    server = None
    module = types.ModuleType("kampung_example_receiver")
    try:
        # The secret exists only once the subscription does: subscribe first, then start the receiver.
        subscription, secret = store.create("http://127.0.0.1:1/", [], ADMIN, head=head(app_sqlite))
        monkeypatch.setenv("KAMPUNG_WEBHOOK_SECRET", secret)
        sys.modules[module.__name__] = module
        exec(compile(example_code(), str(DOCS), "exec"), module.__dict__)
        handled: list[dict] = []
        module.handle = handled.append  # the worker thread looks the function up when it runs

        server = make_server("127.0.0.1", 0, module.app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with store.engine.begin() as connection:  # point the subscription at the receiver's port
            from projections.webhooks.store import subscriptions
            connection.execute(subscriptions.update().values(url=subscription_url.format(port=server.server_port)))

        last = launched_rts(app_sqlite, 1)
        worker = worker_of(app_sqlite, store)
        assert worker.deliver_due().delivered == last
        store.redeliver(subscription["id"], 1, head(app_sqlite))  # everything again: all duplicates
        assert worker.deliver_due().delivered == last
        module.work.join()
        assert [event["position"] for event in handled] == list(range(1, last + 1))

        client = module.app.test_client()
        forged = client.post("/kampung/webhook", data=b"{}", headers={
            "webhook-id": "x", "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,AAAA"})
        assert forged.status_code == 400
        rows = store.deliveries(subscription["id"], limit=None).rows
        assert {row["http_status"] for row in rows} == {204}
    finally:
        if server is not None:
            server.shutdown()
        sys.modules.pop(module.__name__, None)
        if hasattr(module, "seen"):
            module.seen.close()
