"""The demo data set: the 67 pilot RTs of Program Kampung Bahagia, placed in realistic time.

``load_demo`` drives only the service's public commands, so every rule of the programme is
enforced on the demo data exactly as on real input. The history is placed in time by moving
the service's ``FixedClock``: RTs are registered in July 2025 and enrolled as pilot RTs on
1 August 2025, hold their musyawarah in August–September 2025 and are launched from
24 September 2025 (RT 014 Kenali Asam first); their gotong-royong activities and claims run
from October 2025 to October 2026.

The data set is generated from a fixed seed (no wall-clock time goes into it) and every id
follows from a natural key, so loading is idempotent and resumable: every step first looks at
the current state and is skipped when it is already done. A step dated after the real now is
never run (the clock is never put in the future); a later run picks it up.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from uuid import UUID

from application import rules
from application.clock import FixedClock
from application.service import KampungBahagia
from domain.activity import Activity
from domain.actor import Actor
from domain.benefits import NON_WORK_DEATH, WORK_ACCIDENT, WORK_ACCIDENT_DEATH, AssessmentInputs, calculate
from domain.claim import DOCUMENTS, Claim
from domain.money import format_rupiah
from domain.period import JAKARTA, Period
from domain.rt import RT, Place, rt_code
from domain.user import User
from projections.claims import STATUSES as CLAIM_STATUSES

SEED = 20250801
PILOT_RTS = 67
KELURAHAN_COUNT = 44
ENROLLED_ON = date(2025, 8, 1)
FIRST_LAUNCH = date(2025, 9, 24)
FIRST_RT = ("15.71.07.1012", 14)  # RT 014 Kenali Asam, the first launch (24 September 2025)
ACTIVITIES_FROM = date(2025, 10, 1)
ACTIVITIES_UNTIL = date(2026, 10, 31)
PREPARING_FROM = date(2026, 10, 27)  # an activity starting from here has no task letter yet

ADMIN = Actor("admin.dpmppa", "admin")
OFFICERS = (Actor("petugas.klaim.1", "claim_officer"), Actor("petugas.klaim.2", "claim_officer"))
# One account per role to try the demo with (README, "Try it"): user name, role, RT, password. The
# admin, the claim officer and the Ketua RT of RT 014 Kenali Asam are people of the demo's history.
# Published passwords: a demo store only, never production.
DEMO_ACCOUNTS = (
    ("admin.dpmppa", "admin", None, "demo-admin-2025"),
    ("ketua.1571071012.rt014", "ketua_rt", rt_code(*FIRST_RT), "demo-ketua-2025"),
    ("petugas.klaim.1", "claim_officer", None, "demo-petugas-2025"),
    ("auditor.inspektorat", "auditor", None, "demo-auditor-2025"),
    ("integrasi.bpjstk", "integrator", None, "demo-integrator-2025"),
)
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on a day in Kota Jambi (WIB), as UTC."""
    return datetime.combine(day, time(hour, minute), JAKARTA).astimezone(timezone.utc)


LAST_MOMENT = at(ACTIVITIES_UNTIL, 17)


# --- vocabulary ---------------------------------------------------------------------------

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
STREETS = (
    "Jl. Kapten Pattimura", "Jl. Sunan Kalijaga", "Jl. Lingkar Barat", "Jl. Pangeran Hidayat",
    "Jl. Marsda Surya Dharma", "Jl. Kol. Abunjani", "Jl. Raden Mattaher", "Jl. Sultan Agung", "Jl. Ir. H. Juanda",
    "Jl. H. Adam Malik", "Jl. Jend. Sudirman", "Jl. Slamet Riyadi", "Jl. Kopral Ramli", "Jl. Prof. Dr. Sri Soedewi",
    "Jl. KH. Hasyim Asyari", "Jl. Gatot Subroto", "Jl. Hayam Wuruk", "Jl. Orang Kayo Hitam", "Jl. Yos Sudarso",
    "Jl. Sumantri Brojonegoro", "Jl. Kol. Amir Hamzah", "Jl. Depati Parbo", "Jl. Mayjen Sutoyo", "Jl. M. Husni Thamrin",
    "Jl. Halim Perdana Kusuma", "Jl. Lintas Timur", "Jl. Syamsudin Uban", "Jl. Tp. Sriwijaya", "Jl. Guru Muchtar",
    "Jl. Letjen Suprapto",
)
LANES = (
    "Lrg. Melati", "Lrg. Kenanga", "Lrg. Mawar", "Lrg. Anggrek", "Lrg. Cempaka", "Lrg. Flamboyan", "Lrg. Dahlia",
    "Lrg. Seroja", "Lrg. Teratai", "Lrg. Bougenville", "Lrg. Kamboja", "Lrg. Sepakat", "Lrg. Bersama",
    "Lrg. Damai", "Lrg. Harapan", "Lrg. Mufakat", "Lrg. Swadaya", "Lrg. Rukun",
)
TITLES: dict[str, tuple[str, ...]] = {
    "cleaning": (
        "Gotong royong kebersihan lingkungan", "Jumat bersih lingkungan RT", "Pembersihan lahan kosong dan fasum",
        "Kerja bakti pembersihan makam umum", "Pembersihan sampah bantaran sungai",
    ),
    "drainage": (
        "Gotong royong pembersihan drainase", "Normalisasi parit dan saluran air",
        "Pembangunan saluran drainase U-ditch", "Perbaikan gorong-gorong", "Pengerukan parit lingkungan",
    ),
    "road_repair": (
        "Semenisasi jalan lingkungan", "Pengecoran jalan setapak", "Penimbunan dan perataan jalan gang",
        "Perbaikan jalan rabat beton", "Pemasangan paving block jalan lingkungan",
    ),
    "greening": (
        "Penanaman pohon pelindung", "Pembuatan taman TOGA", "Penghijauan bantaran sungai",
        "Pembuatan kebun gizi warga",
    ),
    "public_facility": (
        "Rehab pos ronda", "Pembangunan gapura RT", "Perbaikan balai pertemuan warga",
        "Pemasangan lampu penerangan jalan", "Perbaikan musala", "Pembuatan TPS sampah",
        "Pembangunan MCK umum",
    ),
    "other": ("Pembuatan sumur bor bersama", "Pengecatan fasilitas umum", "Pembuatan bank sampah"),
}
KIND_WEIGHTS = {"cleaning": 20, "drainage": 25, "road_repair": 20, "greening": 10, "public_facility": 20, "other": 5}
DURATION = {
    "cleaning": (1, 3), "drainage": (3, 14), "road_repair": (5, 21), "greening": (1, 5),
    "public_facility": (7, 30), "other": (2, 10),
}
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
WITHDRAWAL_REASONS = (
    "Pindah domisili ke luar kelurahan", "Sakit, tidak dapat mengikuti kegiatan", "Mendapat pekerjaan di luar kota",
    "Mengundurkan diri atas permintaan sendiri", "Bekerja shift malam, bentrok dengan jadwal kegiatan",
)
HOSPITALS = (
    "RSUD Raden Mattaher Jambi", "RSUD H. Abdul Manap", "RS Bhayangkara Jambi", "RS Siloam Jambi",
    "RS Baiturrahim Jambi", "Puskesmas Kenali Besar", "Puskesmas Simpang Kawat", "Puskesmas Talang Banjar",
)


# --- the plan -----------------------------------------------------------------------------


@dataclass(eq=False)
class Person:
    nik: str
    name: str
    female: bool
    phone: str
    role: str = "resident"  # the role this person takes in activities


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

    @property
    def label(self) -> str:
        return f"RT {self.number:03d} {self.place.kelurahan}"

    def ketua_at(self, moment: datetime) -> Person:
        return [term for term in self.ketuas if term.recorded_at <= moment][-1].person


@dataclass
class LetterPlan:
    number: str
    issued_at: datetime
    cover: Period
    ketua: Person


@dataclass(eq=False)
class ActivityPlan:
    rt: RTPlan
    title: str
    kind: str
    location: str
    value: int
    period: Period
    planned_at: datetime
    id: UUID
    letters: list[LetterPlan] = field(default_factory=list)
    joiners: list[tuple[Person, str]] = field(default_factory=list)  # join when the first letter is issued
    late_joiners: list[tuple[Person, str, datetime]] = field(default_factory=list)
    withdrawals: list[tuple[Person, datetime, str]] = field(default_factory=list)
    payments: list[tuple[datetime, int, str]] = field(default_factory=list)
    revision: tuple[datetime, int, str] | None = None
    completed_at: datetime | None = None
    cancelled: tuple[datetime, str] | None = None
    claimants: set[str] = field(default_factory=set)

    @property
    def joined_at(self) -> datetime:
        return self.letters[0].issued_at + timedelta(minutes=30)

    def premium(self, value: int | None = None) -> int:
        rule = rules.premium_table().rule_on(self.period.start)
        return int(rule.assess(Decimal(value or self.value)).total)


@dataclass
class ClaimPlan:
    activity: ActivityPlan
    person: Person
    participant: bool
    kind: str
    incident_at: datetime
    reported_at: datetime
    chronology: str
    reporter: str
    target: str
    withdrawal: tuple[Person, datetime, str] | None = None  # the claimant's, made before the incident
    steps: list[tuple[datetime, str, dict]] = field(default_factory=list)

    @property
    def id(self) -> UUID:
        return Claim.create_id(self.activity.id, self.person.nik, self.incident_at)


@dataclass
class Plan:
    rts: list[RTPlan]
    activities: list[ActivityPlan]
    claims: list[ClaimPlan]


class _People:
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


def _not_sunday(day: date) -> date:
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _round_value(rng: random.Random, low: int, high: int) -> int:
    step = rng.choice((1_000_000, 500_000, 500_000, 250_000, 250_000, 50_000))
    return rng.randint(low // step, high // step) * step


def _build_rts(rng: random.Random, people: _People) -> list[RTPlan]:
    places = rules.places()
    by_kecamatan: dict[str, list[str]] = {}
    for code, place in sorted(places.items()):
        by_kecamatan.setdefault(place.kecamatan_code, []).append(code)
    chosen = {FIRST_RT[0]}
    for kecamatan, codes in by_kecamatan.items():
        if not chosen.intersection(codes):
            chosen.add(rng.choice(codes))
    others = sorted(set(places) - chosen)
    rng.shuffle(others)
    kelurahan = sorted(chosen | set(others[: KELURAHAN_COUNT - len(chosen)]))
    counts = dict.fromkeys(kelurahan, 1)
    while sum(counts.values()) < PILOT_RTS:
        code = rng.choice(kelurahan)
        if counts[code] < 3:
            counts[code] += 1

    kecamatan_launch = {
        kecamatan: _not_sunday(FIRST_LAUNCH + timedelta(days=rng.randint(1, 30))) for kecamatan in by_kecamatan
    }
    rts: list[RTPlan] = []
    for code in kelurahan:
        place = places[code]
        numbers = sorted(rng.sample(range(1, 31), counts[code]))
        if code == FIRST_RT[0] and FIRST_RT[1] not in numbers:
            numbers[0] = FIRST_RT[1]
            numbers.sort()
        for number in numbers:
            index = len(rts)
            if (code, number) == FIRST_RT:
                launched_on = FIRST_LAUNCH
            else:
                offset = rng.choice((0, 0, 0, 1, 2, 3, 5, 7))
                launched_on = _not_sunday(min(kecamatan_launch[place.kecamatan_code] + timedelta(days=offset),
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
            first_ketua = people.make(place, (1958, 1985), female=rng.random() < 0.15)
            if rng.random() < 0.3:
                first_ketua.name = ("Hj. " if first_ketua.female else "H. ") + first_ketua.name
            appointed_on = date(2021, 1, 4) + timedelta(days=rng.randrange(4 * 365))
            rt.ketuas.append(KetuaTerm(first_ketua, appointed_on, rt.appointed_at))
            latest = min(date(2025, 9, 30), launched_on - timedelta(days=3))
            held_on = date(2025, 8, 4) + timedelta(days=rng.randint(0, (latest - date(2025, 8, 4)).days))
            rt.musyawarah.append((held_on, rng.sample(PRIORITIES_2025, rng.randint(2, 4))))
            if rng.random() < 0.35:  # the yearly plan for 2026 (February)
                held_2026 = date(2026, 2, 2) + timedelta(days=rng.randint(0, 25))
                rt.musyawarah.append((held_2026, rng.sample(PRIORITIES_2026, rng.randint(2, 3))))
            roles = ["phl"] * rng.randint(2, 4) + ["petugas_syara"] + ["pokja_member"] * rng.randint(1, 3)
            roles += ["resident"] * (rng.randint(20, 28) - len(roles))
            rt.residents = [people.make(place, (1962, 2005), role=role) for role in roles]
            rts.append(rt)

    # Six RTs get a new Ketua RT in the first half of 2026, so their history shows the change.
    for rt in rng.sample(rts, 6):
        appointed_on = date(2026, 1, 12) + timedelta(days=rng.randint(0, 160))
        successor = people.make(rt.place, (1965, 1990), female=rng.random() < 0.2)
        rt.ketuas.append(KetuaTerm(successor, appointed_on, at(appointed_on, 10)))
    return rts


def _build_activities(rng: random.Random, rts: list[RTPlan]) -> list[ActivityPlan]:
    activities: list[ActivityPlan] = []
    preparing = {rt.id for rt in rng.sample(rts, 4)}  # their last activity is still being prepared
    for rt in rts:
        count = rng.choices((1, 2, 3, 4), weights=(15, 35, 30, 20))[0]
        ceiling = {1: 100, 2: 100, 3: 66, 4: 50}[count] * 1_000_000
        low = max(rt.launched_on + timedelta(days=7), ACTIVITIES_FROM)
        high = PREPARING_FROM - timedelta(days=1)
        span = (high - low).days // count
        used_titles: set[str] = set()
        lanes = rng.sample(LANES, count)
        for index in range(count):
            kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
            title = rng.choice([t for t in TITLES[kind] if t not in used_titles] or TITLES[kind])
            used_titles.add(title)
            last = index == count - 1
            start = low + timedelta(days=index * span + rng.randint(0, span - 1 if last else max(span - 25, 0)))
            if last and rt.id in preparing:
                start = PREPARING_FROM + timedelta(days=rng.randint(0, (ACTIVITIES_UNTIL - PREPARING_FROM).days))
            days = rng.randint(*DURATION[kind])
            end = min(start + timedelta(days=days - 1), ACTIVITIES_UNTIL)
            period = Period(start, end)
            planned_day = max(rt.launched_on, start - timedelta(days=rng.randint(7, 21)))
            activity = ActivityPlan(
                rt=rt, title=title, kind=kind,
                location=f"{rt.street} {lanes[index]}, RT {rt.number:03d} Kel. {rt.place.kelurahan}",
                value=_round_value(rng, 20_000_000, ceiling), period=period, planned_at=at(planned_day, 10),
                id=Activity.create_id(rt.id, title, period),
            )
            activities.append(activity)
            if start >= PREPARING_FROM:
                continue  # still being prepared: no task letter yet
            issued_on = max(planned_day, start - timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 5))))
            cover_end = end + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            issued_at = at(issued_on, 14)
            activity.letters.append(LetterPlan("", issued_at, Period(start, cover_end), rt.ketua_at(issued_at)))
    return activities


def _choose_participants(rng: random.Random, activity: ActivityPlan) -> None:
    rt = activity.rt
    ketua = activity.letters[0].ketua
    size = rng.randint(5, 15)
    rows: list[tuple[Person, str]] = []
    if rng.random() < 0.85:
        rows.append((ketua, "ketua_rt"))
    pool = [person for person in rt.residents]
    rng.shuffle(pool)
    extras = {"phl": rng.randint(0, 2), "petugas_syara": int(rng.random() < 0.3), "pokja_member": rng.randint(0, 2)}
    for person in pool:
        if len(rows) >= size:
            break
        if person.role == "resident" or extras.get(person.role, 0) > 0:
            if person.role != "resident":
                extras[person.role] -= 1
            rows.append((person, person.role))
    activity.joiners = rows
    letter = activity.letters[0]
    if activity.period.days >= 3 and rng.random() < 0.2:
        joined = {person.nik for person, _ in rows}
        late_day = letter.cover.start + timedelta(days=1)
        for person in [p for p in pool if p.nik not in joined and p.role == "resident"][: rng.randint(1, 2)]:
            activity.late_joiners.append((person, "resident", at(late_day, 7, 30)))


def _bank_reference(counter: list[int], day: date) -> str:
    counter[0] += 1
    return f"BJB-{day:%y%m%d}-{counter[0]:05d}"


def _plan_lifecycle(rng: random.Random, activities: list[ActivityPlan]) -> None:
    """Participants, cancellations, extensions, payments, a value revision and completions."""
    with_letter = [a for a in activities if a.letters]
    for activity in with_letter:
        _choose_participants(rng, activity)

    # Two cancellations: one before its task letter, one after (the site flooded).
    early = [a for a in with_letter if date(2026, 1, 5) <= a.period.start <= date(2026, 3, 31)]
    first = rng.choice(early)
    first.letters.clear()
    first.joiners.clear()
    first.late_joiners.clear()
    first.cancelled = (
        first.planned_at + timedelta(days=3, hours=5),
        "Anggaran dialihkan untuk penanganan banjir di lingkungan RT (hasil musyawarah luar biasa)",
    )
    flooded = rng.choice([
        a for a in with_letter
        if date(2025, 12, 1) <= a.period.start <= date(2026, 2, 28) and a is not first
        and a.letters[0].issued_at.date() < a.period.start
    ])
    flooded.late_joiners.clear()
    flooded.cancelled = (
        flooded.joined_at + timedelta(hours=20),
        "Lokasi kegiatan tergenang banjir; kegiatan ditunda ke tahun anggaran berikutnya",
    )

    open_ones = [a for a in with_letter if a.cancelled is None]
    # Five activities ran late and got a second task letter extending the cover.
    for activity in rng.sample([a for a in open_ones if a.period.end <= date(2026, 8, 31)], 5):
        letter = activity.letters[0]
        issued_at = at(activity.period.end, 15)
        extension = Period(letter.cover.end + timedelta(days=1), letter.cover.end + timedelta(days=rng.randint(3, 7)))
        activity.letters.append(LetterPlan("", issued_at, extension, activity.rt.ketua_at(issued_at)))

    counter = [0]
    for activity in [a for a in activities if a.letters]:
        premium = activity.premium()
        first_day = activity.letters[0].issued_at.date() + timedelta(days=rng.randint(1, 7))
        pattern = rng.choices(("full", "instalments", "partial", "unpaid"), weights=(55, 15, 15, 15))[0]
        if pattern == "full":
            amounts = [premium]
        elif pattern == "instalments":
            half = premium // 2000 * 1000
            amounts = [half, premium - half]
        elif pattern == "partial":
            amounts = [max(premium // 2000 * 1000, 1000)]
        else:
            amounts = []
        day = first_day
        stop = activity.cancelled[0] if activity.cancelled else LAST_MOMENT  # nothing is paid after a cancellation
        for amount in amounts:
            if at(day, 11) > stop:
                break
            activity.payments.append((at(day, 11), amount, _bank_reference(counter, day)))
            day += timedelta(days=rng.randint(10, 30))

    # One value revision: more channel to build than measured; the top-up premium is paid.
    revisable = [
        a for a in open_ones
        if a.kind in ("drainage", "road_repair") and a.period.days >= 5
        and len(a.payments) == 1 and a.payments[0][1] == a.premium()  # paid in full before the revision
        and a.payments[0][0] < at(a.period.start + timedelta(days=1), 15)
        and a.value <= 90_000_000 and date(2026, 1, 1) <= a.period.start <= date(2026, 6, 30)
    ]
    revised = rng.choice(revisable)
    new_value = revised.value + 7_500_000
    moment = at(revised.period.start + timedelta(days=1), 15)
    reason = "Penambahan volume pekerjaan sepanjang 40 m sesuai hasil peninjauan lapangan"
    revised.revision = (moment, new_value, reason)
    top_up_day = (moment + timedelta(days=3)).date()
    revised.payments.append(
        (at(top_up_day, 11), revised.premium(new_value) - revised.premium(), _bank_reference(counter, top_up_day))
    )

    # Letter numbers: counted per RT in the order the letters are issued.
    by_rt: dict[UUID, list[LetterPlan]] = {}
    for activity in activities:
        for letter in activity.letters:
            by_rt.setdefault(activity.rt.id, []).append(letter)
    rts = {a.rt.id: a.rt for a in activities}
    for rt_id, letters in by_rt.items():
        rt = rts[rt_id]
        short = rt.place.kelurahan_code[6:]  # "07.1012": unique city-wide with the RT number
        for seq, letter in enumerate(sorted(letters, key=lambda l: l.issued_at), start=1):
            day = letter.issued_at.astimezone(JAKARTA).date()
            letter.number = f"ST/{seq:03d}/RT-{rt.number:03d}/{short}/{ROMAN[day.month]}/{day.year}"

    # Completion a few days after the last cover ends; a few are still running or unreported.
    for activity in open_ones:
        last_end = max(letter.cover.end for letter in activity.letters)
        done = at(last_end + timedelta(days=rng.randint(1, 5)), 16)
        if done <= LAST_MOMENT - timedelta(days=3) and rng.random() > 0.05:
            activity.completed_at = done


# --- claims -------------------------------------------------------------------------------

# (target status, kind, variant, incident window)
CLAIM_SCENARIOS: tuple[tuple[str, str, str, tuple[date, date]], ...] = (
    ("closed", WORK_ACCIDENT_DEATH, "paid", (date(2025, 10, 15), date(2026, 3, 15))),
    ("closed", NON_WORK_DEATH, "paid", (date(2025, 11, 1), date(2026, 4, 30))),
    ("closed", WORK_ACCIDENT, "waived", (date(2025, 11, 1), date(2026, 5, 31))),
    ("closed", "work_accident", "paid_late", (date(2025, 10, 15), date(2026, 3, 31))),
    ("closed", "work_accident", "paid_disability", (date(2025, 10, 15), date(2026, 3, 31))),
    ("closed", "work_accident", "paid_traffic", (date(2025, 11, 1), date(2026, 4, 15))),
    ("closed", "work_accident", "rejected", (date(2025, 11, 1), date(2026, 4, 30))),
    ("closed", "work_accident", "rejected_late", (date(2025, 11, 1), date(2026, 4, 30))),
    ("closed", "work_accident", "denied_withdrawn", (date(2025, 11, 1), date(2026, 5, 31))),
    ("closed", "work_accident", "denied_before_cover", (date(2025, 11, 1), date(2026, 5, 31))),
    ("paid", "work_accident", "paid", (date(2026, 3, 1), date(2026, 7, 31))),
    ("paid", "work_accident", "paid_late", (date(2026, 3, 1), date(2026, 7, 31))),
    ("paid", "work_accident", "paid", (date(2026, 4, 1), date(2026, 8, 15))),
    ("waived", WORK_ACCIDENT, "waived", (date(2026, 3, 1), date(2026, 7, 31))),
    ("partially_paid", WORK_ACCIDENT_DEATH, "partial", (date(2026, 3, 1), date(2026, 7, 31))),
    ("partially_paid", "work_accident", "partial", (date(2026, 4, 1), date(2026, 8, 15))),
    ("approved", WORK_ACCIDENT_DEATH, "approved", (date(2026, 5, 1), date(2026, 8, 31))),
    ("approved", NON_WORK_DEATH, "approved", (date(2026, 5, 1), date(2026, 9, 30))),
    ("approved", "work_accident", "approved_late", (date(2026, 5, 1), date(2026, 8, 31))),
    ("assessed", "work_accident", "assessed", (date(2026, 7, 15), date(2026, 9, 20))),
    ("assessed", "work_accident", "assessed", (date(2026, 7, 15), date(2026, 9, 20))),
    ("rejected", "work_accident", "rejected_assessed", (date(2026, 5, 1), date(2026, 9, 15))),
    ("rejected", "work_accident", "rejected", (date(2026, 5, 1), date(2026, 9, 15))),
    ("coverage_denied", "work_accident", "denied_after_cover", (date(2026, 8, 1), date(2026, 10, 15))),
    ("coverage_denied", "work_accident", "denied_not_participant", (date(2026, 8, 1), date(2026, 10, 15))),
    ("coverage_confirmed", "work_accident", "confirmed", (date(2026, 9, 1), date(2026, 10, 15))),
    ("coverage_confirmed", "work_accident", "confirmed_late", (date(2026, 9, 1), date(2026, 10, 12))),
    ("reported", "work_accident", "reported", (date(2026, 10, 14), date(2026, 10, 29))),
    ("reported", WORK_ACCIDENT_DEATH, "reported_late", (date(2026, 10, 10), date(2026, 10, 24))),
)

WORK_ACCIDENTS = (
    "tergelincir ke dalam parit dan kaki kanannya terkilir",
    "tangan kirinya terluka terkena cangkul",
    "tertimpa tumpukan batako saat menurunkan material dari mobil bak",
    "jatuh dari tangga bambu setinggi dua meter",
    "kakinya tertusuk paku dari papan bekas",
    "matanya terkena percikan adukan semen",
    "punggungnya cedera saat mengangkat material berat bersama warga",
    "terjatuh dari gerobak sorong dan pergelangan tangannya retak",
)
DEATHS = (
    "tersengat listrik dari kabel yang terkelupas",
    "tertimpa dahan pohon besar yang patah",
    "terpeleset dan terseret arus parit yang deras ketika hujan lebat",
    "tertimpa dinding lama yang roboh",
)
# JKM: a participant covered at the time who died, not from a work accident.
NON_WORK_DEATHS = (
    "meninggal dunia di rumah karena serangan jantung",
    "meninggal dunia di rumah sakit setelah dirawat karena demam berdarah",
    "meninggal dunia dalam kecelakaan lalu lintas saat berangkat ke pasar",
)
SPECIAL_ACCIDENTS = {
    "paid_traffic": "ditabrak sepeda motor saat mengatur lalu lintas di mulut gang lokasi kegiatan",
    "paid_disability": "jari telunjuk kanannya terpotong mesin gerinda saat memotong besi",
}


def _pick_day(rng: random.Random, period: Period, window: tuple[date, date]) -> date | None:
    start, end = max(period.start, window[0]), min(period.end, window[1])
    if start > end:
        return None
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _plan_claims(rng: random.Random, activities: list[ActivityPlan]) -> list[ClaimPlan]:
    candidates = [a for a in activities if a.letters and a.cancelled is None]
    rng.shuffle(candidates)
    used_activities: set[int] = set()
    claimants: set[str] = set()  # one claim per person in the whole data set
    claims: list[ClaimPlan] = []
    counter = [0]
    for target, kind, variant, window in CLAIM_SCENARIOS:
        for activity in candidates:
            if id(activity) in used_activities:
                continue
            plan = _try_claim(rng, activity, target, kind, variant, window, claimants)
            if plan is None:
                continue
            references = [counter[0]]
            _schedule_claim(rng, plan, variant, references)
            if max(moment for moment, _, _ in plan.steps) > LAST_MOMENT:
                continue
            counter[0] = references[0]
            if plan.withdrawal is not None:
                activity.withdrawals.append(plan.withdrawal)
            used_activities.add(id(activity))
            activity.claimants.add(plan.person.nik)
            claimants.add(plan.person.nik)
            claims.append(plan)
            break
        else:
            raise RuntimeError(f"demo plan: no activity fits the claim scenario {target}/{variant}")
    return claims


def _try_claim(
    rng: random.Random, activity: ActivityPlan, target: str, kind: str, variant: str, window: tuple[date, date],
    claimants: set[str],
) -> ClaimPlan | None:
    letter = activity.letters[0]
    eligible = [person for person, role in activity.joiners if role != "ketua_rt" and person.nik not in claimants]
    withdrawal = None
    if not eligible or (activity.completed_at is None and target == "closed"):
        return None
    person = rng.choice(eligible)
    participant = True
    join_day = activity.joined_at.astimezone(JAKARTA).date()
    if variant == "denied_before_cover":
        if join_day >= letter.cover.start or not window[0] <= join_day <= window[1]:
            return None
        incident = at(join_day, 16)
    elif variant == "denied_after_cover":
        if len(activity.letters) > 1:
            return None
        day = letter.cover.end + timedelta(days=1)
        if not window[0] <= day <= window[1]:
            return None
        incident = at(day, 9, 30)
    elif variant == "denied_withdrawn":
        if letter.cover.days < 3:
            return None
        day = _pick_day(rng, Period(letter.cover.start + timedelta(days=1), letter.cover.end), window)
        if day is None:
            return None
        withdrawn_at = at(letter.cover.start, 18)
        if activity.completed_at and activity.completed_at <= withdrawn_at:
            return None
        withdrawal = (person, withdrawn_at, "Mengundurkan diri karena bekerja sebagai buruh bangunan di luar kota")
        incident = at(day, 10, 15)
    else:
        day = _pick_day(rng, letter.cover, window)
        if day is None:
            return None
        incident = at(day, rng.randint(8, 11), rng.choice((0, 10, 20, 30, 40, 50)))
        if incident <= activity.joined_at + timedelta(minutes=30):
            incident = at(day, 16, 10)
        if variant == "denied_not_participant":
            joined = {p.nik for p, _ in activity.joiners} | {p.nik for p, _, _ in activity.late_joiners}
            outsiders = [p for p in activity.rt.residents if p.nik not in joined and p.nik not in claimants]
            if not outsiders:
                return None
            person = rng.choice(outsiders)
            participant = False
    late = "late" in variant
    delay = timedelta(days=rng.randint(3, 6), hours=rng.randint(1, 5)) if late else timedelta(hours=rng.randint(2, 30))
    reported_at = incident + delay
    local_report = reported_at.astimezone(JAKARTA)
    if local_report.hour < 8 or local_report.hour >= 17:
        reported_at = at(local_report.date() + timedelta(days=local_report.hour >= 17), 9, 0)
        if not late and reported_at - incident > timedelta(hours=47):
            reported_at = incident + timedelta(hours=20)
    if reported_at > LAST_MOMENT - timedelta(days=1):
        return None
    ketua = activity.rt.ketua_at(reported_at)
    local_incident = incident.astimezone(JAKARTA)
    if kind == NON_WORK_DEATH:
        chronology = (
            f"Pada {local_incident:%d-%m-%Y} sekitar pukul {local_incident:%H.%M} WIB, {person.name}, peserta "
            f"kegiatan \"{activity.title}\", {rng.choice(NON_WORK_DEATHS)}.\n"
            "Kematian tidak berkaitan dengan kegiatan gotong royong; peserta masih dalam masa surat tugas."
        )
    else:
        what = SPECIAL_ACCIDENTS.get(variant) or rng.choice(DEATHS if kind == WORK_ACCIDENT_DEATH else WORK_ACCIDENTS)
        chronology = (
            f"Pada {local_incident:%d-%m-%Y} sekitar pukul {local_incident:%H.%M} WIB, saat kegiatan "
            f"\"{activity.title}\" di {activity.location}, {person.name} {what}.\n"
            + (
                "Korban segera dibawa warga ke rumah sakit namun dinyatakan meninggal dunia oleh dokter jaga."
                if kind == WORK_ACCIDENT_DEATH
                else f"Korban dibawa warga ke {rng.choice(HOSPITALS)} untuk mendapat pertolongan."
            )
        )
    if variant == "denied_after_cover":
        chronology += (
            "\nPekerjaan dilanjutkan sehari setelah masa surat tugas berakhir karena material terlambat datang."
        )
    if variant == "denied_before_cover":
        chronology += "\nKejadian terjadi saat persiapan lokasi, sehari sebelum kegiatan dimulai."
    reporter = f"{ketua.name} (Ketua RT {activity.rt.number:03d})"
    return ClaimPlan(
        activity=activity, person=person, participant=participant, kind=kind, incident_at=incident,
        reported_at=reported_at, chronology=chronology, reporter=reporter, target=target, withdrawal=withdrawal,
    )


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    day = moment.astimezone(JAKARTA).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return at(day, rng.randint(9, 14), rng.choice((0, 15, 30, 45)))


def _schedule_claim(rng: random.Random, plan: ClaimPlan, variant: str, counter: list[int]) -> None:
    steps = plan.steps
    officer = rng.choice(OFFICERS)
    checklist = DOCUMENTS[plan.kind]
    first_docs = [doc for doc in ("ktp", "kk", "kronologis", "laporan_tahap_1") if doc in checklist]
    t = plan.reported_at + timedelta(hours=1)
    for doc in first_docs:
        steps.append((t, "document", {"document": doc}))
        t += timedelta(minutes=5)
    if plan.target == "reported":
        return
    t = _office_hours(plan.reported_at + timedelta(days=rng.randint(1, 3)), rng)
    if variant.startswith("denied"):
        reasons = {
            "denied_withdrawn": (
                "Peserta telah mengundurkan diri dari kegiatan sebelum kejadian; tidak tercakup surat tugas"
            ),
            "denied_before_cover": "Kejadian terjadi sebelum masa berlaku surat tugas dimulai",
            "denied_after_cover": "Kejadian terjadi setelah masa berlaku surat tugas berakhir",
            "denied_not_participant": "Korban tidak terdaftar sebagai peserta kegiatan",
        }
        steps.append((t, "deny", {"reason": reasons[variant], "officer": officer}))
        if plan.target == "closed":
            steps.append((_office_hours(t + timedelta(days=rng.randint(3, 7)), rng), "close", {"officer": officer}))
        return
    steps.append((t, "confirm", {"officer": officer}))
    later_docs = [doc for doc, required in checklist.items() if required and doc not in first_docs]
    if variant == "paid_traffic":
        later_docs.append("laporan_polisi")
    if (rng.random() < 0.5 or variant.startswith("rejected")) and "keterangan_saksi" in checklist:
        later_docs.append("keterangan_saksi")
    if plan.target in ("coverage_confirmed", "assessed"):
        later_docs = later_docs[: max(1, len(later_docs) - 2)]  # some documents still awaited
    if variant == "rejected":
        later_docs = ["surat_tugas", "keterangan_saksi"]
    for doc in later_docs:
        t = t + timedelta(days=rng.randint(1, 4))
        steps.append((_office_hours(t, rng), "document", {"document": doc}))
    if plan.target == "coverage_confirmed":
        return
    t = _office_hours(t + timedelta(days=rng.randint(2, 5)), rng)
    if variant == "rejected" or (variant == "rejected_late"):
        steps.append((t, "reject", {
            "reason": "Keterangan dua saksi: cedera terjadi di rumah korban, bukan saat kegiatan gotong royong",
            "officer": officer,
        }))
        if plan.target == "closed":
            steps.append((_office_hours(t + timedelta(days=rng.randint(3, 7)), rng), "close", {"officer": officer}))
        return
    inputs = _assessment_inputs(rng, plan, variant)
    steps.append((t, "assess", {"inputs": inputs, "officer": officer}))
    if plan.target == "assessed":
        return
    t = _office_hours(t + timedelta(days=rng.randint(2, 5)), rng)
    if variant == "rejected_assessed":
        steps.append((t, "reject", {
            "reason": "Kuitansi pengobatan tidak dapat diverifikasi oleh rumah sakit penerbit",
            "officer": officer,
        }))
        return
    steps.append((t, "approve", {"officer": officer}))
    if plan.target == "approved":
        return
    # The lines the service will compute, to schedule a payment per line.
    lines = calculate(plan.kind, plan.incident_at.astimezone(JAKARTA).date(), inputs, rules.benefit_tables()).lines
    beneficiary = plan.person.name
    if plan.kind != WORK_ACCIDENT:
        heir_first = rng.choice(MEN if plan.person.female else WOMEN)
        heir_second = rng.choice(MEN_SECOND if plan.person.female else WOMEN_SECOND)
        beneficiary = f"{heir_first} {heir_second} ({'suami almarhumah' if plan.person.female else 'istri almarhum'})"
    if variant == "partial":
        paid_first = ("funeral", "periodic_santunan", "medical_care")  # the rest waits for the last document
        payments = [(line.benefit, line.amount) for line in lines if line.benefit in paid_first]
    elif variant == "waived":
        payments = [(line.benefit, line.amount) for line in lines if line.benefit == "medical_care"]
    else:
        payments = [(line.benefit, line.amount) for line in lines]
    program = "JKM" if plan.kind == NON_WORK_DEATH else "JKK"
    for benefit, amount in payments:
        t = _office_hours(t + timedelta(days=rng.randint(2, 6)), rng)
        counter[0] += 1
        day = t.astimezone(JAKARTA).date()
        reference = f"BPJSTK-{program}-{day:%Y%m}-{counter[0]:04d}"
        steps.append((t, "pay", {
            "benefit": benefit, "amount": amount, "beneficiary": beneficiary, "reference": reference,
            "paid_on": day, "officer": officer,
        }))
    if variant == "waived":
        t = _office_hours(t + timedelta(days=rng.randint(3, 7)), rng)
        steps.append((t, "waive", {
            "reason": "Peserta kembali bekerja lebih awal dan menyatakan tertulis tidak mengambil sisa santunan",
            "officer": officer,
        }))
    if plan.target == "closed":
        steps.append((_office_hours(t + timedelta(days=rng.randint(3, 7)), rng), "close", {"officer": officer}))


def _assessment_inputs(rng: random.Random, plan: ClaimPlan, variant: str) -> AssessmentInputs:
    """What the officer enters; the service computes the lines (48 × UMK and the fixed amounts for a death)."""
    if plan.kind != WORK_ACCIDENT:
        return AssessmentInputs()
    transport = rng.random() < 0.5 or variant == "paid_traffic"
    return AssessmentInputs(
        medical_costs=Decimal(rng.randint(1_500, 8_500) * 1000),
        transport_costs=Decimal(rng.choice((150, 250, 350, 500, 750)) * 1000) if transport else Decimal(0),
        stmb_days=rng.randint(5, 30),
        disability_item="right_index_finger" if variant == "paid_disability" else None,
    )


def _after_claims(rng: random.Random, activities: list[ActivityPlan], claims: list[ClaimPlan]) -> None:
    """The deceased join no later activity; a few other participants withdraw."""
    for claim in claims:
        if claim.kind == WORK_ACCIDENT:
            continue
        for activity in activities:
            if activity.rt is not claim.activity.rt or not activity.letters:
                continue
            if activity.joined_at > claim.incident_at:
                activity.joiners = [(p, r) for p, r in activity.joiners if p is not claim.person]
                activity.late_joiners = [row for row in activity.late_joiners if row[0] is not claim.person]
                joined = {p.nik for p, _ in activity.joiners} | {row[0].nik for row in activity.late_joiners}
                spare = [p for p in activity.rt.residents if p.nik not in joined and p is not claim.person]
                while len(activity.joiners) + len(activity.late_joiners) < 5 and spare:
                    activity.joiners.append((spare.pop(0), "resident"))
    withdrawable = [
        a for a in activities
        if a.letters and a.cancelled is None and a.period.days >= 2 and len(a.joiners) >= 7 and not a.withdrawals
    ]
    for activity in rng.sample(withdrawable, 6):
        residents = [p for p, role in activity.joiners if role == "resident" and p.nik not in activity.claimants]
        person = rng.choice(residents)
        moment = at(activity.period.start + timedelta(days=rng.randint(0, activity.period.days - 1)), 18)
        if moment <= activity.joined_at:
            moment = activity.joined_at + timedelta(hours=4)
        if moment > LAST_MOMENT or (activity.completed_at is not None and moment >= activity.completed_at):
            continue
        activity.withdrawals.append((person, moment, rng.choice(WITHDRAWAL_REASONS)))


def build_plan(seed: int = SEED) -> Plan:
    """The whole demo data set, as data; nothing is read from the store or the wall clock."""
    rng = random.Random(seed)
    people = _People(rng)
    rts = _build_rts(rng, people)
    activities = _build_activities(rng, rts)
    _plan_lifecycle(rng, activities)
    claims = _plan_claims(rng, activities)
    _after_claims(rng, activities, claims)
    return Plan(rts=rts, activities=activities, claims=claims)


# --- steps: each checks the current state and acts only when not yet done -------------------

Step = tuple[datetime, int, Callable[[KampungBahagia], None]]


def _rt_steps(rt: RTPlan) -> list[tuple[datetime, Callable[[KampungBahagia], None]]]:
    def register(service: KampungBahagia) -> None:
        if rt.id not in service.repository:
            service.register_rt(rt.place.kelurahan_code, rt.number, ADMIN)

    def appoint(term: KetuaTerm) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            current = service.get_rt(rt.id).ketua
            if current is None or current.appointed_on < term.appointed_on:
                person = term.person
                service.appoint_ketua_rt(rt.id, person.nik, person.name, person.phone, term.appointed_on, ADMIN)
        return run

    def enrol(service: KampungBahagia) -> None:
        if service.get_rt(rt.id).phase is None:
            service.enrol_rt(rt.id, "pilot", ENROLLED_ON, ADMIN)

    def musyawarah(held_on: date, priorities: list[str]) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            if all(day != held_on for day, _ in service.get_rt(rt.id).musyawarah):
                service.hold_musyawarah(rt.id, held_on, priorities, rt.actor)
        return run

    def launch(service: KampungBahagia) -> None:
        if not service.get_rt(rt.id).launched:
            service.launch_rt(rt.id, rt.launched_on, ADMIN)

    steps = [(rt.registered_at, register)]
    steps += [(term.recorded_at, appoint(term)) for term in rt.ketuas]
    steps.append((rt.enrolled_at, enrol))
    steps += [(at(held_on, 19, 30), musyawarah(held_on, priorities)) for held_on, priorities in rt.musyawarah]
    steps.append((at(rt.launched_on, 9), launch))
    return steps


def _activity_steps(plan: ActivityPlan) -> list[tuple[datetime, Callable[[KampungBahagia], None]]]:
    rt = plan.rt

    def create(service: KampungBahagia) -> None:
        if plan.id not in service.repository:
            service.plan_activity(rt.id, plan.title, plan.kind, plan.location, plan.value, plan.period, rt.actor)

    def issue(letter: LetterPlan) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            numbers = {tl.number.casefold() for tl in service.get_activity(plan.id).task_letters}
            if letter.number.casefold() not in numbers:
                service.issue_task_letter(
                    plan.id, letter.number, letter.issued_at.astimezone(JAKARTA).date(), letter.cover,
                    letter.ketua.nik, rt.actor,
                )
        return run

    def join(rows: list[tuple[Person, str]]) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            joined = service.get_activity(plan.id).participants
            todo = [(p.nik, p.name, role) for p, role in rows if p.nik not in joined]
            if todo:
                service.join_participants(plan.id, todo, rt.actor)
        return run

    def withdraw(person: Person, reason: str) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            participant = service.get_activity(plan.id).participants.get(person.nik)
            if participant is None or participant.withdrawn_at is None:
                service.withdraw_participant(plan.id, person.nik, reason, rt.actor)
        return run

    def pay(amount: int, reference: str, paid_on: date) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            if all(p.reference != reference for p in service.get_activity(plan.id).payments):
                service.record_premium_payment(plan.id, amount, reference, paid_on, ADMIN)
        return run

    def revise(value: int, reason: str) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            if service.get_activity(plan.id).total_value != value:
                service.revise_value(plan.id, value, reason, ADMIN)
        return run

    def complete(service: KampungBahagia) -> None:
        if service.get_activity(plan.id).status not in ("completed", "cancelled"):
            service.complete_activity(plan.id, rt.actor)

    def cancel(reason: str) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            if service.get_activity(plan.id).status != "cancelled":
                service.cancel_activity(plan.id, reason, rt.actor)
        return run

    steps = [(plan.planned_at, create)]
    steps += [(letter.issued_at, issue(letter)) for letter in plan.letters]
    if plan.joiners:
        steps.append((plan.joined_at, join(plan.joiners)))
    steps += [(moment, join([(person, role)])) for person, role, moment in plan.late_joiners]
    steps += [(moment, withdraw(person, reason)) for person, moment, reason in plan.withdrawals]
    steps += [(moment, pay(amount, ref, moment.astimezone(JAKARTA).date())) for moment, amount, ref in plan.payments]
    if plan.revision:
        moment, value, reason = plan.revision
        steps.append((moment, revise(value, reason)))
    if plan.completed_at:
        steps.append((plan.completed_at, complete))
    if plan.cancelled:
        steps.append((plan.cancelled[0], cancel(plan.cancelled[1])))
    return steps


def _claim_steps(plan: ClaimPlan) -> list[tuple[datetime, Callable[[KampungBahagia], None]]]:
    claim_id = plan.id
    reporter_actor = plan.activity.rt.actor

    def report(service: KampungBahagia) -> None:
        if claim_id not in service.repository:
            service.report_accident(
                plan.activity.id, plan.person.nik, plan.incident_at, plan.kind, plan.chronology, plan.reporter,
                reporter_actor, participant_name=None if plan.participant else plan.person.name,
            )

    def step(kind: str, args: dict) -> Callable[[KampungBahagia], None]:
        def run(service: KampungBahagia) -> None:
            claim = service.get_claim(claim_id)
            actor = args.get("officer", OFFICERS[0])
            if kind == "document":
                if args["document"] not in claim.documents:
                    service.receive_document(claim_id, args["document"], actor)
            elif kind == "confirm":
                if claim.cover is None:
                    service.confirm_coverage(claim_id, actor)
            elif kind == "deny":
                if claim.denial_reason is None:
                    # The rules agree: nothing covers this participant at the incident.
                    if service.coverage(plan.activity.id, plan.person.nik, plan.incident_at) is not None:
                        raise RuntimeError(f"demo plan: claim {claim_id} was meant to be outside cover")
                    service.deny_coverage(claim_id, args["reason"], actor)
            elif kind == "assess":
                if not claim.benefit_lines:
                    service.assess_claim(claim_id, args["inputs"], actor)
            elif kind == "approve":
                if claim.approved_amount is None:
                    service.approve_claim(claim_id, actor)
            elif kind == "reject":
                if claim.rejection_reason is None:
                    service.reject_claim(claim_id, args["reason"], actor)
            elif kind == "pay":
                if all(p.reference != args["reference"] for p in claim.payments):
                    service.pay_santunan(
                        claim_id, args["benefit"], args["amount"], args["beneficiary"], args["reference"],
                        args["paid_on"], actor,
                    )
            elif kind == "waive":
                if not claim.waived:
                    service.waive_outstanding(claim_id, args["reason"], actor)
            elif kind == "close":
                if not claim.closed:
                    service.close_claim(claim_id, actor)
        return run

    return [(plan.reported_at, report)] + [(moment, step(kind, args)) for moment, kind, args in plan.steps]


def _steps(plan: Plan) -> list[Step]:
    timed: list[tuple[datetime, Callable[[KampungBahagia], None]]] = []
    for rt in plan.rts:
        timed += _rt_steps(rt)
    for activity in plan.activities:
        timed += _activity_steps(activity)
    for claim in plan.claims:
        timed += _claim_steps(claim)
    late = [moment for moment, _ in timed if moment > LAST_MOMENT]
    if late:
        raise RuntimeError(f"demo plan: {len(late)} steps are dated after {LAST_MOMENT}")
    # Chronological; ties keep the order above (an RT before its activities, create before use).
    return sorted(((moment, index, run) for index, (moment, run) in enumerate(timed)), key=lambda s: s[:2])


# --- loading and reporting ----------------------------------------------------------------


def demo_claim_ids(service: KampungBahagia) -> list[UUID]:
    """Every claim in the store, in the order reported."""
    return service.aggregate_ids(Claim.AccidentReported)


def demo_activity_ids(service: KampungBahagia) -> list[UUID]:
    """Every activity in the store, in the order planned."""
    return service.aggregate_ids(Activity.ActivityPlanned)


def load_demo(service: KampungBahagia, clock: FixedClock, *, until: datetime | None = None) -> str:
    """Load the demo data set through the service's commands; returns a one-paragraph summary.

    ``clock`` must be the service's clock: it is moved to each step's moment, never past the
    real now, and left at the real now afterwards. ``until`` stops the history earlier (a
    later run completes it, as after an interrupted run).
    """
    if service.clock is not clock:
        raise ValueError("load_demo needs the service's own FixedClock")
    real_now = datetime.now(timezone.utc)
    horizon = min(real_now, until) if until is not None else real_now
    before = service.recorder.max_notification_id() or 0
    deferred = 0
    for moment, _, run in _steps(build_plan()):
        if moment > horizon:
            deferred += 1
            continue
        clock.set(moment)
        run(service)
    clock.set(real_now)
    _open_accounts(service)
    added = (service.recorder.max_notification_id() or 0) - before
    return _summary(service, added, deferred)


def _open_accounts(service: KampungBahagia) -> None:
    for username, role, rt, password in DEMO_ACCOUNTS:
        if User.create_id(username) not in service.repository:
            service.register_user(username, role, password, ADMIN, rt_code=rt)


def _summary(service: KampungBahagia, added: int, deferred: int) -> str:
    rts = [service.get_rt(rt_id) for rt_id in service.rt_ids()]
    activities = [service.get_activity(activity_id) for activity_id in demo_activity_ids(service)]
    claims = [service.get_claim(claim_id) for claim_id in demo_claim_ids(service)]
    kecamatan = {rt.place.kecamatan for rt in rts}
    kelurahan = {rt.place.kelurahan_code for rt in rts}
    launched = [rt for rt in rts if rt.launched]
    first = min(launched, key=lambda rt: (rt.launched_on, rt.code), default=None)
    activity_status = Counter(a.status for a in activities)
    participants = sum(len(a.participants) for a in activities)
    people = len({nik for a in activities for nik in a.participants})
    letters = sum(len(a.task_letters) for a in activities)
    premium = sum((a.premium.total for a in activities if a.premium and a.status != "cancelled"), Decimal(0))
    paid = sum((a.premium_paid for a in activities), Decimal(0))
    claim_status = Counter(c.status for c in claims)
    statuses = ", ".join(
        f"{status.replace('_', ' ')} {claim_status[status]}" for status in CLAIM_STATUSES if claim_status[status]
    )
    santunan = sum((c.paid_amount for c in claims), Decimal(0))
    first_text = f", the first {first.code} on {first.launched_on:%d %B %Y}" if first else ""
    deferred_text = f"; {deferred} later steps were left for a later run" if deferred else ""
    return (
        f"Demo data (Program Kampung Bahagia, Kota Jambi): {len(rts)} RTs in {len(kelurahan)} kelurahan of "
        f"{len(kecamatan)} kecamatan, {len(launched)} launched{first_text}; {len(activities)} activities "
        f"({', '.join(f'{n} {s}' for s, n in sorted(activity_status.items()))}) with {letters} task letters and "
        f"{participants} participants ({people} distinct NIKs), premium assessed {format_rupiah(premium)} of which "
        f"{format_rupiah(paid)} paid; {len(claims)} claims ({statuses}; {sum(c.late for c in claims)} reported "
        f"late, {sum(c.kind != 'work_accident' for c in claims)} deaths), santunan paid {format_rupiah(santunan)}. "
        f"This run added {added} events{deferred_text}."
    )
