"""Run in a pid namespace of its own (``unshare -pf --mount-proc``): a group zmqprose started ends,
its id is given to an unrelated process (ns_last_pid), and neither the stop nor the watchdog may
signal that process. Prints ``untouched`` when the unrelated processes got no signal."""

import subprocess
import sys
import time
from pathlib import Path

from zmqprose.safety.processes import WATCHDOG, spawn, stop_group

VICTIM = ("import signal, sys, time\n"
          "signal.signal(signal.SIGTERM, lambda *a: open(sys.argv[1], 'a').write('SIGTERM\\n'))\n"
          "open(sys.argv[1], 'a').close()\n"
          "time.sleep(30)\n")
folder = Path(sys.argv[1])


def unrelated_process_on(pid: int, name: str) -> subprocess.Popen:
    """A process that is no business of zmqprose's, made to get ``pid`` (a group leader, as ours was)."""
    Path("/proc/sys/kernel/ns_last_pid").write_text(str(pid - 1))
    record = folder / name
    victim = subprocess.Popen([sys.executable, "-c", VICTIM, str(record)], start_new_session=True)
    assert victim.pid == pid, f"the namespace gave pid {victim.pid}, not {pid}"
    while not record.exists():
        time.sleep(0.01)  # until its handler is set
    return victim


def ended_group() -> subprocess.Popen:
    process = spawn([sys.executable, "-c", "pass"], ".", {}, subprocess.DEVNULL, subprocess.DEVNULL)
    process.wait()  # reaped: its id is free again
    return process


stopped = ended_group()
victims = [unrelated_process_on(stopped.pid, "stopped")]
stop_group(stopped, 0.5)  # the step's stop, or stop_all, of an app that ended by itself

watched = ended_group()  # the watchdog still has it: the run "dies" now
victims.append(unrelated_process_on(watched.pid, "watched"))
WATCHDOG.close()

time.sleep(0.5)  # the watchdog's grace would have sent its SIGTERM by now
records = {path.name: path.read_text() for path in folder.iterdir()}
alive = [victim.poll() is None for victim in victims]
for victim in victims:
    victim.kill()
print("untouched" if all(alive) and not any(records.values()) else f"signalled: {records}, alive: {alive}")
