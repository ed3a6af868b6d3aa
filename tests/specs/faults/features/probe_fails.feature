Feature: A service whose worker died is caught by its probe, not by "is still running"
  frontman (examples/front_and_worker.py) is a ROUTER front end that hands
  every request to a worker process. Run with -D env=probes.

  Scenario: the worker dies while the front end lives
    Given frontman is running
    When I store what frontman's output matches "#regex worker (\d+) ready" as "worker"
    And I run "python -c 'import os, sys; os.kill(int(sys.argv[1]), 9)' ${checkpoint.worker}"
    Then the command exits with code 0
    And frontman is still running
    And frontman still answers within 1 second
