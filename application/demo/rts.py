"""The 67 pilot RTs: their places, Ketua RT (six replaced in 2026), musyawarah, launch and residents."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from application import rules
from application.demo.people import People, Person
from application.demo.timeline import (
    ENROLLED_ON, FIRST_LAUNCH, FIRST_RT, KELURAHAN_COUNT, PILOT_RTS, at, not_sunday,
)
from domain.actor import Actor
from domain.rt import RT, Place, rt_code

STREETS = (
    "Jl. Kapten Pattimura", "Jl. Sunan Kalijaga", "Jl. Lingkar Barat", "Jl. Pangeran Hidayat",
    "Jl. Marsda Surya Dharma", "Jl. Kol. Abunjani", "Jl. Raden Mattaher", "Jl. Sultan Agung", "Jl. Ir. H. Juanda",
    "Jl. H. Adam Malik", "Jl. Jend. Sudirman", "Jl. Slamet Riyadi", "Jl. Kopral Ramli", "Jl. Prof. Dr. Sri Soedewi",
    "Jl. KH. Hasyim Asyari", "Jl. Gatot Subroto", "Jl. Hayam Wuruk", "Jl. Orang Kayo Hitam", "Jl. Yos Sudarso",
    "Jl. Sumantri Brojonegoro", "Jl. Kol. Amir Hamzah", "Jl. Depati Parbo", "Jl. Mayjen Sutoyo", "Jl. M. Husni Thamrin",
    "Jl. Halim Perdana Kusuma", "Jl. Lintas Timur", "Jl. Syamsudin Uban", "Jl. Tp. Sriwijaya", "Jl. Guru Muchtar",
    "Jl. Letjen Suprapto",
)
PRIORITIES_2025 = (
    "Perbaikan drainase lingkungan", "Semenisasi jalan gang", "Penerangan jalan umum",
    "Pengelolaan sampah dan bank sampah", "Penghijauan dan taman TOGA", "Rehab pos ronda dan siskamling",
    "Posyandu dan kesehatan ibu-anak", "Pencegahan banjir", "Pemberdayaan UMKM warga", "Air bersih (sumur bor)",
    "Pembangunan MCK umum", "Perbaikan balai warga",
)
PRIORITIES_2026 = (
    "Rencana kerja 2026: lanjutan semenisasi jalan gang", "Rencana kerja 2026: normalisasi parit sebelum musim hujan",
    "Rencana kerja 2026: bank sampah dan pemilahan sampah", "Rencana kerja 2026: lampu jalan tenaga surya",
    "Rencana kerja 2026: pelatihan UMKM ibu-ibu PKK", "Rencana kerja 2026: rehab balai pertemuan warga",
)


@dataclass
class KetuaTerm:
    person: Person
    appointed_on: date
    recorded_at: datetime


@dataclass(eq=False)
class RTPlan:
    place: Place
    number: int
    code: str
    id: UUID
    actor: Actor
    registered_at: datetime
    appointed_at: datetime
    enrolled_at: datetime
    launched_on: date
    street: str
    ketuas: list[KetuaTerm] = field(default_factory=list)
    musyawarah: list[tuple[date, list[str]]] = field(default_factory=list)
    residents: list[Person] = field(default_factory=list)

    def ketua_at(self, moment: datetime) -> Person:
        return [term for term in self.ketuas if term.recorded_at <= moment][-1].person


def _kelurahan(rng: random.Random) -> tuple[dict[str, Place], dict[str, int]]:
    """The 44 kelurahan of the pilot (every kecamatan among them) and how many RTs each has."""
    places = rules.places()
    by_kecamatan: dict[str, list[str]] = {}
    for code, place in sorted(places.items()):
        by_kecamatan.setdefault(place.kecamatan_code, []).append(code)
    chosen = {FIRST_RT[0]}
    for codes in by_kecamatan.values():
        if not chosen.intersection(codes):
            chosen.add(rng.choice(codes))
    others = sorted(set(places) - chosen)
    rng.shuffle(others)
    counts = dict.fromkeys(sorted(chosen | set(others[: KELURAHAN_COUNT - len(chosen)])), 1)
    while sum(counts.values()) < PILOT_RTS:
        code = rng.choice(list(counts))
        if counts[code] < 3:
            counts[code] += 1
    return places, counts


def build_rts(rng: random.Random, people: People) -> list[RTPlan]:
    places, counts = _kelurahan(rng)
    kecamatan_launch = {
        kecamatan: not_sunday(FIRST_LAUNCH + timedelta(days=rng.randint(1, 30)))
        for kecamatan in sorted({place.kecamatan_code for place in places.values()})
    }
    rts: list[RTPlan] = []
    for code, count in counts.items():
        place = places[code]
        numbers = sorted(rng.sample(range(1, 31), count))
        if code == FIRST_RT[0] and FIRST_RT[1] not in numbers:
            numbers[0] = FIRST_RT[1]
            numbers.sort()
        for number in numbers:
            index = len(rts)
            if (code, number) == FIRST_RT:
                launched_on = FIRST_LAUNCH
            else:
                offset = rng.choice((0, 0, 0, 1, 2, 3, 5, 7))
                launched_on = not_sunday(min(kecamatan_launch[place.kecamatan_code] + timedelta(days=offset),
                                             date(2025, 10, 31)))
            rt = RTPlan(
                place=place, number=number, code=rt_code(code, number), id=RT.create_id(rt_code(code, number)),
                actor=Actor(f"ketua.{code.replace('.', '')}.rt{number:03d}", "ketua_rt", rt_code(code, number)),
                registered_at=at(date(2025, 7, 28), 9, 0) + timedelta(minutes=4 * index),
                appointed_at=at(date(2025, 7, 29), 9, 0) + timedelta(minutes=4 * index),
                enrolled_at=at(ENROLLED_ON, 8, 0) + timedelta(minutes=2 * index),
                launched_on=launched_on,
                street=rng.choice(STREETS),
            )
            _people_of(rng, people, rt)
            rts.append(rt)

    # Six RTs get a new Ketua RT in the first half of 2026, so their history shows the change.
    for rt in rng.sample(rts, 6):
        appointed_on = date(2026, 1, 12) + timedelta(days=rng.randint(0, 160))
        successor = people.make(rt.place, (1965, 1990), female=rng.random() < 0.2)
        rt.ketuas.append(KetuaTerm(successor, appointed_on, at(appointed_on, 10)))
    return rts


def _people_of(rng: random.Random, people: People, rt: RTPlan) -> None:
    """The RT's first Ketua RT, its musyawarah (before the launch; a third hold one in February 2026)
    and its residents, PHL, petugas syara' and Pokja members among them."""
    first_ketua = people.make(rt.place, (1958, 1985), female=rng.random() < 0.15)
    if rng.random() < 0.3:
        first_ketua.name = ("Hj. " if first_ketua.female else "H. ") + first_ketua.name
    appointed_on = date(2021, 1, 4) + timedelta(days=rng.randrange(4 * 365))
    rt.ketuas.append(KetuaTerm(first_ketua, appointed_on, rt.appointed_at))
    latest = min(date(2025, 9, 30), rt.launched_on - timedelta(days=3))
    held_on = date(2025, 8, 4) + timedelta(days=rng.randint(0, (latest - date(2025, 8, 4)).days))
    rt.musyawarah.append((held_on, rng.sample(PRIORITIES_2025, rng.randint(2, 4))))
    if rng.random() < 0.35:  # the yearly plan for 2026 (February)
        held_2026 = date(2026, 2, 2) + timedelta(days=rng.randint(0, 25))
        rt.musyawarah.append((held_2026, rng.sample(PRIORITIES_2026, rng.randint(2, 3))))
    roles = ["phl"] * rng.randint(2, 4) + ["petugas_syara"] + ["pokja_member"] * rng.randint(1, 3)
    roles += ["resident"] * (rng.randint(20, 28) - len(roles))
    rt.residents = [people.make(rt.place, (1962, 2005), role=role) for role in roles]
