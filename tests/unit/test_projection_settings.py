"""How the read models retry an event before parking it, as set in the environment
(``KAMPUNG_PROJECTION_ATTEMPTS``, ``KAMPUNG_PROJECTION_BACKOFF``), and the backoff it gives."""

from datetime import timedelta

import pytest

from domain.errors import InvalidValue
from interfaces.consumers import retry_policy
from projections.parking import POLICY


def test_without_settings_an_event_is_tried_three_times_a_fifth_then_two_fifths_of_a_second_apart():
    assert retry_policy({}) == POLICY
    assert (POLICY.max_failures, POLICY.delay(1), POLICY.delay(2)) == (
        3, timedelta(seconds=0.2), timedelta(seconds=0.4))


def test_the_settings_give_the_attempts_and_the_first_wait():
    policy = retry_policy({"KAMPUNG_PROJECTION_ATTEMPTS": "5", "KAMPUNG_PROJECTION_BACKOFF": "1.5"})
    assert (policy.max_failures, policy.delay(1), policy.delay(2)) == (5, timedelta(seconds=1.5), timedelta(seconds=3))
    assert retry_policy({"KAMPUNG_PROJECTION_BACKOFF": "0"}).delay(3) == timedelta(0)


@pytest.mark.parametrize("name, value", [
    ("KAMPUNG_PROJECTION_ATTEMPTS", "0"), ("KAMPUNG_PROJECTION_ATTEMPTS", "drei"),
    ("KAMPUNG_PROJECTION_ATTEMPTS", "101"), ("KAMPUNG_PROJECTION_BACKOFF", "-1"),
    ("KAMPUNG_PROJECTION_BACKOFF", "nan"), ("KAMPUNG_PROJECTION_BACKOFF", "sebentar"),
])
def test_a_setting_out_of_range_is_refused_with_its_name(name, value):
    with pytest.raises(InvalidValue) as refused:
        retry_policy({name: value})
    assert refused.value.field == name and refused.value.message.startswith(f"{name} must be")
