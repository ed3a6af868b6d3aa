Feature: a client under test that dies at once
  jupyter run, given a bad argument, exits with code 1 as soon as it starts.
  A wait on any socket of the scenario, the spec's own included, fails at
  once, naming the client, its exit code and its last lines, instead of
  waiting its whole time and saying only what did not arrive.

  Background:
    Given I bind a ROUTER socket to played_kernel's shell port
    And I bind a PUB socket to played_kernel's iopub port

  Scenario: the wait for a subscriber on the IOPub port the spec plays
    Given jupyter_run is running
    Then played_kernel's iopub port has a subscriber within 30 seconds

  Scenario: the wait for a request on the shell port the spec plays
    Given jupyter_run is running
    Then I receive a Jupyter message from played_kernel's shell port within 30 seconds containing:
      """
      {"header": {"msg_type": "kernel_info_request"}}
      """

  Scenario: the wait for a subscriber on a socket the spec bound to an address
    Given I bind a PUB socket to "tcp://127.0.0.1:*" as "events"
    And jupyter_run is running
    Then "events" has a subscriber within 30 seconds

  Scenario: a client started as a background command, and a socket bound to an address
    Given I bind a ROUTER socket to "tcp://127.0.0.1:*" as "elsewhere"
    When I start "jupyter run --existing no-such-kernel.json code.py" as "client"
    Then I receive a message from "elsewhere" within 30 seconds
