"""NIKs masked on a CloudEvent's JSON text (``interfaces.masking.masked_json``, used by the relay) give
exactly the body that masking the value first gives: the same NIKs masked, numbers never, for any
value, however its strings mix digits, separators, escapes and other scripts."""

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from projections.cloudevents import body_of, masked_body_of
from domain.masking import masked, masked_json

NIK = "1571014507900002"
# Characters that meet a NIK in real text and in JSON: digits (and other scripts' digits), the
# separators a number stands between, quotes, backslashes, control characters, letters.
CHARACTERS = st.sampled_from(list("0123456789 ,:[]{}-.eE\"\\\n\t\x01ab٣５é"))
TEXTS = st.one_of(
    st.text(CHARACTERS, max_size=40),
    st.builds(lambda before, after: before + NIK + after, st.text(CHARACTERS, max_size=3), st.text(CHARACTERS, max_size=3)),
)
SCALARS = st.one_of(st.none(), st.booleans(), TEXTS, st.integers(-10**17, 10**17), st.just(int(NIK)))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXTS, inner, max_size=4),
), max_leaves=12)


@given(st.dictionaries(TEXTS, VALUES, max_size=5))
@settings(max_examples=400, deadline=None)
@example({"data": {"nik": NIK, "participants": {NIK: {"nik": NIK}}, "note": f"NIK {NIK}, ok", "n": int(NIK)}})
@example({"data": {"a": f"x:{NIK},", "b": [int(NIK)], "c": f"\\u{NIK}", "d": f"\x10{NIK}"}})
def test_masking_the_text_gives_the_body_masking_the_value_gives(cloudevent):
    assert masked_body_of(cloudevent) == body_of(masked(cloudevent))
    spaced = json.dumps(cloudevent)  # the default separators put white space before numbers
    found = masked_json(spaced)
    assert found is None or found == json.dumps(masked(cloudevent))


def test_a_nik_in_a_string_is_masked_on_the_text_and_a_number_is_left_alone():
    assert masked_json('{"nik":"1571014507900002","text":"Siti (1571014507900002)"}') == \
        '{"nik":"1571********0002","text":"Siti (1571********0002)"}'
    assert masked_json('{"amount":1571014507900002}') is None  # a number: masked() leaves it, the text cannot tell
    assert masked_json('{"text":"NIK 1571014507900002 ada"}') is None  # between spaces it could be a number
    assert masked_json('{"name":"Wati","position":12}') == '{"name":"Wati","position":12}'
