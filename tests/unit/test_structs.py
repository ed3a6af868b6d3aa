"""struct: frames: binary headers written as a struct format and a JSON array, sent, expected and shown."""

from __future__ import annotations

import json
import re
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zmqprose import ProseError
from zmqprose.wire.frames import encode_frame, encode_frames, show_frames_as
from zmqprose.wire.matching import frame_matches, frames_difference

HEADER = struct.pack(">IQ?", 0xDEADBEEF, 42, True)  # not UTF-8: a binary frame


def test_a_struct_frame_is_sent_packed():
    assert encode_frame("struct:>IQ? [3735928559, 42, true]") == HEADER
    assert encode_frames(["struct:<H [513]", "add"]) == [b"\x01\x02", b"add"]
    assert encode_frame('struct:>4sB ["ab", 1]') == b"ab\x00\x00\x01"
    assert encode_frame('struct:>2s ["hex:ff00"]') == b"\xff\x00"


def test_an_expected_struct_frame_matches_each_value_with_markers_and_exactly_the_size():
    assert frame_matches('struct:>IQ? ["#number", 42, true]', HEADER)
    assert frame_matches("struct:>IQ? [3735928559, 42, true]", HEADER)
    assert not frame_matches("struct:>IQ? [3735928559, 42, false]", HEADER)
    assert not frame_matches("struct:>IQ [7, 42]", HEADER)  # 12 bytes expected, 13 came
    difference = frames_difference(["struct:>IQ? [7, 42, false]", "#ignore"], [HEADER, b"add"])
    assert difference == ("frame 0 differs: expected 'struct:>IQ? [7, 42, false]', got "
                          "'struct:>IQ? [3735928559, 42, true]' (value 0: expected 7, got 3735928559)")
    assert "13 bytes, not the 12" in (frames_difference(["struct:>IQ [7, 42]"], [HEADER]) or "")


def test_a_received_frame_is_shown_unpacked_where_a_struct_frame_was_expected():
    shown = show_frames_as(["struct:>IQ? [1, 2, false]", "name"], [HEADER, b"add"])
    assert shown == "['struct:>IQ? [3735928559, 42, true]', 'add']"
    assert show_frames_as(["struct:>I [1]"], [b"\xff\x01"]) == "['hex:ff01']"  # another size: as bytes


@pytest.mark.parametrize(("frame", "says"), [
    ("struct:>Z [1]", "is not a struct format"),
    ("struct:>I 7", "a JSON array of its values"),
    ("struct:>II [7]", "has 2 field(s), the array 1"),
    ("struct:>B [300]", "value 0 (300) does not fit the format '>B': 'B' takes a whole number from 0 to 255"),
    ("struct:>999999999s [\"x\"]", "more than"),
])
def test_a_struct_frame_written_wrongly_is_a_clear_error(frame, says):
    with pytest.raises(ProseError, match=re.escape(says)):
        encode_frame(frame)


def test_a_regex_against_a_binary_frame_says_the_frame_is_binary_and_names_hex_and_struct():
    difference = frames_difference(["#regex .*"], [HEADER])
    assert difference is not None and "is binary (not UTF-8 text)" in difference
    assert "hex:" in difference and "struct:FORMAT VALUES" in difference


@pytest.mark.parametrize(("frame", "says"), [
    ("struct:>f [1e300]", "value 0 (1e+300) does not fit the format '>f': 'f' takes a number of at most ±3.4028e+38"),
    ("struct:<e [70000]", "'e' takes a number of at most ±65504"),
    ("struct:>d [1" + "0" * 400 + "]", "'d' takes a number"),
    ('struct:>I ["7"]', "value 0 (\"7\") does not fit the format '>I': 'I' takes a whole number"),
    ("struct:>q [1.5]", "'q' takes a whole number"),
    ("struct:>I [true]", "'I' takes a whole number"),
    ("struct:>I [[1]]", "'I' takes a whole number"),
    ("struct:>d [true]", "'d' takes a number"),
    ('struct:>? ["false"]', "'?' takes true or false"),
    ("struct:>? [1]", "'?' takes true or false"),
    ('struct:>4s ["abcdefgh"]', "'4s' takes text or hex:… of at most 4 bytes (a shorter one is padded with zero "
                                "bytes), not 8"),
    ('struct:>2p ["abc"]', "'2p' takes text or hex:… of at most 1 byte, not 3"),
    ('struct:>c ["ab"]', "'c' takes one byte"),
    ("struct:>s [7]", "'1s' takes text or hex:…"),
    ('struct:>2s ["hex:zz"]', "frame 'struct:>2s [\"hex:zz\"]': value 0 (\"hex:zz\") does not fit the format '>2s': "
                              "'hex:zz' is not valid hex"),
    ("struct:>d [NaN]", "its values are refused as JSON: NaN is not a number in JSON"),
    ("struct:>d [1e400]", "its values are refused as JSON: 1e400 is past what a number (a 64-bit float) holds"),
    ("struct:>I " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("struct:>I [1, 2]", "has 1 field(s), the array 2"),
    ("struct:>P [1]", "is not a struct format"),
    ("struct:\u00e9 [1]", "is not a struct format"),
    ("struct:>I0p [1, \"\"]", "a '0p' field has no room for its length byte"),
])
def test_a_value_that_does_not_fit_is_the_same_readable_failure_naming_frame_and_format(frame, says):
    """Python's struct would raise OverflowError, pack "false" as true, or cut a text short; each is refused."""
    with pytest.raises(ProseError, match=re.escape(says)):
        encode_frame(frame)


CODES = "xcbB?hHiIlLqQnNefdspP"
LAYOUTS = (
    st.builds(lambda order, codes: order + "".join(codes), st.sampled_from(["", *"@=<>!"]),
              st.lists(st.builds(str.__add__, st.sampled_from(["", "", "0", "1", "2", "3", "9", "300"]),
                                 st.sampled_from(CODES)), max_size=4))
    | st.text(alphabet=f"@=<>!{CODES}0123456789 Z\u00e9\x00", max_size=8)  # and anything else
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-2**70, 2**70) | st.floats()
    | st.sampled_from([1e300, -1e39, 65520.0, 2**64, -2**63 - 1, 10**400])
    | st.text(max_size=6) | st.binary(max_size=6).map(lambda data: "hex:" + data.hex()) | st.just("hex:0"),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=6,
)


def _written(values: list) -> str:
    try:
        return json.dumps(values)
    except ValueError:  # a float past JSON: written as Python writes it, NaN and all
        return repr(values)


def _values_for(data, layout: str, extra=None) -> list:
    """Values for a layout: as many as it has fields, mostly, so that packing is reached."""
    try:
        count = len(struct.unpack(layout, bytes(struct.calcsize(layout)))) if struct.calcsize(layout) < 4096 else 0
    except (struct.error, ValueError, SystemError):  # SystemError: Python's struct cannot unpack '0p'
        count = 1
    values = JSON_VALUES if extra is None else JSON_VALUES | extra
    return data.draw(st.lists(values, min_size=count, max_size=count) | st.lists(values, max_size=4))


@settings(max_examples=600, deadline=None)
@given(LAYOUTS, st.data(), st.sampled_from(["", " ", "x"]))
def test_any_format_with_any_values_packs_or_is_a_readable_error(layout, data, after):
    frame = f"struct:{layout} {_written(_values_for(data, layout))}{after}"
    try:
        sent = encode_frame(frame)
    except ProseError as error:
        assert str(error).startswith("frame "), error
        return
    assert frames_difference([frame], [sent]) is None  # what is sent matches the same frame expected


@settings(max_examples=300, deadline=None)
@given(LAYOUTS, st.data(), st.binary(max_size=16))
def test_any_expected_frame_against_any_bytes_is_a_difference_or_a_readable_error(layout, data, received):
    frame = f"struct:{layout} {_written(_values_for(data, layout, st.sampled_from(['#number', '#ignore'])))}"
    try:
        frames_difference([frame], [received])
        show_frames_as([frame], [received])
    except ProseError as error:
        assert str(error).startswith("frame "), error


@pytest.mark.parametrize(("frame", "received"), [
    ('struct:>4sB ["ab", 1]', b"ab\x00\x00\x01"),  # padded as sent
    ("struct:>f [0.1]", struct.pack(">f", 0.1)),  # a 4-byte float, as sent
    ('struct:>1s ["hex:41"]', b"A"),  # hex: in an s field is those bytes, though they read as text
    ('struct:>5p ["abc"]', b"\x03abc\x00"),
])
def test_an_expected_frame_matches_exactly_the_bytes_the_same_frame_sends(frame, received):
    assert encode_frame(frame) == received
    assert frames_difference([frame], [received]) is None
    at = min(1, len(received) - 1)
    assert not frame_matches(frame, received[:at] + bytes([received[at] ^ 1]) + received[at + 1:])


def test_native_fields_and_repeat_counts_take_one_value_each():
    assert encode_frame("struct:P [1]") == struct.pack("P", 1)
    packed = struct.pack(">3B2x4s0sH", 1, 2, 3, b"ab", b"", 9)
    assert encode_frame('struct:>3B2x4s0sH [1, 2, 3, "ab", "", 9]') == packed


def test_an_expected_value_that_could_never_be_sent_is_an_error_not_a_mismatch():
    with pytest.raises(ProseError, match=re.escape("value 1 (300) does not fit the format '>BB'")):
        frame_matches("struct:>BB [1, 300]", b"\x01\x01")


@pytest.mark.parametrize("text", ["struct:", "struct: ", "struct:  "])
def test_a_struct_frame_with_no_format_at_all_is_one_readable_error_sending_or_expecting(text: str) -> None:
    """It was IndexError: string index out of range (an empty format's first character; found by
    tests/unit/test_fuzz.py's text frames)."""
    with pytest.raises(ProseError, match="after the format comes a JSON array of its values"):
        encode_frame(text)
    with pytest.raises(ProseError, match="after the format comes a JSON array of its values"):
        frame_matches(text, b"\x01")
