"""The demo's people: residents of Kota Jambi with plausible names, NIKs and phone numbers."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from domain.rt import Place

MEN = (
    "Ahmad", "Muhammad", "Abdul", "Syamsul", "Rudi", "Hendra", "Joko", "Budi", "Slamet", "Agus", "Bambang",
    "Darmawan", "Edi", "Firmansyah", "Hasan", "Irwan", "Junaidi", "Kurniawan", "Lukman", "Mulyadi", "Nasrul",
    "Rahmat", "Ridwan", "Sofyan", "Taufik", "Usman", "Yusuf", "Zainal", "Herman", "Zulkifli", "Arif", "Dedi",
    "Fauzi", "Hadi", "Iskandar", "Jamaluddin", "Marzuki", "Syahrial", "Wahyudi", "Erwin", "Andi", "Rizki",
    "Dimas", "Fikri", "Suparman", "Azhar", "Bahtiar", "Chairul", "Masri", "Nazaruddin",
)
WOMEN = (
    "Siti", "Nur", "Sri", "Dewi", "Rina", "Yanti", "Lestari", "Fitri", "Nurhayati", "Rosmiati", "Asmawati",
    "Sumarni", "Ratna", "Wati", "Ernawati", "Herlina", "Junaida", "Kartini", "Maryam", "Nurlela", "Rahmawati",
    "Suryani", "Yuliana", "Zubaidah", "Halimah", "Aisyah", "Indah", "Dian", "Eka", "Mega",
)
MEN_SECOND = (
    "Hidayat", "Saputra", "Santoso", "Siregar", "Nasution", "Harahap", "Lubis", "Pratama", "Wijaya", "Syahputra",
    "Gunawan", "Setiawan", "Hakim", "Rahman", "Fauzan", "Ramadhan", "Hasibuan", "Tanjung", "Effendi", "Sulaiman",
    "Ismail", "Maulana", "Firdaus", "Rusli", "Yunus", "Zakaria", "Anwar", "Bakri", "Daud", "Hamzah", "Idris",
    "Kadir", "Sembiring", "Simanjuntak", "Nainggolan",
)
WOMEN_SECOND = (
    "Aminah", "Rahayu", "Wulandari", "Handayani", "Susanti", "Rahmawati", "Anggraini", "Puspita", "Sari",
    "Novita", "Marlina", "Hasanah", "Zahra", "Fitriani", "Yulianti", "Nuraini", "Safitri", "Maharani",
)
PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896")


@dataclass(eq=False)
class Person:
    nik: str
    name: str
    female: bool
    phone: str
    role: str = "resident"  # the role this person takes in activities


def heir_of(rng: random.Random, person: Person) -> str:
    """The spouse who receives a deceased participant's santunan."""
    first = rng.choice(MEN if person.female else WOMEN)
    second = rng.choice(MEN_SECOND if person.female else WOMEN_SECOND)
    return f"{first} {second} ({'suami almarhumah' if person.female else 'istri almarhum'})"


class People:
    """Synthetic residents with valid-format NIKs (1571 + kecamatan + birth date + serial), all distinct."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.niks: set[str] = set()

    def make(self, place: Place, born: tuple[int, int], female: bool | None = None, role: str = "resident") -> Person:
        rng = self.rng
        if female is None:
            female = rng.random() < 0.45
        first = rng.choice(WOMEN if female else MEN)
        second = rng.choice(WOMEN_SECOND if female else MEN_SECOND)
        while second == first:
            second = rng.choice(WOMEN_SECOND if female else MEN_SECOND)
        birth = date(rng.randint(*born), 1, 1) + timedelta(days=rng.randrange(365))
        district = place.kecamatan_code.split(".")[2]
        while True:
            day = birth.day + (40 if female else 0)
            nik = f"1571{district}{day:02d}{birth:%m%y}{rng.randint(1, 9999):04d}"
            if nik not in self.niks:
                break
        self.niks.add(nik)
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        return Person(nik=nik, name=f"{first} {second}", female=female, phone=phone, role=role)
