"""A Ketua RT acts only within their RT (application/authorization.py): judged on the events a command
is about to record, before anything is saved."""

from datetime import date

import pytest

from application.authorization import ensure_events_within_rt, own_rt_id
from application.errors import NotPermitted
from domain.actor import Actor
from domain.rt import RT
from tests.unit.world import ADMIN, KETUA, SIMPANG_IV_SIPIN, enrolled_rt, launched_rt, plan_drainage

KETUA_OF_RT_006 = Actor("ketua.simpang-iv-sipin.006", "ketua_rt", "15.71.01.1001/RT-006")


def test_only_a_ketua_rt_is_confined_to_an_rt():
    assert own_rt_id(KETUA) == RT.create_id("15.71.01.1001/RT-005")
    assert own_rt_id(ADMIN) is None


def test_a_ketua_rt_without_an_rt_may_act_for_none():
    with pytest.raises(NotPermitted):
        own_rt_id(Actor("ketua.tanpa.rt", "ketua_rt"))


def test_a_ketua_rt_records_events_on_their_own_rt_and_its_activities():
    rt = enrolled_rt()
    rt.hold_musyawarah(date(2025, 8, 10), ["Drainase lingkungan"], KETUA)
    activity = plan_drainage(launched_rt())
    activity.revise_value(40_000_000, "Material lebih murah", KETUA)
    assert {rt.pending_events[-1].actor, activity.pending_events[-1].actor} == {KETUA}
    ensure_events_within_rt([rt, activity])  # lets them through: nothing raised


def test_a_ketua_rt_of_another_rt_is_refused_on_the_rt_and_on_its_activities():
    rt = enrolled_rt()
    rt.hold_musyawarah(date(2025, 8, 10), ["Drainase lingkungan"], KETUA_OF_RT_006)
    with pytest.raises(NotPermitted):
        ensure_events_within_rt([rt])
    activity = plan_drainage(launched_rt())
    activity.revise_value(40_000_000, "Material lebih murah", KETUA_OF_RT_006)
    with pytest.raises(NotPermitted):
        ensure_events_within_rt([activity])


def test_the_city_acts_on_every_rt():
    rt = RT.register(SIMPANG_IV_SIPIN, 6, ADMIN)
    assert rt.id != own_rt_id(KETUA) and rt.pending_events[0].actor == ADMIN
    ensure_events_within_rt([rt])  # lets them through: nothing raised
