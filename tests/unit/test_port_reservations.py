"""Two zmqprose runs on one machine (behavex workers, two CI jobs) never share a free port.

A port a run chose for an app is the run's until the run ends: while it waits to be bound (the app starting),
while the app is stopped for a restart, and when the spec's bind chose it for an app the spec plays. Another run
choosing free ports meanwhile is offered it by the system like any port nothing listens on, and must skip it.
Before, it took it: the restart then failed, or the spec talked to the other suite's app.

The other run here is a process of its own that chooses free ports, many at a time, again and again, until it is
offered one of the ports or has been offered so many (300 000) that the system would, in all likelihood, have
offered them too had they been free for the taking: it hands out a free port at random among some 14 000, and
misses one port that long with a chance of about one in a billion.
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings
from zmqprose.apps.ports import PortReservations, free_ports

OTHER_RUN = """\
import sys
from zmqprose.apps.ports import free_ports
rounds, each, *held = map(int, sys.argv[1:])
for _ in range(rounds):
    if offered := set(held) & set(free_ports(each)):
        sys.exit(f"offered {offered.pop()}")
print("never offered", *held)
"""
ROUNDS, EACH = 3000, 100  # 300 000 ports offered: twenty times each of the ~14 000 the system hands out

LISTENER = """\
import pathlib, socket, sys, time
go = pathlib.Path(sys.argv[2]) / "go"
for _ in range(6000):  # it binds once told to (bounded: 60 s)
    if sys.argv[3] == "at once" or go.exists():
        break
    time.sleep(0.01)
server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
print("listening", flush=True)
time.sleep(60)
"""

HOLDER = """\
import sys
from zmqprose.apps.ports import PortReservations, free_ports
held = PortReservations(abstract=sys.argv[2] == "abstract")
assert held.reserve(int(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()
"""


def listener(name: str, when: str = "at once", scope: str = "run") -> dict[str, object]:
    start = ["python", "-c", LISTENER, f"${{{name}.port}}", f"${{{name}.folder}}", when]
    return {"start": start, "port": 0, "start_timeout": 60, "scope": scope}


def never_offered(*ports: int) -> None:
    """Another run, a process of its own, chooses free ports until it is offered one of ``ports`` (or enough others)."""
    other = subprocess.run([sys.executable, "-c", OTHER_RUN, str(ROUNDS), str(EACH), *map(str, ports)],
                           capture_output=True, text=True, timeout=300)
    assert other.returncode == 0, f"another run chose a port this run holds ({ports}): {other.stderr.strip()}"


def wait_for(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:g} s"
        time.sleep(0.01)


def test_no_other_run_chooses_a_port_of_an_app_starting_stopped_for_a_restart_or_played_by_the_spec(tmp_path):
    settings = Settings({"starting": listener("starting", "when told"), "restarted": listener("restarted"),
                         "played": {"port": 0}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        apps.ensure_running("restarted")
        apps.stop("restarted")  # as a restart does, for a moment: its port is free
        with Prose(apps.settings, apps, timeout=2) as prose:
            prose.using_zmq().bind("played's port", "PULL")  # closed with the scenario; the setting keeps the port
        starting = threading.Thread(target=apps.ensure_running, args=("starting",))
        starting.start()
        try:
            wait_for(lambda: apps.has_started("starting"), "the start of 'starting'")  # its port chosen, not bound
            ports = {name: apps.settings.app(name)["port"] for name in ("starting", "restarted", "played")}
            never_offered(*ports.values())
        finally:
            (Path(apps.settings.app("starting")["folder"]) / "go").touch()
            starting.join(timeout=90)
        assert not starting.is_alive() and apps.process("starting").poll() is None
        apps.restart("restarted")
        assert apps.settings.app("restarted")["port"] == ports["restarted"]
        with Prose(apps.settings, apps, timeout=2) as prose:
            bound = prose.using_zmq().bind("played's port", "PULL")
            assert bound.addresses[0] == f"tcp://127.0.0.1:{ports['played']}"


@pytest.mark.parametrize("abstract", [True, False], ids=["abstract-name", "udp"])
def test_a_port_held_by_another_run_is_refused_and_freed_when_that_run_dies_however_it_dies(abstract):
    mine = PortReservations(abstract=abstract)
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(port), "abstract" if abstract else "udp"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "held\n"
        assert not mine.reserve(port)
        with socket.create_server(("127.0.0.1", port)):  # the app's TCP port is its to bind all the same
            pass
        os.kill(other.pid, signal.SIGKILL)
        other.wait(timeout=30)
        assert mine.reserve(port) and mine.holds(port)
        assert not mine.reserve(port)  # this run's own already: not free to choose again
    finally:
        other.kill()
        other.wait(timeout=30)
        mine.release_all()
    assert not mine.holds(port)


def test_ports_are_let_go_when_the_run_ends_and_when_an_app_of_one_scenario_ends(tmp_path):
    settings = Settings({"app": listener("app"), "own": listener("own", scope="scenario")})
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        apps.ensure_running("app")
        apps.begin_scenario(apps.lookup)
        apps.ensure_running("own")
        port, own = apps.settings.app("app")["port"], apps.settings.app("own")["port"]
        assert apps.ports.holds(port) and apps.ports.holds(own)
        apps.end_scenario()
        assert not apps.ports.holds(own) and apps.ports.holds(port)
    assert not apps.ports.holds(port)
    another = PortReservations()
    assert another.reserve(port) and another.reserve(own)
    another.release_all()


HELD_MASTER_PORT = """\
import socket, sys
from locust import User, constant, task

if "--worker" in sys.argv:  # the master's port, chosen by the run: is another run free to choose it?
    port = sys.argv[sys.argv.index("--master-port") + 1]
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.bind(f"\\0zmqprose-port-{port}")
    except OSError:
        pass  # held, as it should be
    else:
        sys.exit(f"the master's port {port} is free for another run to choose")


class Idle(User):
    wait_time = constant(1)

    @task
    def nothing(self):
        pass
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="looks at the abstract name a run holds on Linux")
def test_the_port_of_a_loads_locust_master_is_held_against_other_runs_until_the_load_ends(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "idle.py").write_text(HELD_MASTER_PORT)
    with AppSupervisor(Settings({}), tmp_path / "run") as apps, Prose(apps=apps) as prose:
        prose.run_load("idle.py", 1, 1, 1)
        assert not apps.ports.holds(int(prose.action_log().split("master on tcp://127.0.0.1:")[1].split(",")[0]))


def test_choosing_gives_up_naming_why_when_no_port_offered_can_be_chosen():
    everything = frozenset(range(1, 65536))
    with pytest.raises(AppError, match=r"no free port found: 1000 ports the system offered were held by zmqprose "
                                       r"runs \(this one's, or others' on this machine\) or tried already"):
        free_ports(1, avoid=everything)
    mine = PortReservations()
    chosen = free_ports(3, reservations=mine)
    assert mine.held == set(chosen) and len(chosen) == 3
    with pytest.raises(AppError):
        free_ports(5, avoid=everything, reservations=mine)
    assert mine.held == set(chosen)  # a failed choice lets go of nothing held before
    mine.release_all()


# -- a spec's own bind to a free port (:* or :0) takes none that a run holds ------------------------------------------

MANY_HOLDER = """\
import resource, sys
from zmqprose.apps.ports import PortReservations
low, high = map(int, sys.argv[1:])
ports = [port for port in range(low, high + 1) if port % 4 == 1]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if hard != resource.RLIM_INFINITY and hard < len(ports) + 100:
    sys.exit(f"too few files allowed: {hard}")
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, len(ports) + 100), hard))
held = PortReservations()
print("held", sum(held.reserve(port) for port in ports), flush=True)
sys.stdin.read()
"""
SPEC_BINDS = 40  # a bind lands on a held port with a chance of a quarter at least: all 40 miss them 1 in 100 000


def local_port_range() -> tuple[int, int]:
    low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    return int(low), int(high)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the system's range of ports to offer, as Linux says")
def test_a_specs_bind_to_a_free_port_never_keeps_a_port_another_run_holds():
    """Another run (a process of its own) holds every port of the system's range that is 1 modulo 4 (a quarter of
    what a bind to port 0 is offered, half if the system offers odd ports to binds, as Linux does): an app of that
    run starts or restarts on it. ZeroMQ's ``:*`` knows nothing of it; without the check, some of 40 binds take one."""
    low, high = local_port_range()
    other = subprocess.Popen([sys.executable, "-c", MANY_HOLDER, str(low), str(high)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = other.stdout.readline()
        if not said.startswith("held"):
            pytest.skip(f"the other run could not hold its ports: {other.stderr.read().strip()}")
        assert int(said.split()[1]) > 1000
        with Prose(Settings({}), timeout=2) as prose:
            binds = ("*", "0") * (SPEC_BINDS // 2)
            socks = [prose.using_zmq().bind(f"tcp://127.0.0.1:{free}", "PULL") for free in binds]
            assert all(len(sock.addresses) == 1 for sock in socks)  # each bound once: a port it let go is unbound
            ports = {int(sock.addresses[0].rpartition(":")[2]) for sock in socks}
            taken = sorted(port for port in ports if low <= port <= high and port % 4 == 1)
            assert not taken, f"the spec's binds took ports another run holds: {taken}"
            assert len(ports) == SPEC_BINDS
    finally:
        other.stdin.close()
        other.wait(timeout=30)


def test_a_bind_that_meets_only_held_ports_says_so_and_leaves_no_socket(monkeypatch):
    """Bounded: a run that meets a held port every time (here: told so) gives up after MAX_REBINDS, naming why."""
    from zmqprose.actions.making import MAX_REBINDS

    with Prose(Settings({}), timeout=2) as prose:
        asked: list[int] = []
        monkeypatch.setattr(prose.apps.ports, "held_by_a_run", lambda port: asked.append(port) or True)
        with pytest.raises(ProseError, match=r'^cannot bind "inbox" to a free port \(tcp://127.0.0.1:\*\): the 101 '
                                             r"ports the system gave were held by zmqprose runs"):
            prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        assert len(asked) == MAX_REBINDS + 1
        assert all(one != next_one for one, next_one in itertools.pairwise(asked))  # the next bound first
        monkeypatch.undo()
        again = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")  # the name is free: none kept
        assert len(again.addresses) == 1
