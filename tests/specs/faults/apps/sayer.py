"""An app that says 'first start' the first time it runs in a run folder and 'started again' after,
and takes a second to say it is ready: a check satisfied by an earlier process's lines shows at once."""

import sys
import time
from pathlib import Path

marker = Path(sys.argv[1]) / "started-once"
print("first start" if not marker.exists() else "started again", flush=True)
marker.touch()
time.sleep(1)
print("sayer ready", flush=True)
time.sleep(600)
