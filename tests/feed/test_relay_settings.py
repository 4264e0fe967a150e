"""The relay's settings from the environment: safe defaults, durations and sizes as operators write
them, and a bad value refused with the variable's name before anything is published."""

import pytest

from domain.errors import InvalidValue
from projections.cloudevents import catalogue
from projections.relay.settings import RelaySettings


def test_the_defaults_keep_a_month_or_a_gigabyte_on_one_server():
    settings = RelaySettings.from_env({})
    assert settings.servers == ("nats://127.0.0.1:4222",)
    assert (settings.stream, settings.subject_prefix) == ("KAMPUNG", "kampung")
    assert settings.max_age == 30 * 86400 and settings.max_bytes == 1024**3
    assert settings.duplicate_window == 120 and settings.replicas == 1
    config = settings.stream_config()
    assert config.subjects == ["kampung.>"] and config.num_replicas == 1
    assert config.retention == "limits" and config.discard == "old" and config.storage == "file"


def test_operators_write_durations_sizes_and_server_lists_as_they_say_them():
    settings = RelaySettings.from_env({
        "KAMPUNG_NATS_URL": "nats://a:4222, nats://b:4222,nats://c:4222", "KAMPUNG_RELAY_MAX_AGE": "1.5h",
        "KAMPUNG_RELAY_MAX_BYTES": "512M", "KAMPUNG_RELAY_DUPLICATE_WINDOW": "90", "KAMPUNG_RELAY_REPLICAS": "3",
        "KAMPUNG_RELAY_STREAM": "KAMPUNG_JAMBI", "KAMPUNG_RELAY_SUBJECT_PREFIX": "id.jambi.kampung",
    })
    assert settings.servers == ("nats://a:4222", "nats://b:4222", "nats://c:4222")
    assert settings.max_age == 5400 and settings.max_bytes == 512 * 1024**2 and settings.duplicate_window == 90
    assert settings.stream_config().num_replicas == 3
    paid = next(entry for entry in catalogue() if entry.name == "SantunanPaid")
    assert settings.subject(paid) == "id.jambi.kampung.claim.SantunanPaid"


@pytest.mark.parametrize("variable, value", [
    ("KAMPUNG_RELAY_MAX_BYTES", "a lot"), ("KAMPUNG_RELAY_MAX_BYTES", "512"), ("KAMPUNG_RELAY_MAX_AGE", "0s"),
    ("KAMPUNG_RELAY_REPLICAS", "0"), ("KAMPUNG_RELAY_REPLICAS", "three"), ("KAMPUNG_RELAY_BATCH", "20000"),
    ("KAMPUNG_RELAY_ACK_TIMEOUT", "1h"), ("KAMPUNG_RELAY_SUBJECT_PREFIX", "kampung.>"),
    ("KAMPUNG_RELAY_STREAM", "my stream"), ("KAMPUNG_RELAY_DUPLICATE_WINDOW", "31d"),
])
def test_a_bad_value_is_refused_with_the_variables_name(variable, value):
    with pytest.raises(InvalidValue) as refused:
        RelaySettings.from_env({variable: value})
    assert refused.value.field == variable and variable in refused.value.message
