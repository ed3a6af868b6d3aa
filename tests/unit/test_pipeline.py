"""Pushing and pulling numbered messages: counts, loss, duplicates, order, and background work done right."""

import subprocess
import sys
import threading
import time

import pytest

from zmqprose import Prose, ProseError, Settings, WaitTimeout
from zmqprose.pipelines.push import HEADER


@pytest.fixture
def pipe(prose):
    """A PUSH socket connected to a PULL socket over tcp: the simplest pipeline."""
    sink = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="sink")
    source = prose.using_zmq().connect('the endpoint of "sink"', "PUSH", name="source")
    return source, sink


def send_numbered(prose, source, sequences, push_id=7, size=16):
    for sequence in sequences:
        message = bytearray(size)
        HEADER.pack_into(message, 0, push_id, sequence)
        prose.using_zmq().send(source, bytes(message))


def test_a_push_is_pulled_whole_and_in_order(prose, pipe):
    source, sink = pipe
    prose.using_zmq().push(source, 5000, 100)
    tally = prose.from_zmq_socket(sink).pull(5000, timeout=10)
    assert (tally.unique, tally.duplicates, tally.out_of_order, tally.missing()) == (5000, 0, 0, 0)
    prose.expects_pipeline().lost_nothing()
    prose.expects_pipeline().in_order()
    assert prose.expects_pipeline().moved_at_least(1) > 1


def test_duplicates_disorder_and_strangers_are_counted(prose, pipe):
    source, sink = pipe
    send_numbered(prose, source, [0, 2, 1, 2, 3])
    send_numbered(prose, source, [0], push_id=99)
    prose.using_zmq().send(source, b"short")
    tally = prose.from_zmq_socket(sink).pull(4, timeout=2)
    assert (tally.unique, tally.duplicates, tally.out_of_order, tally.first_out_of_order) == (4, 1, 1, 1)
    assert tally.received == 5  # it stops as soon as it has all it expects
    prose.from_zmq_socket(sink).recv_multi()  # the stranger with push id 99 is still queued


def test_a_short_pull_fails_with_what_is_missing(prose, pipe):
    source, sink = pipe
    send_numbered(prose, source, [0, 1, 3])
    with pytest.raises(WaitTimeout, match=r"3 of 5 arrived, 2 missing \(first: #2\)"):
        prose.from_zmq_socket(sink).pull(5, timeout=0.3)


def test_the_pushing_socket_is_the_pushers_until_it_is_done(prose, pipe):
    source, sink = pipe
    prose.using_zmq().push(source, 200_000, 100)
    with pytest.raises(ProseError, match="is busy pushing 200,000 messages in the background"):
        prose.using_zmq().send(source, "cut in")
    prose.from_zmq_socket(sink).pull(200_000, timeout=30)
    prose.expects_pipeline().lost_nothing()
    prose.using_zmq().send(source, "after the push")


def test_a_push_to_nowhere_stops_with_its_scenario(prose):
    nowhere = prose.using_zmq().connect("tcp://127.0.0.1:1", "PUSH", options={"SNDHWM": 10})
    prose.using_zmq().push(nowhere, 1_000_000, 100)
    began = time.monotonic()
    prose.close()
    assert time.monotonic() - began < 5  # no hang; the pusher checks for a stop every 0.1 s
    assert not any(t.name.startswith("zmqprose push") for t in threading.enumerate())


def test_messages_too_small_for_the_header_are_refused(prose, pipe):
    with pytest.raises(ProseError, match="at least 12 bytes, not 8"):
        prose.using_zmq().push(pipe[0], 10, 8)


def test_checks_need_a_push_and_a_pull(prose):
    with pytest.raises(ProseError, match="nothing was pushed in this scenario"):
        prose.expects_pipeline().lost_nothing()
    with pytest.raises(ProseError, match="nothing was pulled in this scenario"):
        prose.expects_pipeline().in_order()


def test_a_slow_pipeline_fails_the_rate_check_with_the_figures(prose, pipe):
    source, sink = pipe
    prose.using_zmq().push(source, 100, 16)
    prose.from_zmq_socket(sink).pull(100, timeout=5)
    with pytest.raises(ProseError, match=r"moved [\d,]+ messages per second, less than 1,000,000,000"):
        prose.expects_pipeline().moved_at_least(1_000_000_000)


def test_memory_for_a_million_is_one_bit_each(prose, pipe):
    from zmqprose.pipelines.pull import PullTally

    assert PullTally(1_000_000, None).push(7).seen.nbytes == 125_000


def test_k_pushers_are_told_apart_and_each_checked_for_loss_and_order(prose, pipe):
    source, sink = pipe
    pushers = prose.using_zmq().push(source, 30_001, 64, pushers=4)
    assert [pusher.count for pusher in pushers] == [7501, 7500, 7500, 7500]
    assert len({pusher.push_id for pusher in pushers}) == 4
    tally = prose.from_zmq_socket(sink).pull(30_001, timeout=30)
    assert len(tally.pushes) == 4 and tally.unique == 30_001 and tally.out_of_order == 0
    prose.expects_pipeline().lost_nothing()
    prose.expects_pipeline().in_order()


def test_a_batch_with_a_gap_a_duplicate_and_a_reorder_is_counted_message_by_message():
    import numpy

    from zmqprose.pipelines.pull import PullTally

    records = numpy.array([(5, 0), (5, 1), (5, 3), (5, 3), (5, 2), (6, 0), (5, 4)],
                          dtype=[("id", ">u4"), ("seq", ">u8")])
    tally = PullTally(10, {5: 10})
    tally.take(records, [64] * 6 + [8])  # the last message is too short to carry a header
    push = tally.pushes[5]
    assert (push.unique, push.duplicates, push.out_of_order, push.first_out_of_order) == (4, 1, 1, 2)
    assert tally.foreign == 2  # push 6 is not one of this pull's, and a short one
    assert push.first_missing() == 4
    assert "6 missing (first: #4), 1 duplicated, 1 out of order (first at #2), 2 not from this push" in tally.summary()


def test_bits_are_set_exactly_for_a_range():
    import numpy

    from zmqprose.pipelines.pull import set_bits

    for start, stop in ((0, 0), (0, 8), (3, 5), (5, 29), (8, 64), (1, 63)):
        bits = numpy.zeros(8, dtype=numpy.uint8)
        set_bits(bits, start, stop)
        assert numpy.flatnonzero(numpy.unpackbits(bits, bitorder="little")).tolist() == list(range(start, stop))


DRAIN = ("import sys, zmq\n"
         "sink = zmq.Context().socket(zmq.PULL)\n"
         "print(sink.bind_to_random_port('tcp://127.0.0.1'), flush=True)\n"
         "while True:\n"
         "    sink.recv()\n")


def test_a_pusher_still_busy_as_its_scenario_ends_closes_its_own_sockets_and_nothing_closes_them_under_it():
    """A socket belongs to one thread: a pusher that outlives the end of its scenario's wait for it (a pipeline
    that keeps taking its messages) keeps its sockets until it stops, then closes them itself, the spec's one
    and the one it made (K pushers)."""
    drain = subprocess.Popen([sys.executable, "-c", DRAIN], stdout=subprocess.PIPE, text=True)
    try:
        assert drain.stdout is not None
        port = int(drain.stdout.readline())
        prose = Prose(Settings({}), timeout=2)
        source = prose.using_zmq().connect(f"tcp://127.0.0.1:{port}", "PUSH")
        pushers = prose.using_zmq().push(source, 500_000_000, 16, pushers=2)
        prose.close()  # waits 2 s for each pusher, which is still pushing: the pipeline takes all it is given
        busy = [pusher for pusher in pushers if not pusher.wait(0)]
        assert busy, "the pushers were done as the scenario ended: nothing here was busy"
        assert not any(pusher.sock.closed for pusher in busy), "a busy pusher's socket was closed under it"
    finally:
        drain.kill()  # the pipeline stops taking messages: each pusher's next send waits, and it looks at its stop
        drain.wait()
    for pusher in pushers:
        assert pusher.wait(10), "a pusher did not stop once its pipeline stopped taking messages"
        assert pusher.error is None, pusher.error
    assert all(pusher.sock.closed for pusher in pushers), "a pusher that outlived its scenario left its socket open"
