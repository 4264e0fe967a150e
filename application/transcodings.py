"""How the domain's value objects are stored in events (JSON through the library's transcoder)."""

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.activity import Participant, PremiumPayment, TaskLetter
from domain.actor import Actor
from domain.claim import BenefitLine, Cover, SantunanPayment
from domain.period import Period
from domain.premium import PremiumBreakdown
from domain.rt import KetuaRT, Place


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def dataclass_transcoding(cls: type) -> Transcoding:
    """Store a frozen dataclass as the dict of its fields; nested values are transcoded in turn."""

    class DataclassAsDict(Transcoding):
        type = cls
        name = cls.__name__.lower()

        def encode(self, obj: Any) -> dict[str, Any]:
            return {field.name: getattr(obj, field.name) for field in dataclasses.fields(obj)}

        def decode(self, data: dict[str, Any]) -> Any:
            return cls(**data)

    return DataclassAsDict()


VALUE_OBJECTS = (
    Actor, Place, KetuaRT, Period, TaskLetter, Participant, PremiumPayment, PremiumBreakdown,
    BenefitLine, Cover, SantunanPayment,
)


def register(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for cls in VALUE_OBJECTS:
        transcoder.register(dataclass_transcoding(cls))
