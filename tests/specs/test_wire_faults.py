"""What a spec writes in a frame, in a whole behave run (issue 27: items 3, 15, 16).

A ``struct:`` frame with ``${…}`` in it was sent as the text of its notation
(and a ``receive nothing`` after it passed); a float too large for its field
was an ``OverflowError`` traceback; a msgpack map with a key twice, or a NaN,
matched as if it read one way. Each now packs, or fails its step in one
readable line.
"""

from __future__ import annotations

from test_faults import fails_cleanly


def test_struct_frames_are_filled_in_then_packed_and_what_cannot_be_is_one_readable_failure():
    output = fails_cleanly("wire_values")
    assert "1 scenario passed, 5 failed" in output, output
    assert ("frame 'struct:>f [1e300]': value 0 (1e+300) does not fit the format '>f': "
            "'f' takes a number of at most ±3.4028e+38") in output, output
    assert "frame 'struct:>HI [1, \"7\"]': value 1 (\"7\") does not fit the format '>HI': 'I' takes a whole number" \
        in output, output
    assert "frame 'struct:${checkpoint.format} [1]': the format of a struct: frame is written out" in output, output
    assert 'is refused as msgpack: the key "id" appears twice in one object' in output, output
    assert "is refused as msgpack: NaN at $.load is not a number in JSON" in output, output
