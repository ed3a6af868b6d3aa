"""struct: frames: binary headers written as a struct format and a JSON array, sent, expected and shown."""

from __future__ import annotations

import re
import struct

import pytest

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
    ("struct:>B [300]", "do not fit the format"),
    ("struct:>999999999s [\"x\"]", "more than"),
])
def test_a_struct_frame_written_wrongly_is_a_clear_error(frame, says):
    with pytest.raises(ProseError, match=re.escape(says)):
        encode_frame(frame)


def test_a_regex_against_a_binary_frame_says_the_frame_is_binary_and_names_hex_and_struct():
    difference = frames_difference(["#regex .*"], [HEADER])
    assert difference is not None and "is binary (not UTF-8 text)" in difference
    assert "hex:" in difference and "struct:FORMAT VALUES" in difference
