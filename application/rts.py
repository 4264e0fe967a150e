"""The RT's use cases: registering an RT, appointing its Ketua RT, enrolling it in the programme,
its musyawarah and its launch."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from application import rules
from application.base import ProgrammeStore, command
from domain.actor import Actor
from domain.errors import InvalidValue
from domain.rt import RT, rt_code


class RTs(ProgrammeStore):
    def get_rt(self, rt_id: UUID, version: int | None = None) -> RT:
        return self.get_at(RT, rt_id, version)

    def rt_ids(self) -> list[UUID]:
        """Every registered RT, in registration order."""
        return self.aggregate_ids(RT.RTRegistered)

    def rt_id_for(self, kelurahan_code: str, rt_number: int) -> UUID:
        return RT.create_id(rt_code(kelurahan_code, rt_number))

    @command
    def register_rt(self, kelurahan_code: str, rt_number: int, actor: Actor) -> UUID:
        place = rules.places().get(kelurahan_code)
        if place is None:
            raise InvalidValue(f"{kelurahan_code!r} is not a kelurahan of Kota Jambi", "kelurahan_code")
        rt = RT.register(place=place, rt_number=rt_number, actor=actor)
        return self._create(rt, f"RT {rt.code}").id

    @command
    def appoint_ketua_rt(
        self, rt_id: UUID, nik: str, name: str, phone: str, appointed_on: date, actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        with self._changing(RT, rt_id, expected_version) as rt:
            self._check_not_future(appointed_on, "appointed_on")
            rt.appoint_ketua_rt(nik=nik, name=name, phone=phone, appointed_on=appointed_on, actor=actor)

    @command
    def enrol_rt(
        self, rt_id: UUID, phase: str, from_date: date, actor: Actor, expected_version: int | None = None
    ) -> None:
        with self._changing(RT, rt_id, expected_version) as rt:
            rt.enrol(phase=phase, from_date=from_date, actor=actor)

    @command
    def hold_musyawarah(
        self, rt_id: UUID, held_on: date, priorities: Sequence[str], actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        with self._changing(RT, rt_id, expected_version) as rt:
            self._check_not_future(held_on, "held_on")
            rt.hold_musyawarah(held_on=held_on, priorities=list(priorities), actor=actor)

    @command
    def launch_rt(self, rt_id: UUID, launched_on: date, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(RT, rt_id, expected_version) as rt:
            self._check_not_future(launched_on, "launched_on")
            rt.launch(launched_on=launched_on, actor=actor)
