"""The apps under test, their lifecycle: start, readiness, stop, restart; their ports, output, run folder, probes."""
