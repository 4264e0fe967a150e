"""NIK: province (2) regency (2) district (2) birth date DDMMYY (+40 on the day for women) serial (4)."""

import pytest

from domain.errors import InvalidValue
from domain.nik import mask_nik, parse_nik


@pytest.mark.parametrize(("nik", "who"), [
    ("1571010101750001", "man born 01-01-75 in Kota Jambi"),
    ("1571014507900002", "woman born 05-07-90 (45 = 5 + 40)"),
    ("1571017112990001", "woman born 31-12-99 (71 = 31 + 40)"),
    ("1571014101000001", "woman born 01-01-00 (41 = 1 + 40)"),
    ("3171010101759999", "man first registered in Jakarta"),
    ("9601010101750001", "man first registered in Papua Barat Daya (province created 2022)"),
])
def test_a_valid_nik_is_accepted(nik, who):
    assert parse_nik(nik) == nik, who


def test_surrounding_spaces_are_ignored():
    assert parse_nik("  1571010101750001 ") == "1571010101750001"


@pytest.mark.parametrize("nik", ["", "157101010175000", "15710101017500012", None, 1571010101750001.0])
def test_a_nik_that_is_not_16_characters_is_refused(nik):
    with pytest.raises(InvalidValue) as raised:
        parse_nik(nik)
    assert raised.value.message == "NIK must be exactly 16 digits"
    assert raised.value.field == "nik"


@pytest.mark.parametrize("nik", ["15710101017500a1", "1571-10101750001", "157101010175 001", "１５71010101750001",
                                 "157101010175000١"])
def test_a_nik_with_anything_but_ascii_digits_is_refused(nik):
    with pytest.raises(InvalidValue) as raised:
        parse_nik(nik)
    assert raised.value.message == "NIK must be exactly 16 digits"


@pytest.mark.parametrize("province", ["00", "10", "20", "37", "54", "99"])
def test_a_nik_of_an_unknown_province_is_refused(province):
    with pytest.raises(InvalidValue) as raised:
        parse_nik(province + "71010101750001")
    assert raised.value.message == f"NIK region code {province} is not a known province"


@pytest.mark.parametrize("nik", ["1500010101750001", "1571000101750001"], ids=["regency-00", "district-00"])
def test_a_nik_with_regency_or_district_00_is_refused(nik):
    with pytest.raises(InvalidValue) as raised:
        parse_nik(nik)
    assert raised.value.message == "NIK regency and district codes cannot be 00"


@pytest.mark.parametrize("birth", [
    "310221",  # 31 February
    "720190",  # day 72 = 32 + 40
    "000190",  # day 0
    "400190",  # day 40 is neither a man's day (≤ 31) nor a woman's (41–71)
    "011390",  # month 13
    "010090",  # month 0
    "310490",  # 31 April
    "290201",  # 29 February 1901 / 2001: neither a leap year
    "690201",  # the same, for a woman
])
def test_a_nik_whose_birth_date_is_not_a_calendar_date_is_refused(birth):
    with pytest.raises(InvalidValue) as raised:
        parse_nik(f"157101{birth}0001")
    assert raised.value.message == f"NIK birth date {birth} is not a calendar date"


@pytest.mark.parametrize("birth", ["290204", "690204", "290200", "290296"])
def test_29_february_of_a_leap_year_is_a_birth_date(birth):
    # 2004, 2000 (a leap year though 1900 is not) and 1996
    assert parse_nik(f"157101{birth}0001") == f"157101{birth}0001"


def test_a_nik_with_serial_0000_is_refused():
    with pytest.raises(InvalidValue) as raised:
        parse_nik("1571010101750000")
    assert raised.value.message == "NIK serial number cannot be 0000"


def test_the_field_named_in_the_error_is_the_one_given():
    with pytest.raises(InvalidValue) as raised:
        parse_nik("123", "issued_by_nik")
    assert raised.value.field == "issued_by_nik"


def test_mask_nik_shows_only_the_region_and_the_serial():
    assert mask_nik("1571014507900002") == "1571********0002"
