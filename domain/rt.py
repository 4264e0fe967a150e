"""The RT (Rukun Tetangga), the neighbourhood unit that joins the programme.

Life cycle: registered → Ketua RT appointed → enrolled (pilot or expansion) → musyawarah
held → launched. Command methods check the rules and then call an ``@event`` method that
only changes state: stored events replay even if a rule is tightened later.
"""

import re
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import Aggregate

from domain.actor import Actor
from domain.errors import AlreadyDone, InvalidValue, MusyawarahRequired, NotCurrentKetuaRT, RuleRefused
from domain.ids import natural_id
from domain.nik import parse_nik
from domain.text import clean_text, optional_text

PHASES = ("pilot", "expansion")
KELURAHAN_CODE = re.compile(r"^15\.71\.\d{2}\.\d{4}$")
PHONE = re.compile(r"^\+?[0-9]{8,15}$")


@dataclass(frozen=True)
class Place:
    """Where an RT is: its kelurahan and kecamatan, by Kemendagri code and name."""

    kelurahan_code: str
    kelurahan: str
    kecamatan_code: str
    kecamatan: str


@dataclass(frozen=True)
class KetuaRT:
    nik: str
    name: str
    phone: str
    appointed_on: date


def rt_code(kelurahan_code: str, rt_number: int) -> str:
    """``15.71.01.1001/RT-005``: there is no national RT code, so kelurahan + number is the key."""
    if not KELURAHAN_CODE.match(kelurahan_code or ""):
        raise InvalidValue("kelurahan code must look like 15.71.01.1001", "kelurahan_code")
    if not isinstance(rt_number, int) or isinstance(rt_number, bool) or not 1 <= rt_number <= 999:
        raise InvalidValue("RT number must be between 1 and 999", "rt_number")
    return f"{kelurahan_code}/RT-{rt_number:03d}"


class RT(Aggregate):
    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("rt", code)

    @classmethod
    def register(cls, place: Place, rt_number: int, actor: Actor) -> "RT":
        return cls(code=rt_code(place.kelurahan_code, rt_number), place=place, rt_number=rt_number, actor=actor)

    @event("RTRegistered")
    def __init__(self, code: str, place: Place, rt_number: int, actor: Actor):
        self.code = code
        self.place = place
        self.rt_number = rt_number
        self.ketua: KetuaRT | None = None
        self.phase: str | None = None
        self.enrolled_from: date | None = None
        self.musyawarah: list[tuple[date, list[str]]] = []
        self.launched_on: date | None = None

    @property
    def launched(self) -> bool:
        return self.launched_on is not None

    # --- Ketua RT -------------------------------------------------------------------

    def appoint_ketua_rt(self, nik: str, name: str, phone: str, appointed_on: date, actor: Actor) -> None:
        nik = parse_nik(nik)
        name = clean_text(name, "name", 100)
        phone = "".join(str(phone or "").split())
        if not PHONE.match(phone):
            raise InvalidValue("phone must be 8–15 digits, optionally starting with +", "phone")
        if self.ketua is not None:
            if self.ketua.nik == nik:
                raise AlreadyDone(f"{self.ketua.name} is already the Ketua RT of {self.code}", "nik")
            if appointed_on < self.ketua.appointed_on:
                raise RuleRefused(
                    f"the new Ketua RT's appointment date {appointed_on} is before the current Ketua RT's"
                    f" ({self.ketua.appointed_on})",
                    "appointed_on",
                )
        self._ketua_rt_appointed(nik=nik, name=name, phone=phone, appointed_on=appointed_on, actor=actor)

    @event("KetuaRTAppointed")
    def _ketua_rt_appointed(self, nik: str, name: str, phone: str, appointed_on: date, actor: Actor) -> None:
        self.ketua = KetuaRT(nik=nik, name=name, phone=phone, appointed_on=appointed_on)

    def check_is_current_ketua(self, nik: str) -> None:
        if self.ketua is None:
            raise RuleRefused(f"{self.code} has no Ketua RT yet", "issued_by_nik")
        if self.ketua.nik != nik:
            raise NotCurrentKetuaRT(
                f"only the current Ketua RT of {self.code} ({self.ketua.name}) may issue a task letter",
                "issued_by_nik",
            )

    # --- programme ------------------------------------------------------------------

    def enrol(self, phase: str, from_date: date, actor: Actor) -> None:
        if phase not in PHASES:
            raise InvalidValue(f"phase must be one of {', '.join(PHASES)}", "phase")
        if self.phase is not None:
            raise AlreadyDone(f"{self.code} is already enrolled ({self.phase}) from {self.enrolled_from}", "phase")
        self._enrolled(phase=phase, from_date=from_date, actor=actor)

    @event("RTEnrolled")
    def _enrolled(self, phase: str, from_date: date, actor: Actor) -> None:
        self.phase = phase
        self.enrolled_from = from_date

    def hold_musyawarah(self, held_on: date, priorities: list[str], actor: Actor) -> None:
        if self.phase is None:
            raise RuleRefused(f"{self.code} must be enrolled in the programme before its musyawarah", "held_on")
        cleaned = [text for text in (optional_text(item, "priority", 200) for item in priorities) if text]
        if not cleaned:
            raise InvalidValue("the musyawarah must agree at least one development priority", "priorities")
        if len(cleaned) > 20:
            raise InvalidValue("at most 20 priorities", "priorities")
        if any(day == held_on for day, _ in self.musyawarah):
            raise AlreadyDone(f"a musyawarah on {held_on} is already recorded for {self.code}", "held_on")
        self._musyawarah_held(held_on=held_on, priorities=cleaned, actor=actor)

    @event("MusyawarahHeld")
    def _musyawarah_held(self, held_on: date, priorities: list[str], actor: Actor) -> None:
        self.musyawarah.append((held_on, list(priorities)))

    def launch(self, launched_on: date, actor: Actor) -> None:
        if self.launched:
            raise AlreadyDone(f"{self.code} was already launched on {self.launched_on}", "launched_on")
        if self.ketua is None:
            raise RuleRefused(f"{self.code} needs a Ketua RT before it is launched", "launched_on")
        if self.enrolled_from is None or launched_on < self.enrolled_from:
            raise RuleRefused(f"{self.code} cannot be launched before it is enrolled in the programme", "launched_on")
        if not any(held_on <= launched_on for held_on, _ in self.musyawarah):
            raise MusyawarahRequired(
                f"{self.code} can be launched only after its musyawarah has been held", "launched_on"
            )
        self._launched(launched_on=launched_on, actor=actor)

    @event("RTLaunched")
    def _launched(self, launched_on: date, actor: Actor) -> None:
        self.launched_on = launched_on
