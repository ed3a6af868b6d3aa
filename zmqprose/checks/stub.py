"""``expects_stub()``: checks of what a stub received, at once or waiting up to a bound."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from zmqprose.errors import ProseError, checked
from zmqprose.sockets.transfer import Shown
from zmqprose.stubs.rules import value_of
from zmqprose.stubs.stub import KEPT_BYTES, KEPT_MESSAGES, Stub
from zmqprose.wire.envelope import envelope_set_aside
from zmqprose.wire.format import show_shown
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.format_registry import in_format
from zmqprose.wire.frames import show_frames
from zmqprose.wire.matching import (
    frames_closeness,
    frames_difference,
    json_closeness,
    json_difference,
    shorten_json,
)

COMPARED = 50  # the last messages of a stub among which the closest to what was expected is looked for


def closest_of(got: list[list[bytes]], closeness: Callable[[list[bytes]], tuple[int, bool, int]]) -> list[bytes] | None:
    """The message among the last :data:`COMPARED` of ``got`` that came closest, as ``closeness`` says."""
    candidates = got[-COMPARED:]
    return max(candidates, key=closeness) if candidates else None


@checked
class ExpectsStub:
    """Checks of what a stub received: at once, or waiting up to a bound for it to arrive."""

    def __init__(self, stub: Stub) -> None:
        self._stub = stub

    def received(self, expected: Sequence[str | bytes], within: float | None = None) -> None:
        """A message matching ``expected`` (markers allowed) is among those received.

        Example: ``prose.expects_stub("worker").received(["PING", "#number"], within=2)``
        """
        def closest(got: list[list[bytes]]) -> tuple[list[bytes], str] | None:
            body = closest_of(got, lambda body: frames_closeness(expected, body))
            if body is None:
                return None
            showing = self._stub.log.showing
            set_aside = envelope_set_aside(self._stub.type_name, None, len(expected) - len(body), showing)
            return body, f"{frames_difference(expected, body, showing=showing)}{set_aside}"

        self._check(lambda got: any(frames_difference(expected, body) is None for body in got),
                    f"no message matching {list(expected)}", within, closest=closest)

    def received_json(self, expected: Any, within: float | None = None) -> None:
        """A message whose last frame is JSON containing ``expected`` is among those received.

        Example: ``prose.expects_stub("worker").received_json({"method": "add"}, within=2)``
        """
        self.received_value(expected, "JSON", within)

    def received_value(self, expected: Any, format: str = "JSON", within: float | None = None) -> None:
        """A message whose value in ``format`` contains ``expected`` is among those received.

        Example: ``prose.expects_stub("rpc").received_value(["add"], "msgpack", within=2)``
        """
        fmt = get_format(format)

        def holds(got: list[list[bytes]]) -> bool:
            return any((value := value_of(body, fmt, self._stub.format_context)) is not None
                       and json_difference(expected, value, subset=True) is None for body in got)

        def closest(got: list[list[bytes]]) -> tuple[list[bytes], str] | None:
            values = {id(body): value_of(body, fmt, self._stub.format_context) for body in got[-COMPARED:]}
            body = closest_of([body for body in got[-COMPARED:] if values[id(body)] is not None],
                              lambda body: json_closeness(expected, values[id(body)], subset=True))
            return None if body is None else (body, str(json_difference(expected, values[id(body)], subset=True,
                                                                        showing=self._stub.log.showing)))

        self._check(holds, f"no {fmt.name} message containing {shorten_json(expected, 0)}", within,
                    in_format(fmt, self._stub.format_context), closest)

    def received_count(self, count: int, within: float | None = None) -> None:
        """Exactly ``count`` messages were received (with ``within``: waiting until that many came).

        Example: ``prose.expects_stub("worker").received_count(3, within=2)``
        """
        if within is not None:
            self._stub.wait_for_count(count, within)
        arrived, _ = self._stub.counts()
        if arrived != count:
            why = self._stub.why_quiet() if within is not None and self._stub.why_quiet is not None else None
            raise ProseError(f"the stub {self._stub.sock.describe()} received {arrived} message(s), not {count}"
                             f"{self._listing(self._stub.messages())}" + (f"\n  ({why})" if why else ""))

    def received_nothing(self) -> None:
        """Nothing at all was received.

        Example: ``prose.expects_stub("worker").received_nothing()``
        """
        arrived, _ = self._stub.counts()
        if arrived:
            raise ProseError(f"the stub {self._stub.sock.describe()} received {arrived} message(s)"
                             f"{self._listing(self._stub.messages())}")

    def _check(self, holds: Callable[[list[list[bytes]]], bool], missing: str, within: float | None,
               shown: Shown | None = None,
               closest: Callable[[list[list[bytes]]], tuple[list[bytes], str] | None] | None = None) -> None:
        """Fail unless ``holds`` what the stub received (waiting up to ``within``), listing the last it received
        and, with ``closest``, how the closest of them differs."""
        if within is not None and self._stub.wait_for(holds, within):
            return
        got = self._stub.messages()
        if not holds(got):
            waited = f" within {within:g} s" if within is not None else ""
            near = closest(got) if closest is not None and got else None
            nearest = "" if near is None else f"\n  the closest, {self._show(near[0], shown)}: {near[1]}"
            why = self._stub.why_quiet() if within is not None and self._stub.why_quiet is not None else None
            raise ProseError(f"the stub {self._stub.sock.describe()} received {missing}{waited}"
                             f"{self._listing(got, shown)}{nearest}" + (f"\n  ({why})" if why else ""))

    def _show(self, body: list[bytes], shown_as: Shown | None) -> str:
        """A message the stub received, as the run shows frames: in the check's format if it has one."""
        showing = self._stub.log.showing
        return show_frames(body, showing) if shown_as is None else show_shown(shown_as(body), showing)

    def _listing(self, got: list[list[bytes]], shown_as: Shown | None = None) -> str:
        arrived, dropped = self._stub.counts()
        shown = "; ".join(self._show(body, shown_as) for body in got[-5:])
        before = f"… {arrived - min(len(got), 5)} earlier, then " if arrived > 5 else ""
        if dropped:
            before = (f"{arrived} in all, of which the first {dropped} are no longer kept (a stub keeps the last "
                      f"{KEPT_MESSAGES:,}, at most {KEPT_BYTES >> 20} MiB) and were not looked at; {before}")
        problems = f"\n  the stub's own problems: {'; '.join(self._stub.errors)}" if self._stub.errors else ""
        return (f"; it received: {before}{shown}" if got else "; it received nothing") + problems
