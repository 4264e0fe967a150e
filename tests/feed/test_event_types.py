"""The catalogue of event types and the JSON Schema (draft 2020-12) of each one's data, generated
from the event classes' annotations: every stored event of a full history validates against it."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional
from uuid import UUID

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from domain.actor import Actor
from projections.cloudevents import catalogue
from interfaces.feed.dataschema import DIALECT, data_schema, type_schema
from tests.feed.feed_support import feed_api, full_history, read_all  # noqa: F401 (feed_api: a fixture)

PREFIX = "id.go.jambikota.kampungbahagia."


def format_checker() -> FormatChecker:
    """jsonschema's checks, with date-time checked here (jsonschema needs an extra package for it)."""
    checker = FormatChecker(formats=())
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)  # a copy: the draft's stays as it is

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value: object) -> bool:
        if not isinstance(value, str):
            return True
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "T" in value and moment.tzinfo is not None

    return checker


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=format_checker())


def test_the_catalogue_lists_every_event_type_with_a_valid_schema():
    entries = catalogue()
    assert len(entries) == 25
    assert [entry.aggregate for entry in entries].count("Claim") == 10
    for entry in entries:
        schema = data_schema(entry)
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == DIALECT and schema["$id"] == entry.dataschema
        assert schema["type"] == "object" and schema["additionalProperties"] is False
        assert set(schema["required"]) == set(schema["properties"])
        assert schema["properties"]["actor"] == {"$ref": "#/$defs/Actor"}  # every event names who did it


def schema_of(name: str) -> dict[str, Any]:
    return data_schema(next(entry for entry in catalogue() if entry.name == name))


def test_the_schemas_follow_the_annotations():
    paid = schema_of("SantunanPaid")
    assert paid["properties"] == {
        "amount": {"type": "integer", "description": "Whole rupiah."},
        "beneficiary": {"type": "string"},
        "reference": {"type": "string"},
        "paid_on": {"type": "string", "format": "date"},
        "benefit": {"type": ["string", "null"]},
        "actor": {"$ref": "#/$defs/Actor"},
    }
    assert paid["$defs"]["Actor"] == {
        "type": "object", "properties": {"user_id": {"type": "string"}, "role": {"type": "string"},
                                         "rt_code": {"type": ["string", "null"]}},
        "required": ["user_id", "role", "rt_code"], "additionalProperties": False,
    }
    assessed = schema_of("ClaimAssessed")
    assert assessed["properties"]["lines"] == {"type": "array", "items": {"$ref": "#/$defs/BenefitLine"}}
    assert assessed["$defs"]["BenefitLine"]["properties"]["amount"]["type"] == "integer"
    registered = schema_of("RTRegistered")
    assert registered["properties"]["place"] == {"$ref": "#/$defs/Place"}
    assert set(registered["$defs"]["Place"]["properties"]) == {"kelurahan_code", "kelurahan", "kecamatan_code",
                                                               "kecamatan"}
    letter = schema_of("TaskLetterIssued")
    assert letter["$defs"]["Period"]["properties"] == {"start": {"type": "string", "format": "date"},
                                                       "end": {"type": "string", "format": "date"}}
    assert schema_of("MusyawarahHeld")["properties"]["priorities"] == {"type": "array", "items": {"type": "string"}}
    planned = schema_of("ActivityPlanned")["properties"]
    assert planned["rt_id"] == {"type": "string", "format": "uuid"}
    assert schema_of("ActivityCancelled")["properties"]["cancelled_at"] == {"type": "string", "format": "date-time"}
    report = schema_of("AccidentReported")
    assert report["title"] == "Claim.AccidentReported v3"
    assert report["properties"]["late"] == {"type": "boolean"}
    assert report["properties"]["location"] == {"type": ["string", "null"]}


@dataclass(frozen=True)
class Nested:
    who: Actor
    when: Optional[date]


def test_type_schema_maps_optionals_lists_tuples_dicts_and_nested_dataclasses():
    defs: dict[str, Any] = {}
    assert type_schema(int | None, defs) == {"type": ["integer", "null"]}
    assert type_schema(Actor | None, defs) == {"anyOf": [{"$ref": "#/$defs/Actor"}, {"type": "null"}]}
    assert type_schema(tuple[str, ...], defs) == {"type": "array", "items": {"type": "string"}}
    assert type_schema(tuple[date, int], defs) == {
        "type": "array", "prefixItems": [{"type": "string", "format": "date"}, {"type": "integer"}],
        "minItems": 2, "maxItems": 2,
    }
    assert type_schema(dict[str, Decimal], defs) == {
        "type": "object", "additionalProperties": {"type": "integer", "description": "Whole rupiah."}
    }
    assert type_schema(list[Nested], defs) == {"type": "array", "items": {"$ref": "#/$defs/Nested"}}
    assert defs["Nested"]["properties"]["when"] == {"type": ["string", "null"], "format": "date"}
    assert set(defs) == {"Actor", "Nested"}
    assert type_schema(UUID, defs)["format"] == "uuid" and type_schema(datetime, defs)["format"] == "date-time"
    assert type_schema(Any, defs) == {}
    with pytest.raises(TypeError, match="no JSON Schema"):
        type_schema(bytes, defs)


def test_every_stored_event_of_a_full_history_validates_against_its_schema(app_sqlite, clock):
    full_history(app_sqlite, clock)
    schemas = {entry.type: validator(data_schema(entry)) for entry in catalogue()}
    events = read_all(app_sqlite)
    assert {event["type"] for event in events} == set(schemas)  # every type is exercised
    for event in events:
        errors = [error.message for error in schemas[event["type"]].iter_errors(event["data"])]
        assert errors == [], (event["type"], event["data"])


def test_a_payload_that_breaks_the_schema_is_caught():
    check = validator(schema_of("SantunanPaid"))
    good = {"amount": 400000, "beneficiary": "Siti", "reference": "TRF-1", "paid_on": "2025-09-04",
            "benefit": "medical_care", "actor": {"user_id": "x", "role": "admin", "rt_code": None}}
    assert check.is_valid(good)
    assert not check.is_valid({**good, "amount": "400000"})
    assert not check.is_valid({**good, "paid_on": "04/09/2025"})
    assert not check.is_valid({**good, "extra": 1})
    assert not check.is_valid({key: value for key, value in good.items() if key != "reference"})


# --- the endpoint -------------------------------------------------------------------------------------------------


def test_the_catalogue_endpoint(feed_api):
    response = feed_api.get("/event-types")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["type"] for item in items] == [entry.type for entry in catalogue()]
    report = next(item for item in items if item["name"] == "AccidentReported")
    assert report["aggregate"] == "Claim" and report["version"] == 3
    assert report["type"] == PREFIX + "claim.AccidentReported.v3"
    assert report["schema"] == schema_of("AccidentReported") and report["dataschema"] == report["schema"]["$id"]
    assert feed_api.get("/event-types", actor=None).status_code == 401
