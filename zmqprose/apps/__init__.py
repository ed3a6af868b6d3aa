"""The apps under test: starting and stopping them, their ports, their processes."""
