"""An app that cannot start: it says why and exits with code 3."""

import sys

print("crasher: cannot read /etc/crasher.conf: no such file", flush=True)
sys.exit(3)
