"""RT: registered → Ketua RT appointed → enrolled → musyawarah held → launched."""

from datetime import date, timedelta

import pytest

from domain.errors import AlreadyDone, InvalidValue, MusyawarahRequired, RuleRefused
from domain.rt import RT, Place, rt_code
from tests.unit.scenario import given, refused, then_events
from tests.unit.world import (
    ADMIN,
    APPOINTED,
    ENROLLED,
    KETUA,
    KETUA_NIK,
    LAUNCHED,
    MUSYAWARAH,
    NEW_KETUA_NIK,
    SIMPANG_IV_SIPIN,
    appoint_budi,
    enrol,
    hold_musyawarah,
    launch,
    launched_rt,
    registered_rt,
)


def new_rt():
    return lambda: RT.register(SIMPANG_IV_SIPIN, 5, ADMIN)


# --- register -----------------------------------------------------------------------------


def test_registering_an_rt_records_its_code_place_and_number():
    rt = RT.register(SIMPANG_IV_SIPIN, 5, ADMIN)

    assert then_events(rt) == [
        ("RT.RTRegistered", {"code": "15.71.01.1001/RT-005", "place": SIMPANG_IV_SIPIN, "rt_number": 5, "actor": ADMIN})
    ]
    assert rt.code == "15.71.01.1001/RT-005"
    assert (rt.ketua, rt.phase, rt.launched) == (None, None, False)


@pytest.mark.parametrize(("number", "code"), [(1, "15.71.01.1001/RT-001"), (42, "15.71.01.1001/RT-042"),
                                              (999, "15.71.01.1001/RT-999")])
def test_the_rt_code_is_the_kelurahan_code_and_the_three_digit_rt_number(number, code):
    assert rt_code("15.71.01.1001", number) == code


def test_the_rt_id_is_derived_from_its_code_so_registering_the_same_rt_twice_gives_the_same_id():
    first = RT.register(SIMPANG_IV_SIPIN, 5, ADMIN)
    again = RT.register(SIMPANG_IV_SIPIN, 5, ADMIN)
    other = RT.register(SIMPANG_IV_SIPIN, 6, ADMIN)

    assert first.id == again.id == RT.create_id("15.71.01.1001/RT-005")
    assert other.id != first.id


@pytest.mark.parametrize("code", ["", "15.71.01", "15.72.01.1001", "15.71.1.1001", "15.71.01.10010", "1571011001",
                                  "15.71.01.1001 "])
def test_registering_with_a_malformed_or_non_jambi_kelurahan_code_is_refused(code):
    place = Place(code, "Simpang IV Sipin", "15.71.01", "Telanaipura")
    error = refused(None, lambda: RT.register(place, 5, ADMIN), InvalidValue)
    assert error.field == "kelurahan_code"


@pytest.mark.parametrize("number", [0, -1, 1000, True, "5", 5.0])
def test_registering_with_an_rt_number_outside_1_to_999_is_refused(number):
    error = refused(None, lambda: RT.register(SIMPANG_IV_SIPIN, number, ADMIN), InvalidValue)
    assert error.field == "rt_number"


# --- Ketua RT ------------------------------------------------------------------------------


def test_appointing_the_ketua_rt_records_the_cleaned_nik_name_and_phone():
    rt = registered_rt()

    rt.appoint_ketua_rt(" 1571010101750001 ", "  Budi   Santoso ", "0812 3456 7890", APPOINTED, ADMIN)

    assert then_events(rt) == [
        ("RT.KetuaRTAppointed", {"nik": KETUA_NIK, "name": "Budi Santoso", "phone": "081234567890",
                                 "appointed_on": APPOINTED, "actor": ADMIN})
    ]
    assert rt.ketua.nik == KETUA_NIK


def test_a_phone_number_may_start_with_plus():
    rt = registered_rt()
    rt.appoint_ketua_rt(KETUA_NIK, "Budi Santoso", "+6281234567890", APPOINTED, ADMIN)
    assert rt.ketua.phone == "+6281234567890"
    assert [name for name, _ in then_events(rt)] == ["RT.KetuaRTAppointed"]


def test_a_new_ketua_rt_replaces_the_previous_one():
    rt = given(new_rt(), appoint_budi)

    rt.appoint_ketua_rt(NEW_KETUA_NIK, "Rahmat Hidayat", "081298765432", date(2026, 1, 5), ADMIN)

    assert then_events(rt) == [
        ("RT.KetuaRTAppointed", {"nik": NEW_KETUA_NIK, "name": "Rahmat Hidayat", "phone": "081298765432",
                                 "appointed_on": date(2026, 1, 5), "actor": ADMIN})
    ]
    assert (rt.ketua.nik, rt.ketua.name) == (NEW_KETUA_NIK, "Rahmat Hidayat")


def test_a_new_ketua_rt_may_be_appointed_on_the_same_day_as_the_current_one():
    rt = given(new_rt(), appoint_budi)
    rt.appoint_ketua_rt(NEW_KETUA_NIK, "Rahmat Hidayat", "081298765432", APPOINTED, ADMIN)
    assert [name for name, _ in then_events(rt)] == ["RT.KetuaRTAppointed"]
    assert rt.ketua.nik == NEW_KETUA_NIK


def test_appointing_the_current_ketua_rt_again_is_refused():
    rt = given(new_rt(), appoint_budi)
    error = refused(rt, lambda: rt.appoint_ketua_rt(KETUA_NIK, "Budi Santoso", "081234567890",
                                                    date(2026, 1, 5), ADMIN), AlreadyDone)
    assert error.field == "nik"


def test_a_ketua_rt_appointed_before_the_current_one_is_refused():
    rt = given(new_rt(), appoint_budi)
    error = refused(rt, lambda: rt.appoint_ketua_rt(NEW_KETUA_NIK, "Rahmat Hidayat", "081298765432",
                                                    date(2025, 6, 30), ADMIN), RuleRefused)
    assert error.field == "appointed_on"
    assert rt.ketua.nik == KETUA_NIK


@pytest.mark.parametrize("nik", ["157101010175000", "15710101017500011", "1571010101750000", "9971010101750001",
                                 "", None])
def test_a_ketua_rt_with_an_invalid_nik_is_refused(nik):
    rt = registered_rt()
    error = refused(rt, lambda: rt.appoint_ketua_rt(nik, "Budi Santoso", "081234567890", APPOINTED, ADMIN),
                    InvalidValue)
    assert error.field == "nik"


@pytest.mark.parametrize("phone", ["", None, "0812345", "0812345678901234", "0812-3456-7890", "08123abc4567",
                                   "62+81234567890"])
def test_a_ketua_rt_with_an_invalid_phone_is_refused(phone):
    rt = registered_rt()
    error = refused(rt, lambda: rt.appoint_ketua_rt(KETUA_NIK, "Budi Santoso", phone, APPOINTED, ADMIN),
                    InvalidValue)
    assert error.field == "phone"


def test_a_ketua_rt_without_a_name_is_refused():
    rt = registered_rt()
    error = refused(rt, lambda: rt.appoint_ketua_rt(KETUA_NIK, "   ", "081234567890", APPOINTED, ADMIN),
                    InvalidValue)
    assert error.field == "name"


# --- enrolment -----------------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["pilot", "expansion"])
def test_enrolling_records_the_phase_and_the_date(phase):
    rt = registered_rt()

    rt.enrol(phase, ENROLLED, ADMIN)

    assert then_events(rt) == [("RT.RTEnrolled", {"phase": phase, "from_date": ENROLLED, "actor": ADMIN})]
    assert (rt.phase, rt.enrolled_from) == (phase, ENROLLED)


@pytest.mark.parametrize("phase", ["", "Pilot", "phase-2", None])
def test_enrolling_in_an_unknown_phase_is_refused(phase):
    rt = registered_rt()
    error = refused(rt, lambda: rt.enrol(phase, ENROLLED, ADMIN), InvalidValue)
    assert error.field == "phase"


def test_enrolling_twice_is_refused():
    rt = given(new_rt(), enrol)
    refused(rt, lambda: rt.enrol("expansion", date(2026, 1, 1), ADMIN), AlreadyDone)
    assert rt.phase == "pilot"


# --- musyawarah ----------------------------------------------------------------------------


def test_holding_the_musyawarah_records_its_date_and_cleaned_priorities():
    rt = given(new_rt(), enrol)

    rt.hold_musyawarah(MUSYAWARAH, [" Drainase   lingkungan ", "", "   ", "Jalan setapak"], KETUA)

    assert then_events(rt) == [
        ("RT.MusyawarahHeld", {"held_on": MUSYAWARAH, "priorities": ["Drainase lingkungan", "Jalan setapak"],
                               "actor": KETUA})
    ]
    assert rt.musyawarah == [(MUSYAWARAH, ["Drainase lingkungan", "Jalan setapak"])]


def test_a_musyawarah_before_enrolment_is_refused():
    rt = given(new_rt(), appoint_budi)
    error = refused(rt, lambda: rt.hold_musyawarah(MUSYAWARAH, ["Drainase lingkungan"], KETUA), RuleRefused)
    assert "enrolled" in error.message


@pytest.mark.parametrize("priorities", [[], [""], ["  ", None]])
def test_a_musyawarah_without_any_priority_is_refused(priorities):
    rt = given(new_rt(), enrol)
    error = refused(rt, lambda: rt.hold_musyawarah(MUSYAWARAH, priorities, KETUA), InvalidValue)
    assert error.field == "priorities"


def test_a_musyawarah_with_more_than_twenty_priorities_is_refused():
    rt = given(new_rt(), enrol)
    refused(rt, lambda: rt.hold_musyawarah(MUSYAWARAH, [f"Prioritas {i}" for i in range(21)], KETUA), InvalidValue)
    rt.hold_musyawarah(MUSYAWARAH, [f"Prioritas {i}" for i in range(20)], KETUA)
    assert [name for name, _ in then_events(rt)] == ["RT.MusyawarahHeld"]


def test_a_second_musyawarah_on_the_same_day_is_refused_but_another_day_is_recorded():
    rt = given(new_rt(), enrol, hold_musyawarah)
    error = refused(rt, lambda: rt.hold_musyawarah(MUSYAWARAH, ["Sumur resapan"], KETUA), AlreadyDone)
    assert error.field == "held_on"
    rt.hold_musyawarah(MUSYAWARAH + timedelta(days=180), ["Sumur resapan"], KETUA)
    assert [name for name, _ in then_events(rt)] == ["RT.MusyawarahHeld"]
    assert len(rt.musyawarah) == 2


# --- launch --------------------------------------------------------------------------------


def test_launching_records_the_launch_date():
    rt = given(new_rt(), appoint_budi, enrol, hold_musyawarah)

    rt.launch(LAUNCHED, ADMIN)

    assert then_events(rt) == [("RT.RTLaunched", {"launched_on": LAUNCHED, "actor": ADMIN})]
    assert rt.launched and rt.launched_on == LAUNCHED


def test_an_rt_may_be_launched_on_the_day_of_its_musyawarah():
    rt = given(new_rt(), appoint_budi, enrol, hold_musyawarah)
    rt.launch(MUSYAWARAH, ADMIN)
    assert then_events(rt) == [("RT.RTLaunched", {"launched_on": MUSYAWARAH, "actor": ADMIN})]


def test_launching_without_a_ketua_rt_is_refused():
    rt = given(new_rt(), enrol, hold_musyawarah)
    error = refused(rt, lambda: rt.launch(LAUNCHED, ADMIN), RuleRefused)
    assert "Ketua RT" in error.message


def test_launching_without_a_musyawarah_is_refused():
    rt = given(new_rt(), appoint_budi, enrol)
    refused(rt, lambda: rt.launch(LAUNCHED, ADMIN), MusyawarahRequired)


def test_launching_before_the_day_of_the_musyawarah_is_refused():
    rt = given(new_rt(), appoint_budi, enrol, hold_musyawarah)
    refused(rt, lambda: rt.launch(date(2025, 8, 9), ADMIN), MusyawarahRequired)
    assert not rt.launched


def test_launching_twice_is_refused():
    rt = launched_rt()
    refused(rt, lambda: rt.launch(date(2025, 9, 1), ADMIN), AlreadyDone)
    assert rt.launched_on == LAUNCHED


def test_the_whole_life_cycle_records_one_event_per_step_in_order():
    rt = RT.register(SIMPANG_IV_SIPIN, 5, ADMIN)
    for step in (appoint_budi, enrol, hold_musyawarah, launch):
        step(rt)
    assert [name for name, _ in then_events(rt)] == [
        "RT.RTRegistered", "RT.KetuaRTAppointed", "RT.RTEnrolled", "RT.MusyawarahHeld", "RT.RTLaunched"
    ]
    assert rt.version == 5
