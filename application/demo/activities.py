"""The RTs' gotong-royong activities, one after another from October 2025 on: their task letters,
participants, premium payments and ends (completed, cancelled, a few never reported complete).

Each activity is drawn from its own random stream (its RT's code and its place in the RT's
sequence), so an RT's first activities are the same however far ahead the plan is drawn.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application import rules
from application.demo.people import Person
from application.demo.rts import RTPlan
from application.demo.timeline import ACTIVITIES_FROM, at, not_sunday, stream
from domain.activity import Activity
from domain.period import Period, local_day

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
CYCLE_DAYS = 120  # an RT's activities start about this far apart
JITTER = 5  # days either side
CANCELLED_EARLY = (
    "Anggaran dialihkan untuk penanganan banjir di lingkungan RT (hasil musyawarah luar biasa)"
)
CANCELLED_FLOODED = "Lokasi kegiatan tergenang banjir; kegiatan ditunda ke tahun anggaran berikutnya"
REVISION_REASON = "Penambahan volume pekerjaan sepanjang 40 m sesuai hasil peninjauan lapangan"
WITHDRAWAL_REASONS = (
    "Pindah domisili ke luar kelurahan", "Sakit, tidak dapat mengikuti kegiatan", "Mendapat pekerjaan di luar kota",
    "Mengundurkan diri atas permintaan sendiri", "Bekerja shift malam, bentrok dengan jadwal kegiatan",
)


@dataclass
class LetterPlan:
    issued_at: datetime
    cover: Period
    ketua: Person
    number: str = ""  # numbered once every letter of the RT is known (plan.py)


@dataclass(eq=False)
class ActivityPlan:
    rt: RTPlan
    index: int  # its place among the RT's activities
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

    @property
    def last_day(self) -> date:
        """The last day of work or of cover, whichever is later."""
        return max([self.period.end] + [letter.cover.end for letter in self.letters])

    def premium(self, value: int | None = None) -> int:
        rule = rules.premium_table().rule_on(self.period.start)
        return int(rule.assess(Decimal(value or self.value)).total)


def rt_activities(rt: RTPlan, phase: int, until: date) -> list[ActivityPlan]:
    """The RT's activities starting on or before ``until``: about one every ``CYCLE_DAYS``, the first
    ``phase`` days into the first cycle. The RTs' phases are spread over the cycle, so across the city
    activities start every few days and some are always running."""
    activities: list[ActivityPlan] = []
    earliest = max(rt.launched_on, ACTIVITIES_FROM) + timedelta(days=7)
    while True:
        rng = stream("activity", rt.code, len(activities))
        due = ACTIVITIES_FROM + timedelta(days=phase + len(activities) * CYCLE_DAYS + rng.randint(-JITTER, JITTER))
        start = not_sunday(max(due, earliest))
        if start > until:
            return activities
        activity = _activity(rng, rt, len(activities), start, activities[-1].title if activities else None)
        activities.append(activity)
        earliest = activity.last_day + timedelta(days=21)  # no two of an RT's activities overlap


def _round_value(rng: random.Random, low: int, high: int) -> int:
    step = rng.choice((1_000_000, 500_000, 500_000, 250_000, 250_000, 50_000))
    return rng.randint(low // step, high // step) * step


def _activity(rng: random.Random, rt: RTPlan, index: int, start: date, previous: str | None) -> ActivityPlan:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    title = rng.choice([title for title in TITLES[kind] if title != previous])
    period = Period(start, start + timedelta(days=rng.randint(*DURATION[kind]) - 1))
    planned_day = max(rt.launched_on, start - timedelta(days=rng.randint(7, 21)))
    activity = ActivityPlan(
        rt=rt, index=index, title=title, kind=kind,
        location=f"{rt.street} {rng.choice(LANES)}, RT {rt.number:03d} Kel. {rt.place.kelurahan}",
        value=_round_value(rng, 20_000_000, 90_000_000), period=period, planned_at=at(planned_day, 10),
        id=Activity.create_id(rt.id, title, period),
    )
    fate = rng.random()
    if fate < 0.015:  # cancelled before any task letter
        activity.cancelled = (activity.planned_at + timedelta(days=3, hours=5), CANCELLED_EARLY)
        return activity
    issued_on = max(planned_day, start - timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 5))))
    cover_end = period.end + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
    issued_at = at(issued_on, 14)
    activity.letters.append(LetterPlan(issued_at, Period(start, cover_end), rt.ketua_at(issued_at)))
    _choose_participants(rng, activity)
    if fate < 0.035 and issued_on < start:  # the site flooded the day after the letter
        activity.late_joiners.clear()
        activity.cancelled = (activity.joined_at + timedelta(hours=20), CANCELLED_FLOODED)
    elif rng.random() < 0.05:  # the work ran late: a second letter extends the cover
        letter = activity.letters[0]
        issued_at = at(period.end, 15)
        extension = Period(letter.cover.end + timedelta(days=1), letter.cover.end + timedelta(days=rng.randint(3, 7)))
        activity.letters.append(LetterPlan(issued_at, extension, rt.ketua_at(issued_at)))
    _plan_payments(rng, activity)
    _plan_end(rng, activity)
    return activity


def _choose_participants(rng: random.Random, activity: ActivityPlan) -> None:
    """5–15 participants (the Ketua RT mostly among them), a few PHL, petugas syara' and Pokja members;
    now and then one or two join the day after the cover began."""
    rows: list[tuple[Person, str]] = []
    if rng.random() < 0.85:
        rows.append((activity.letters[0].ketua, "ketua_rt"))
    size = rng.randint(5, 15)
    pool = list(activity.rt.residents)
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
    if activity.period.days >= 3 and rng.random() < 0.2:
        joined = {person.nik for person, _ in rows}
        late_day = activity.letters[0].cover.start + timedelta(days=1)
        for person in [p for p in pool if p.nik not in joined and p.role == "resident"][: rng.randint(1, 2)]:
            activity.late_joiners.append((person, "resident", at(late_day, 7, 30)))


def _reference(rng: random.Random, day: date) -> str:
    return f"BJB-{day:%y%m%d}-{rng.randrange(10**5):05d}"


def _plan_payments(rng: random.Random, activity: ActivityPlan) -> None:
    """Paid in full, in two instalments, in part or not at all; nothing after a cancellation. Now and
    then the value is revised after a full payment and the top-up paid."""
    premium = activity.premium()
    pattern = rng.choices(("full", "instalments", "partial", "unpaid"), weights=(55, 15, 15, 15))[0]
    half = premium // 2000 * 1000
    amounts = {"full": [premium], "instalments": [half, premium - half], "partial": [max(half, 1000)],
               "unpaid": []}[pattern]
    day = local_day(activity.letters[0].issued_at) + timedelta(days=rng.randint(1, 7))
    for amount in amounts:
        if activity.cancelled and at(day, 11) > activity.cancelled[0]:
            break
        activity.payments.append((at(day, 11), amount, _reference(rng, day)))
        day += timedelta(days=rng.randint(10, 30))
    revised_at = at(activity.period.start + timedelta(days=1), 15)
    if (
        rng.random() < 0.06 and activity.cancelled is None and activity.kind in ("drainage", "road_repair")
        and activity.period.days >= 5 and pattern == "full" and activity.payments[0][0] < revised_at
    ):
        new_value = activity.value + 7_500_000
        activity.revision = (revised_at, new_value, REVISION_REASON)
        top_up_day = local_day(revised_at) + timedelta(days=3)
        activity.payments.append(
            (at(top_up_day, 11), activity.premium(new_value) - premium, _reference(rng, top_up_day))
        )


def _plan_end(rng: random.Random, activity: ActivityPlan) -> None:
    """A participant may withdraw; the Ketua RT reports the work complete a few days after the cover
    ends (one in twenty never does)."""
    if activity.cancelled is not None:
        return
    completed_at = at(activity.last_day + timedelta(days=rng.randint(1, 5)), 16)
    if rng.random() < 0.95:
        activity.completed_at = completed_at
    residents = [person for person, role in activity.joiners if role == "resident"]
    if rng.random() < 0.08 and activity.period.days >= 2 and len(activity.joiners) >= 7 and residents:
        moment = at(activity.period.start + timedelta(days=rng.randint(0, activity.period.days - 1)), 18)
        moment = max(moment, activity.joined_at + timedelta(hours=4))
        if moment < completed_at:
            activity.withdrawals.append((rng.choice(residents), moment, rng.choice(WITHDRAWAL_REASONS)))
