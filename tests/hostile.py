"""Hypothesis strategies of hostile input, for the property tests that send it to every API operation
and every web form: control characters, lone surrogates, odd spaces and combining marks, huge and
negative numbers, numbers in strings, far dates, deep nesting, wrong types, NIKs with spaces."""

import json
from typing import Any

from hypothesis import strategies as st

CONTROLS = st.characters(categories=["Cc"])
SURROGATES = st.characters(categories=["Cs"])
ODD = st.characters(categories=["Cc", "Cs", "Zs", "Zl", "Zp", "Mn", "Cf", "Co"])

SAMPLES = st.sampled_from([
    "", " ", "\u3000", "\ufeff", "\t", "\r\n", "e\u0301" * 80, "x" * 5000,
    "1e5", "100000", "-1", "0", "NaN", "Infinity", "9" * 30, "1.500", "Rp 1.000",
    "9999-12-31", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "2025-02-30", "2025-09-01T25:00",
    "  1571014507900002  ", "1571014507900002\t", "１５７１０１４５０７９０００２",
    "2147483647", "2147483648", "9223372036854775808", "-9223372036854775809", "99999999999999999999",
    "null", "true", "[]", "{}", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
])


def _spliced(parts: tuple[str, str, str]) -> str:
    return "".join(parts)


def texts(*, surrogates: bool = True) -> st.SearchStrategy[str]:
    """Text a person or a program might send; ``surrogates=False`` for what a URL can carry."""
    odd = ODD if surrogates else st.characters(categories=["Cc", "Zs", "Zl", "Zp", "Mn", "Cf", "Co"])
    special = st.one_of(CONTROLS, SURROGATES) if surrogates else CONTROLS
    return st.one_of(
        SAMPLES,
        st.text(max_size=20) if surrogates else st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20),
        st.text(alphabet=odd, min_size=1, max_size=8),
        st.tuples(st.text(max_size=6, alphabet="abc 19-"), special.map(str), st.text(max_size=6, alphabet="xyz")).map(
            _spliced),
    )


NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**31, 2**31 - 1, 2**63, 2**63 - 1, -(2**63) - 1, 10**400, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, texts())
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(texts(), children, max_size=3)),
    max_leaves=6,
)
DEEP = st.sampled_from(["[" * 100_000, '{"a":' * 50_000, "[" * 40 + "]" * 40, "[1" + ",[1" * 3000 + "]" * 3001])


def json_text(value: Any) -> str:
    """``value`` as a JSON text, NaN and Infinity as Python writes them (not JSON, which is the point)."""
    return json.dumps(value)


def bodies(field_names: list[str]) -> st.SearchStrategy[tuple[str | bytes, str | None]]:
    """A request body and its content type: an object of hostile values under the operation's own
    field names (and some others), or something that is no such object at all."""
    names = st.sampled_from(field_names) if field_names else texts()
    objects = st.dictionaries(st.one_of(names, texts()), VALUES, max_size=6)
    json_type = st.sampled_from(["application/json", "application/json; charset=utf-8", "application/merge-patch+json"])
    return st.one_of(
        st.tuples(objects.map(json_text), json_type),
        st.tuples(VALUES.map(json_text), json_type),
        st.tuples(DEEP, st.just("application/json")),
        st.tuples(st.binary(max_size=40), st.sampled_from(["application/json", "text/plain", None])),
        st.tuples(st.just(""), st.sampled_from(["application/json", None])),
        st.tuples(objects.map(json_text), st.sampled_from(["text/plain", "application/x-www-form-urlencoded",
                                                           "multipart/form-data", "application/xml"])),
    )
