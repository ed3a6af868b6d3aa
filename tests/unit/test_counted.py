"""A count in a message reads in the singular for one: "the load made 1 request", not "1 requests" (one helper,
:func:`zmqprose.limits.counted`, for every message that counts things)."""

from __future__ import annotations

import msgpack
import pytest

from zmqprose import ProseError
from zmqprose.checks.load import ExpectsLoad
from zmqprose.limits import counted
from zmqprose.load.statistics import statistics_from
from zmqprose.wire.format import FormatContext
from zmqprose.wire.format_registry import decode_value
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.matching import frames_difference
from zmqprose.wire.structs import pack_struct_frame


def test_counted_says_one_in_the_singular_and_groups_thousands() -> None:
    assert counted(1, "request") == "1 request"
    assert counted(0, "request") == "0 requests"
    assert counted(1000, "message") == "1,000 messages"
    assert counted(1, "connection was", "connections were") == "1 connection was"
    assert counted(2, "connection was", "connections were") == "2 connections were"


def load_of(requests: int, failures: int = 0) -> ExpectsLoad:
    total = {"type": "", "name": "Aggregated", "requests": requests, "failures": failures, "median": 2,
             "average": 3.5, "min": 0.2, "max": 60, "average_size": 36, "requests_per_second": 1.0,
             "failures_per_second": 0.0, "percentiles": {"50%": 2, "95%": 12}}
    return ExpectsLoad(statistics_from({"total": total, "entries": [], "failures": []}))


def test_a_load_of_one_request_says_so() -> None:
    with pytest.raises(ProseError, match=r"^the load made 1 request, fewer than 2\n"):
        load_of(1).made_at_least(2)
    with pytest.raises(ProseError, match=r"^1 of the load's 1 request failed \(100\.00%\)"):
        load_of(1, 1).failure_ratio_at_most(1)


def test_one_byte_is_said_in_the_singular_by_formats_and_frames() -> None:
    with pytest.raises(ProseError, match=r"1 byte is left after the msgpack value"):
        decode_value(get_format("msgpack"), [msgpack.packb(1) + b"\x01"], FormatContext(), "the message")
    assert frames_difference(["struct:<H [1]"], [b"\x01"]) == \
        "frame 0 differs: expected 'struct:<H [1]', got '\\x01' (1 byte, not the 2 of '<H')"
    with pytest.raises(ProseError, match=r"'1s' takes text or hex:… of at most 1 byte "):
        pack_struct_frame('struct:1s ["ab"]')
