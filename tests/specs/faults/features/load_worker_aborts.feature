Feature: A load whose workers end badly fails, though its statistics were written
  Each Locust worker ends with code 3 when Locust quits (run with -D env=load):
  the load's numbers came in, but a worker did not end well, so the load fails.

  Scenario: a worker that ends with code 3 after the load fails the load
    Given dropper is running
    When I run a load of 2 users from 1 Locust worker with "locustfiles/worker_aborts.py" for 2 seconds
    Then the load made at least 1 request
