#!/bin/sh
# An app started through a wrapper script that does not exec it, and that forks
# a helper which ignores SIGTERM: all of them are in the app's process group.
"$ZMQPROSE_PYTHON" apps/stubborn.py &
"$ZMQPROSE_PYTHON" apps/pidfile.py "$@"
