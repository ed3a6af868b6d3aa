Feature: A Locust master, the service under test, drives a worker the spec plays
  Run headless, a Locust master binds a ROUTER, waits for its workers, tells
  them how many users to spawn, and tells them to quit when the run time is
  over. The spec connects a DEALER as a worker and says what a worker says.
  Its users only sleep, against a closed port of 127.0.0.1: nothing leaves the machine.

  Scenario: a Locust master drives a worker the spec plays, and ends the test on time
    Given locust_master is running
    And I connect a DEALER socket to locust_master's master port as "worker" with options:
      | option   | value       |
      | IDENTITY | spec-worker |
    When I send the msgpack message to "worker":
      """
      ["client_ready", -1, "spec-worker"]
      """
    Then I eventually receive a msgpack message from "worker" within 10 seconds containing:
      """
      ["ack", {"index": 0}]
      """
    And I eventually receive a msgpack message from "worker" within 10 seconds containing:
      """
      ["spawn", {"user_classes_count": {"SleepyUser": 2}, "host": "http://127.0.0.1:9"}]
      """
    When I send the msgpack message to "worker":
      """
      ["spawning_complete", {"user_classes_count": {"SleepyUser": 2}, "user_count": 2}, "spec-worker"]
      """
    Then I eventually receive a msgpack message from "worker" within 10 seconds containing:
      """
      ["quit"]
      """
    And locust_master exits with code 0 within 10 seconds
