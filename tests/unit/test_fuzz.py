"""Properties that hold for any input: what works, works as it should; what fails, fails with zmqprose's error."""

import json
import math
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zmqprose import ProseError, SettingsError, load_settings
from zmqprose.sockets.references import AppEndpoint, parse_endpoint
from zmqprose.steps import arguments
from zmqprose.wire.frames import BINARY_PREFIXES, encode_frame
from zmqprose.wire.interpolation import interpolate, interpolate_frames, interpolate_json
from zmqprose.wire.masking import MASK, Masker
from zmqprose.wire.matching import frame_matches, json_difference

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
json_texts = json_values.map(json.dumps) | st.text(max_size=60)
words = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(defaults=json_texts, local=json_texts, dotted=st.text(alphabet=string.ascii_letters + "._", max_size=12))
def test_settings_load_with_a_sane_timeout_or_say_what_is_wrong(tmp_path, defaults, local, dotted):
    (tmp_path / "defaults.json").write_text(defaults)
    (tmp_path / "local.json").write_text(local)
    try:
        loaded = load_settings(tmp_path, "local")
    except SettingsError as error:
        assert "json" in str(error)  # it names the file
        return
    assert math.isfinite(loaded.timeout) and 0 < loaded.timeout <= 86400
    try:
        loaded.lookup(dotted)
    except SettingsError as error:
        assert "environment 'local'" in str(error)


@given(app=st.from_regex(r"[A-Za-z_][\w-]{0,8}", fullmatch=True), words=st.lists(words, min_size=1, max_size=3),
       noun=st.sampled_from(["port", "socket", "endpoint"]))
def test_an_app_reference_reads_back_as_written(app, words, noun):
    written = f"{app}'s {' '.join(words)} {noun}"
    parsed = parse_endpoint(written)
    assert parsed == AppEndpoint(app, tuple(words), noun)
    assert str(parsed) == written


@given(st.text(max_size=40))
def test_text_frames_are_their_utf8_and_hex_frames_their_bytes(text):
    if not text.startswith(BINARY_PREFIXES):  # "hex:…" and "struct:…" stand for bytes (test_structs.py)
        assert encode_frame(text) == text.encode("utf-8")
    assert encode_frame("hex:" + text.encode("utf-8").hex()) == text.encode("utf-8")


@given(st.text(max_size=30))
def test_a_duration_is_a_wait_from_0_to_a_day_or_a_clear_error(text):
    try:
        seconds = arguments.duration_seconds(text)
    except ProseError as error:
        assert "duration" in str(error)
        return
    assert 0 <= seconds <= 86400


@given(st.text(max_size=30))
def test_quoted_text_reads_back_as_written(text):
    assert arguments.parse_text('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"') == text


@given(st.binary(max_size=20))
def test_ignore_matches_any_frame_and_a_frame_matches_its_own_hex(frame):
    assert frame_matches("#ignore", frame)
    assert frame_matches("hex:" + frame.hex(), frame)
    assert frame_matches(frame, frame)


@given(json_values, st.booleans())
def test_a_json_value_matches_itself_and_contains_itself(value, subset):
    assert json_difference(value, value, subset) is None


@given(json_values, json_values)
def test_what_matches_exactly_is_contained_too(expected, actual):
    if json_difference(expected, actual) is None:
        assert json_difference(expected, actual, subset=True) is None


@given(st.text(max_size=40).filter(lambda text: "${" not in text))
def test_text_without_placeholders_is_left_as_it_is(text):
    def lookup(name):
        raise AssertionError("nothing to look up")

    assert interpolate(text, lookup) == text
    assert interpolate_frames([text], lookup) == [text]
    assert interpolate_json(text, lookup) == text


@given(st.binary(max_size=20), st.text(alphabet=string.ascii_letters, max_size=8))
def test_a_value_filled_into_a_frame_is_its_bytes(value, around):
    assert interpolate_frames([f"{around}${{x}}{around}"], lambda name: value) == [
        around.encode() + value + around.encode()]


@given(st.text(max_size=20))
def test_a_value_filled_into_a_json_string_stays_that_string(value):
    text = interpolate_json('{"a": "${x}"}', lambda name: value)
    assert json.loads(text) == {"a": value}


@given(st.text(min_size=4, max_size=12).filter(lambda s: MASK not in s), st.text(max_size=20))
def test_a_remembered_secret_never_shows(secret, text):
    masker = Masker()
    masker.remember([secret])
    assert secret not in masker.text(text + secret + text)
    assert secret.encode() not in masker.bytes((text + secret).encode())
