"""The example consumer of docs/integrators.md, run as written against the relay's stream: a durable
pull consumer gets the claim events once, in order, parsed by the CloudEvents SDK, and a consumer that
is given them all again (a new durable, the same record of done ids) does none of them twice."""

import asyncio
import re
import sys
import types
from pathlib import Path

from tests.feed.feed_support import full_history
from tests.feed.relay_support import (  # noqa: F401 - channel and _dispose_engines are fixtures
    _dispose_engines, caught_up, channel, expected_events, relay_of, run_relay,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "integrators.md"
MARKER = "<!-- example: broker consumer"


def example_code() -> str:
    text = DOCS.read_text(encoding="utf-8")
    after = text[text.index(MARKER):]
    return re.search(r"```python\n(.*?)```", after, re.DOTALL).group(1)


def test_the_documented_consumer_gets_each_claim_event_once_in_order(app_sqlite, channel, tmp_path, monkeypatch):
    full_history(app_sqlite, app_sqlite.clock)
    run_relay(relay_of(app_sqlite, channel), caught_up(app_sqlite, channel))
    monkeypatch.setenv("NATS_URL", channel.url)
    monkeypatch.setenv("KAMPUNG_STREAM", channel.stream)
    monkeypatch.setenv("KAMPUNG_SUBJECTS", f"{channel.prefix}.claim.>")
    monkeypatch.setenv("KAMPUNG_CONSUMER", "docs-example")
    monkeypatch.setenv("DONE_DB", str(tmp_path / "done.sqlite"))

    module = types.ModuleType("kampung_example_consumer")
    sys.modules[module.__name__] = module
    try:
        exec(compile(example_code(), str(DOCS), "exec"), module.__dict__)
        handled: list = []
        module.handle = handled.append  # follow() looks the function up as it runs
        asyncio.run(module.follow(until_idle=True))
        claims = [event for event in expected_events(app_sqlite) if ".claim." in event["type"]]
        assert [event.get_id() for event in handled] == [event["id"] for event in claims]
        assert [event.get_data() for event in handled] == [event["data"] for event in claims]

        asyncio.run(module.follow(until_idle=True))  # the durable consumer has acked them all
        module.DURABLE = "docs-example-again"  # a consumer given every message again
        asyncio.run(module.follow(until_idle=True))
        assert len(handled) == len(claims)
    finally:
        module.done.close()
        sys.modules.pop(module.__name__, None)
