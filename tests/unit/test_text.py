"""The text rule (domain/text.py): text is NFC, holds no control character or lone surrogate (tabs and
line breaks only in multi-line text), and whatever passes makes a natural id."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.ids import natural_id
from domain.nik import nik_pattern, parse_nik
from domain.text import clean_paragraphs, clean_text, is_blank, normalised, optional_text
from interfaces.schemas.patterns import text_pattern


def test_text_is_composed_before_its_length_is_counted():
    assert clean_text("Kafe\u0301", "title", 4) == "Kafé"
    with pytest.raises(InvalidValue, match="title is longer than 3 characters"):
        clean_text("Kafe\u0301", "title", 3)


@pytest.mark.parametrize(("text", "message"), [
    ("Budi\x00", "name contains a control character (U+0000)"),
    ("Budi\tSantoso", "name contains a control character (U+0009)"),
    ("Budi\nSantoso", "name contains a control character (U+000A)"),
    ("Budi\x7f", "name contains a control character (U+007F)"),
    ("Budi\x9b", "name contains a control character (U+009B)"),
    ("Budi\ud800", "name contains an unpaired surrogate (U+D800)"),
])
def test_one_line_of_text_refuses_controls_and_surrogates(text, message):
    with pytest.raises(InvalidValue) as refused:
        clean_text(text, "name")
    assert refused.value.message == message and refused.value.field == "name"


def test_multi_line_text_keeps_line_breaks_reads_cr_lf_as_lf_and_still_refuses_other_controls():
    assert clean_paragraphs("Pagi itu\r\nhujan.\r\rLicin.\tSekali.", "chronology") == "Pagi itu\nhujan.\n\nLicin. Sekali."
    with pytest.raises(InvalidValue, match=r"chronology contains a control character \(U\+000B\)"):
        clean_paragraphs("Pagi\x0bitu", "chronology")


def test_blank_is_spaces_and_line_breaks_never_a_control_character():
    assert is_blank(" \u3000\r\n") and not is_blank("\x1c") and optional_text(" \u00a0 ", "label") is None
    with pytest.raises(InvalidValue):
        optional_text("\x1c", "label")


@given(st.text())
def test_whatever_passes_the_rule_is_nfc_without_controls_and_makes_a_natural_id(text):
    try:
        cleaned = clean_text(text, "title", 10_000)
    except InvalidValue:
        return
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(unicodedata.category(char) in ("Cc", "Cs") for char in cleaned)
    natural_id("activity", cleaned.casefold())


@given(st.text())
def test_the_documented_pattern_is_the_rule(text):
    # The API document's pattern for a required one-line text agrees with the server on every text.
    documented = re.fullmatch(text_pattern(multiline=False, required=True), text) is not None
    try:
        normalised(text, "title")
        accepted = not is_blank(text)
    except InvalidValue:
        accepted = False
    assert documented == accepted


@given(st.from_regex(nik_pattern(), fullmatch=True) | st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_the_documented_nik_pattern_is_what_parse_nik_accepts(text):
    try:
        parse_nik(text)
        accepted = True
    except InvalidValue:
        accepted = False
    assert accepted == (re.fullmatch(nik_pattern(), text) is not None)
