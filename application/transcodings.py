"""How the domain's value objects are stored in events (JSON through the library's transcoder)."""

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.activity import Participant, PremiumPayment, TaskLetter
from domain.actor import Actor
from domain.benefits import AssessmentInputs
from domain.claim import AssessmentBasis, BenefitLine, Cover, SantunanPayment
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


# Every value object in an event or in an aggregate's state: snapshots store the whole state, so a
# type kept only there (AssessmentBasis) needs its transcoding too (tests/integration/test_snapshots.py).
VALUE_OBJECTS = (
    Actor, Place, KetuaRT, Period, TaskLetter, Participant, PremiumPayment, PremiumBreakdown,
    BenefitLine, Cover, SantunanPayment, AssessmentInputs, AssessmentBasis,
)


class TupleAsList(Transcoding):
    type = tuple
    name = "tuple"

    def encode(self, obj: tuple[Any, ...]) -> list[Any]:
        return list(obj)

    def decode(self, data: list[Any]) -> tuple[Any, ...]:
        return tuple(data)


def _tag_tuples(value: Any) -> Any:
    if isinstance(value, tuple):
        return {"_type_": TupleAsList.name, "_data_": [_tag_tuples(item) for item in value]}
    if isinstance(value, list):
        return [_tag_tuples(item) for item in value]
    if isinstance(value, dict):
        return {key: _tag_tuples(item) for key, item in value.items()}
    return value


class SnapshotTranscoder(JSONTranscoder):
    """A snapshot holds an aggregate's whole state, where a tuple must come back as a tuple for the
    loaded aggregate to equal the replayed one (``json`` writes tuples as lists before any
    transcoding is asked). Events keep the plain transcoder: their stored form stays as it was."""

    def __init__(self) -> None:
        super().__init__()
        self.register(TupleAsList())

    def encode(self, obj: Any) -> bytes:
        return super().encode(_tag_tuples(obj))


def register(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for cls in VALUE_OBJECTS:
        transcoder.register(dataclass_transcoding(cls))
