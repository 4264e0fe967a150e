"""The pasted or uploaded participant list: roles may be written with their code or with the
Indonesian name people use for them."""

import pytest
from marshmallow import ValidationError

from domain.activity import PARTICIPANT_ROLES
from interfaces.schemas.activities import ROLE_NAMES, JoinParticipants, parse_participant_rows, participant_role

SITI = "1571014507900002"
AHMAD = "1571011203880003"


@pytest.mark.parametrize(("written", "role"), [
    ("warga", "resident"),
    ("Warga", "resident"),
    ("ketua rt", "ketua_rt"),
    ("Ketua RT", "ketua_rt"),
    ("  ketua   RT ", "ketua_rt"),
    ("phl", "phl"),
    ("PHL", "phl"),
    ("pekerja harian lepas", "phl"),
    ("Pekerja Harian Lepas", "phl"),
    ("petugas syara'", "petugas_syara"),
    ("Petugas Syara’", "petugas_syara"),  # the apostrophe a word processor puts in
    ("petugas syara", "petugas_syara"),
    ("petugas sara", "petugas_syara"),
    ("pokja", "pokja_member"),
    ("Anggota Pokja", "pokja_member"),
    ("pendamping", "facilitator"),
    ("Fasilitator", "facilitator"),
])
def test_the_indonesian_names_of_the_roles_are_read_as_their_codes(written, role):
    assert participant_role(written) == role


@pytest.mark.parametrize("code", PARTICIPANT_ROLES)
def test_the_codes_still_work(code):
    assert participant_role(code) == code
    assert participant_role(f" {code.upper()} ") == code


def test_every_role_has_an_indonesian_name_and_every_name_one_role():
    assert set(ROLE_NAMES) == set(PARTICIPANT_ROLES)
    names = [name for role_names in ROLE_NAMES.values() for name in role_names]
    assert len(names) == len(set(names))


def test_anything_else_is_left_as_written_for_the_schema_to_refuse():
    assert participant_role(" mandor ") == "mandor"
    with pytest.raises(ValidationError) as raised:
        parse_participant_rows(f"{SITI},Siti Aminah,mandor")
    assert raised.value.messages == {"rows": {1: {"role": [
        "Must be one of: resident, ketua_rt, phl, petugas_syara, pokja_member, facilitator."]}}}


def test_a_pasted_list_with_indonesian_role_names():
    rows = f"NIK,nama,peran\n{SITI},Siti Aminah, Warga \n{AHMAD},Ahmad Fauzi,Pekerja harian lepas\n"
    assert JoinParticipants().load({"rows": rows})["rows"] == [
        (SITI, "Siti Aminah", "resident"), (AHMAD, "Ahmad Fauzi", "phl"),
    ]
