"""An app that starts a child as a process supervisor such as circusd does: in a session of its own and with an
empty environment (circus's ``copy_env = false``), so that the child is in none of the app's process groups and
carries none of zmqprose's markers. It writes the child's pid to the file it is given, says so, and waits.

A third argument ``in-group-then-exit`` starts the child in the keeper's own group instead (still with an empty
environment), and then exits at once, leaving the child behind in the group."""

import subprocess
import sys
import time

pidfile, tag = sys.argv[1], sys.argv[2]
in_group_then_exit = sys.argv[3:] == ["in-group-then-exit"]
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", tag], env={},
                         start_new_session=not in_group_then_exit)
with open(pidfile, "w") as out:
    out.write(str(child.pid))
print(f"session_keeper: child {child.pid} started", flush=True)
while not in_group_then_exit:
    time.sleep(60)
