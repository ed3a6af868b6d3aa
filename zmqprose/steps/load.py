"""Phrases that run a load from Locust workers and check Locust's statistics of it.

docs: how-to/pipelines-and-load.md, *Load tests with Locust*. The run acts; the checks only read what Locust counted.
"""


from behave.runner import Context

from zmqprose.steps.vocabulary import prose, step


@step("I run a load of {users:Users} from {workers:Workers} with {locustfile:Text} for {duration:Duration}")
def run_load(context: Context, users: int, workers: int, locustfile: str, duration: float) -> None:
    """Run Locust's master (headless) and its workers on free ports of 127.0.0.1 until the load ends (bounded).

    Example: When I run a load of 50 users from 2 Locust workers with "locustfiles/ping.py" for 10 seconds
    """
    api = prose(context)
    statistics = api.run_load(str(api.interpolate(locustfile)), users, workers, duration)
    print(f"the load: {statistics.summary()}")


@step("the load made at least {count:Requests}")
def made_at_least(context: Context, count: int) -> None:
    """Check that the scenario's last load made at least this many requests (failed ones included).

    Example: Then the load made at least 1000 requests
    """
    prose(context).expects_load().made_at_least(count)


@step("the load's failure ratio is at most {percent:Count}%")
def failure_ratio_at_most(context: Context, percent: int) -> None:
    """Check that at most this share of the last load's requests failed; a failure shows Locust's statistics.

    Example: Then the load's failure ratio is at most 1%
    """
    prose(context).expects_load().failure_ratio_at_most(percent)


@step("the load's {percentile:Count}th percentile response time is at most {limit:Duration}")
def percentile_at_most(context: Context, percentile: int, limit: float) -> None:
    """Check one of Locust's percentiles of the last load's response times (50th … 99th, 100th) against a limit.

    Example: Then the load's 95th percentile response time is at most 20 ms
    """
    prose(context).expects_load().percentile_at_most(percentile, limit * 1000)
