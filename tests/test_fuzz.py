"""Any input either works or fails with zmqprose's own clear error, never another exception."""

import contextlib
import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zmqprose import ProseError, SettingsError, load_settings
from zmqprose.frames import encode_frame
from zmqprose.interpolation import interpolate
from zmqprose.matching import frame_matches, json_difference
from zmqprose.references import parse_endpoint
from zmqprose.steps import arguments

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
json_texts = json_values.map(json.dumps) | st.text(max_size=60)
markers = st.sampled_from(["#ignore", "#string", "#number", "#boolean", "#array", "#object", "#null",
                           "#notnull", "#uuid", "#regex [a-z]+", "#regex (", "#regex .*"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(defaults=json_texts, local=json_texts, dotted=st.text(alphabet=string.ascii_letters + "._", max_size=12))
def test_the_settings_loader_loads_or_says_what_is_wrong(tmp_path, defaults, local, dotted):
    (tmp_path / "defaults.json").write_text(defaults)
    (tmp_path / "local.json").write_text(local)
    try:
        loaded = load_settings(tmp_path, "local")
        loaded.timeout  # noqa: B018
        for app in loaded.apps:
            loaded.app(app)
        loaded.lookup(dotted)
        loaded.mask("text with secrets")
    except SettingsError:
        pass


@given(st.text(max_size=60))
def test_endpoints_parse_or_fail_clearly(text):
    with contextlib.suppress(ProseError):
        parse_endpoint(text)


@given(st.text(max_size=40))
def test_socket_types_parse_or_fail_clearly(text):
    with contextlib.suppress(ProseError):
        assert arguments.parse_socket_type(text) == text


@given(st.text(max_size=40))
def test_frames_encode_or_fail_clearly(text):
    with contextlib.suppress(ProseError):
        assert isinstance(encode_frame(text), bytes)
    with contextlib.suppress(ProseError):
        encode_frame("hex:" + text)


@given(st.text(max_size=30))
def test_durations_and_quoted_text_parse_or_fail_clearly(text):
    with contextlib.suppress(ProseError):
        arguments.duration_seconds(text)
    assert isinstance(arguments.parse_text('"' + text.replace('"', '\\"') + '"'), str)


@given(markers | st.text(max_size=20), st.binary(max_size=20))
def test_frame_matching_answers_or_fails_clearly(expected, frame):
    with contextlib.suppress(ProseError):
        assert frame_matches(expected, frame) in (True, False)


@given(json_values | markers, json_values, st.booleans())
def test_json_matching_answers_or_fails_clearly(expected, actual, subset):
    with contextlib.suppress(ProseError):
        json_difference(expected, actual, subset)


@given(st.text(max_size=40))
def test_interpolation_fills_in_or_fails_clearly(text):
    def lookup(name):
        if name == "known":
            return "value"
        raise ProseError(f"unknown {name}")

    with contextlib.suppress(ProseError):
        assert isinstance(interpolate(text, lookup), str)
