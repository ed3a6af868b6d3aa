"""A Locust test whose users only sleep: a worker under test that sends no traffic anywhere.

Its users make no request (a plain ``User``, not an ``HttpUser``), so the
host the master names (a closed port of 127.0.0.1 in the specs) is never
reached; what the specs check is the worker's conversation with its master.
"""

from locust import User, constant, task


class SleepyUser(User):
    """A user that waits, and does nothing else."""

    wait_time = constant(1)

    @task
    def nap(self) -> None:
        """Nothing: the load is the conversation with the master."""
