"""The feed: the event log in global order as CloudEvents, paged with stable positions, filtered by
type and aggregate — on SQLite and PostgreSQL (the ``app`` fixture runs on both)."""

import json

import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.v1.http import from_dict

from domain.events import event_classes
from projections.cloudevents import SOURCE, catalogue, feed_page
from tests.feed.feed_support import full_history, read_all
from tests.integration.conftest import ADMIN

PREFIX = "id.go.jambikota.kampungbahagia."


@pytest.fixture
def history(app, clock):
    return full_history(app, clock)


def positions(events):
    return [event["position"] for event in events]


def test_paging_through_the_whole_log_gives_every_event_once_in_order_with_stable_next_positions(app, history):
    head = app.recorder.max_notification_id()
    assert head == 57
    seen, after, pages = [], 0, 0
    while True:
        page, next_after = feed_page(app, after, 7)
        if not page:
            break
        pages += 1
        assert positions(page) == list(range(after + 1, after + 1 + len(page)))
        # A full page continues after its last event; the last (short) one after the head.
        assert next_after == (page[-1]["position"] if len(page) == 7 else head)
        assert feed_page(app, after, 7) == (page, next_after)  # the same request, the same page
        seen += page
        after = next_after
    assert pages == 9 and positions(seen) == list(range(1, head + 1))
    assert len({event["id"] for event in seen}) == head
    # At the head the feed stays there (an empty page), and goes on with what is recorded next.
    assert feed_page(app, head, 7) == ([], head)
    app.register_rt("15.71.02.1003", 9, ADMIN)
    page, next_after = feed_page(app, head, 7)
    assert positions(page) == [head + 1] and next_after == head + 1
    assert page[0]["type"] == PREFIX + "rt.RTRegistered.v1"


def test_a_position_past_the_head_gives_an_empty_page_that_stays_there(app, history):
    assert feed_page(app, 1000, 10) == ([], 1000)


def test_each_event_is_a_cloudevent_with_a_stable_id_its_type_version_subject_time_and_data(app, history):
    events = read_all(app)
    claim = str(history["rejected"])
    report = next(event for event in events if event["subject"] == claim)
    assert report == {
        "specversion": "1.0",
        "id": f"{claim}/1",
        "source": SOURCE,
        "type": PREFIX + "claim.AccidentReported.v3",
        "subject": claim,
        "time": "2025-09-15T03:00:00Z",  # 10:00 WIB
        "datacontenttype": "application/json",
        "dataschema": "urn:kampung-bahagia:kota-jambi:schema:" + PREFIX + "claim.AccidentReported.v3",
        "data": report["data"],
        "position": report["position"],
    }
    assert report["data"]["location"] == "Parit Jl. Sipin Ujung, dekat jembatan"
    assert report["data"]["actor"] == {"user_id": "petugas.klaim.1", "role": "claim_officer", "rt_code": None}
    paid = [event for event in events if event["type"] == PREFIX + "claim.SantunanPaid.v2"]
    assert [event["data"]["amount"] for event in paid] == [400_000, 500_000]  # whole rupiah, as integers
    assert [event["data"]["benefit"] for event in paid] == ["medical_care", "medical_care"]
    assert paid[0]["data"]["paid_on"] == "2025-09-04"
    # Every event type of the catalogue is in this history.
    assert {event["type"] for event in events} == {entry.type for entry in catalogue()}


def test_every_event_parses_with_the_cloudevents_sdk(app, history):
    for event in read_all(app):
        text = json.dumps(event)
        parsed = JSONFormat().read(None, text)  # validates the attributes, the extension's name included
        assert parsed.get_specversion() == "1.0" and parsed.get_id() == event["id"]
        assert parsed.get_type() == event["type"] and parsed.get_subject() == event["subject"]
        assert parsed.get_time().isoformat().replace("+00:00", "Z") == event["time"]
        assert parsed.get_extension("position") == event["position"]
        assert parsed.get_data() == event["data"]
        legacy = from_dict(json.loads(text))  # the SDK's v1 API
        assert legacy["id"] == event["id"] and legacy["position"] == event["position"]
        assert legacy.get_data() == event["data"]


def test_a_type_filter_gives_only_those_events_and_next_after_is_past_what_was_scanned(app, history):
    everything = read_all(app)
    paid = [event for event in everything if event["type"].endswith(".SantunanPaid.v2")]
    page, next_after = feed_page(app, 0, 10, ["SantunanPaid"])
    assert page == paid and len(page) == 2
    # Fewer than asked for: the scan went to the head, so the next page starts there.
    assert next_after == everything[-1]["position"]
    # One at a time: each page continues after the event it returned.
    first, after_first = feed_page(app, 0, 1, ["SantunanPaid"])
    assert first == paid[:1] and after_first == paid[0]["position"]
    second, after_second = feed_page(app, after_first, 1, ["SantunanPaid"])
    assert second == paid[1:] and after_second == paid[1]["position"]
    assert feed_page(app, after_second, 1, ["SantunanPaid"]) == ([], everything[-1]["position"])


def test_several_types_by_class_name_or_cloudevents_type(app, history):
    everything = read_all(app)
    wanted = {PREFIX + "claim.ClaimClosed.v1", PREFIX + "rt.RTLaunched.v1", PREFIX + "claim.AccidentReported.v3"}
    expected = [event for event in everything if event["type"] in wanted]
    assert len(expected) == 7
    by_names = read_all(app, limit=2, types=["ClaimClosed", "RTLaunched", "AccidentReported"])
    by_types = read_all(app, limit=4, types=sorted(wanted))
    mixed = read_all(app, limit=3, types=["ClaimClosed", PREFIX + "rt.RTLaunched.v1", "AccidentReported"])
    assert by_names == by_types == mixed == expected


def test_an_unknown_type_is_refused(app, history):
    with pytest.raises(ValueError, match="'Nope'"):
        feed_page(app, 0, 10, ["SantunanPaid", "Nope"])
    with pytest.raises(ValueError):  # a superseded version is not a current type
        feed_page(app, 0, 10, [PREFIX + "claim.AccidentReported.v1"])


def test_an_aggregate_filter_gives_its_events_and_pages_that_skip_still_advance(app, history):
    everything = read_all(app)
    claim = str(history["paid"])
    expected = [event for event in everything if event["subject"] == claim]
    assert [event["id"] for event in expected] == [f"{claim}/{version}" for version in range(1, 15)]
    assert read_all(app, limit=5, aggregate=history["paid"]) == expected
    # The scan looks at a bounded number of events per page: pages may come back short or empty,
    # but each continues past what it looked at, and together they give every event once.
    seen, after, empty = [], 0, 0
    while True:
        page, next_after = feed_page(app, after, 5, aggregate=claim, scan_limit=4)
        assert next_after > after or next_after == everything[-1]["position"]
        if next_after == after:
            break
        empty += not page
        seen += page
        after = next_after
    assert seen == expected and empty > 0


def test_type_and_aggregate_filters_together(app, history):
    claim = history["paid"]
    page, next_after = feed_page(app, 0, 10, ["DocumentReceived", "SantunanPaid"], claim)
    assert [event["type"].split(".")[-2] for event in page] == ["DocumentReceived"] * 7 + ["SantunanPaid"] * 2
    assert next_after == app.recorder.max_notification_id()


def test_the_catalogue_names_every_event_class_once_with_its_version():
    assert [entry.event_class for entry in catalogue()] == list(event_classes())
    assert len({entry.type for entry in catalogue()}) == len(catalogue()) == 25
    assert all(entry.type.startswith(PREFIX) and entry.type.endswith(f".v{entry.version}") for entry in catalogue())
