"""Frames and JSON against expectations with markers; the reports people read."""

import time

import pytest
from hamcrest import assert_that
from hypothesis import given
from hypothesis import strategies as st

from zmqprose import ProseError, contains_json, matches_frames, matches_json
from zmqprose.wire.frames import encode_frame, show_frame
from zmqprose.wire.matching import frame_matches, frames_difference, json_difference, matching_within


@pytest.mark.parametrize(("expected", "frame"), [
    ("PONG", b"PONG"), ("", b""), ("hex:00ff", b"\x00\xff"), ("#ignore", b"\xff\xfe"),
    ("#regex id-\\d+", b"id-42"), ("#number", b"3.5"), ("#string", b"hello"),
    ("#boolean", b"true"), ("#object", b'{"a": 1}'), ("#array", b"[1]"), ("#null", b"null"),
    ("#notnull", b"x"), ("#uuid", b"b7e23ec2-9a3e-4c8e-b1a0-5d2f8f3c1e44"),
])
def test_frames_that_match(expected, frame):
    assert frame_matches(expected, frame)


@pytest.mark.parametrize(("expected", "frame"), [
    ("PONG", b"PING"), ("hex:00ff", b"\x00"), ("#regex id-\\d+", b"id-42x"), ("#number", b"four"),
    ("#string", b"\xff"), ("#uuid", b"not-a-uuid"), ("#regex .*", b"\xff"),
])
def test_frames_that_do_not_match(expected, frame):
    assert not frame_matches(expected, frame)


def test_the_first_difference_is_named():
    assert frames_difference(["PONG", "42"], [b"PONG", b"41"]) == "frame 1 differs: expected '42', got '41'"
    assert frames_difference(["PONG"], [b"PONG", b"41"]) == "expected 1 frame(s), got 2"


def test_a_mismatch_report_shows_expected_and_actual_side_by_side():
    with pytest.raises(AssertionError) as failure:
        assert_that([b"PONG", b"41"], matches_frames(["PONG", "42"]), "the answer")
    report = str(failure.value)
    assert "Expected: ['PONG', '42']" in report
    assert "but: ['PONG', '41']" in report


def test_binary_is_shown_as_hex_and_long_frames_shortened():
    assert show_frame(b"\x00\xff") == "hex:00ff"
    assert show_frame(b"x" * 500).endswith("…(500 bytes)")


def test_bad_hex_and_bad_regex_are_clear_errors():
    with pytest.raises(ProseError, match="is not valid hex"):
        encode_frame("hex:abc")
    with pytest.raises(ProseError, match="bad pattern"):
        frame_matches("#regex (", b"x")


def test_json_matching_is_exact_apart_from_markers():
    actual = {"status": "ok", "time": 12.5, "watchers": [], "id": "abc"}
    assert json_difference({"status": "ok", "time": "#number", "watchers": "#array", "id": "#string"}, actual) is None
    difference = json_difference({"status": "ok", "time": "#number", "watchers": "#array"}, actual)
    assert str(difference) == "at $.id: unexpected key (value \"abc\")"


def test_json_difference_names_the_path():
    difference = json_difference({"watchers": [{"name": "a"}]}, {"watchers": [{"name": "b"}]})
    assert difference.path == "$.watchers[0].name"


def test_json_containing_is_a_subset_in_any_order():
    actual = {"status": "ok", "items": [{"id": 1}, {"id": 2, "x": True}], "extra": None}
    assert json_difference({"items": [{"id": 2}, {"id": 1}]}, actual, subset=True) is None
    assert json_difference({"items": [{"id": 3}]}, actual, subset=True).path == "$.items[0]"
    assert json_difference({"missing": 1}, actual, subset=True).reason.startswith("missing")


def test_booleans_are_not_numbers():
    assert json_difference(1, True) is not None
    assert json_difference(True, 1) is not None
    assert json_difference(1, 1.0) is None


def test_a_long_json_mismatch_is_shortened_and_names_the_path():
    actual = {"watchers": [{"name": "x" * 1000}], "status": "ok"}
    with pytest.raises(AssertionError) as failure:
        assert_that(actual, matches_json({"watchers": [{"name": "y"}], "status": "ok"}))
    report = str(failure.value)
    assert "first difference at $.watchers[0].name" in report
    assert len(report) < 1000
    assert "chars)" in report


def test_hamcrest_json_matchers():
    assert_that({"a": 1, "b": 2}, contains_json({"a": "#number"}))
    with pytest.raises(AssertionError, match=r"first difference at \$.b"):
        assert_that({"a": 1, "b": 2}, matches_json({"a": 1}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_a_value_always_matches_itself(value):
    marker_free = not any(isinstance(v, str) and v.startswith("#") for v in _strings(value))
    if marker_free:
        assert json_difference(value, value) is None
        assert json_difference(value, value, subset=True) is None


@given(st.dictionaries(st.text(max_size=5), json_values, max_size=6), st.data())
def test_containing_a_subset_always_holds(actual, data):
    keys = data.draw(st.lists(st.sampled_from(sorted(actual)), unique=True) if actual else st.just([]))
    subset = {key: actual[key] for key in keys}
    if not any(isinstance(v, str) and v.startswith("#") for v in _strings(subset)):
        assert json_difference(subset, actual, subset=True) is None


@given(st.binary(max_size=64))
def test_any_frame_matches_itself_written_as_hex(frame):
    assert frame_matches("hex:" + frame.hex(), frame)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)


def test_containing_finds_an_assignment_where_a_greedy_match_would_not():
    assert json_difference({"tags": ["#string", "a"]}, {"tags": ["a", "b"]}, subset=True) is None
    assert json_difference([{"id": "#number"}, {"id": 1}], [{"id": 1}, {"id": 2}], subset=True) is None
    assert json_difference(["a", "a"], ["a", "b"], subset=True) is not None  # each element matches only once
    assert "no element of the array matches" in str(json_difference(["c"], ["a", "b"], subset=True))


def test_a_catastrophic_regex_runs_out_of_the_step_s_time_and_says_so():
    began = time.monotonic()
    with matching_within(0.3), pytest.raises(ProseError, match=r"ran out of time \(0\.\d+ s\)"):
        frame_matches("#regex (a|aa)+$", b"a" * 45 + b"!")
    assert time.monotonic() - began < 3
    assert frame_matches("#regex (a+)+$", b"a" * 45)  # the pattern of the report: linear here


def test_json_nested_deeper_than_python_can_compare_is_a_clear_failure():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ProseError, match="nested too deeply"):
        json_difference(deep, deep)


def test_a_matcher_computes_the_difference_once_and_reports_the_one_it_was_given(monkeypatch):
    """PyHamcrest's advice: the verdict and the report come from one difference. A check hands over the
    difference it found; the report shows that one, and nothing is matched again (a #regex included)."""
    from hamcrest import assert_that as hamcrest_assert

    from zmqprose.checks import matchers

    calls = []
    real = matchers.frames_difference
    monkeypatch.setattr(matchers, "frames_difference", lambda *args: calls.append(args) or real(*args))
    with pytest.raises(AssertionError, match=r"frame 0: 'PONG' != 'PING'|PONG"):
        hamcrest_assert([b"PONG"], matchers.matches_frames(["PING"]))
    assert len(calls) == 1  # once for the verdict and the report together

    calls.clear()
    message = [b"PONG"]
    told = matchers.matches_frames(["#regex ^P"]).knowing(message, "the difference the check found")
    with pytest.raises(ProseError, match="the difference the check found"):
        matchers.fail_with(message, told, "not the one expected")
    assert calls == []


def test_containing_only_takes_every_array_in_any_order_with_nothing_more_and_each_element_once():
    batch = [{"id": 2, "result": 7}, {"id": 1, "result": 3}]
    assert json_difference([{"id": 1, "result": 3}, {"id": 2, "result": "#number"}], batch, any_order=True) is None
    extra = json_difference([{"id": 1, "result": 3}], batch, any_order=True)
    assert extra is not None and "expected 1 element(s), got 2" in str(extra)
    twice = json_difference([{"id": 1, "result": 3}, {"id": 1, "result": 3}], batch, any_order=True)
    assert twice is not None and "[1]" in twice.path  # one actual element cannot match two expected ones
    nested = json_difference({"ids": [1, 2]}, {"ids": [2, 1], "more": True}, any_order=True)
    assert nested is not None and "unexpected key" in str(nested)  # objects: exact keys, as matching
    assert json_difference([[1, 2], [3]], [[3], [2, 1]], any_order=True) is None  # nested arrays too
    assert json_difference([1, 2], [2, 1]) is not None  # matching keeps the order


def test_an_array_too_long_to_compare_in_any_order_is_a_clear_error():
    from zmqprose.wire.matching import MAX_ANY_ORDER

    many = list(range(MAX_ANY_ORDER + 1))
    with pytest.raises(ProseError, match="are not compared in any order"):
        json_difference(many, many, any_order=True)
    assert json_difference(many, many) is None  # in order, any length


def test_a_missing_key_lists_what_the_object_has_bounded_in_count_and_bytes():
    """The keys an object has were listed every one, however many and however long (a peer's message may have a
    million); now a few of them, each long one cut, in a bounded line, and how many more."""
    many = {f"key{index}": index for index in range(100_000)}
    said = str(json_difference({"wanted": 1}, many))
    assert said.startswith("at $.wanted: missing; the object has: key0, key1, key2"), said[:300]
    assert said.endswith(" more"), said[-300:]
    assert len(said.encode()) < 1000, len(said)
    long_keys = {"k" * 100_000 + str(index): index for index in range(3)}
    said = str(json_difference({"wanted": 1}, long_keys))
    assert len(said.encode()) < 1000, said[:300]
    assert str(json_difference({"wanted": 1}, {"a": 1, "b": 2})) == "at $.wanted: missing; the object has: a, b"
    assert str(json_difference({"wanted": 1}, {})) == "at $.wanted: missing; the object has: (no keys)"


def test_the_checkpoint_lists_what_it_has_bounded_too():
    """The checkpoint's 'it has: …' listed every key, and the first 20 parts of a value however long: bounded as the
    object's keys of a difference are."""
    from zmqprose.checkpoint import Checkpoint

    checkpoint = Checkpoint()
    for index in range(10_000):
        checkpoint.set(f"key{index:05}", {"p" * 10_000 + str(part): part for part in range(30)})
    for lookup in (lambda: checkpoint.get("wanted"), lambda: checkpoint.wanted,
                   lambda: checkpoint.reach("key00001.x")):
        with pytest.raises((ProseError, AttributeError)) as failed:
            lookup()
        assert len(str(failed.value).encode()) < 1000 and str(failed.value).endswith(" more"), str(failed.value)[:300]
