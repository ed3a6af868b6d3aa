"""A helper that ignores SIGTERM and lives five minutes at most: only SIGKILL ends it sooner."""

import signal
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
time.sleep(300)
