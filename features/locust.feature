Feature: A Locust worker, a client under test, talks to a master the spec plays
  Locust runs a load test from workers that a master drives over ZeroMQ (a
  ROUTER it binds, a DEALER each worker connects, msgpack messages of
  [type, data, node id]). The worker is the client under test: the spec binds
  the master's socket, and a fresh worker per scenario connects to it. Its
  users only sleep, against a closed port of 127.0.0.1: nothing leaves the machine.

  Background:
    Given I bind a ROUTER socket to "tcp://127.0.0.1:*" as "master"
    And locust_worker is running
    When I eventually receive a msgpack message from "master" within 30 seconds containing:
      """
      ["client_ready"]
      """
    And I store the last msgpack message from "master" in the checkpoint as "worker"

  Scenario: a worker says it is ready, and spawns the users it is told to
    When I send the msgpack message to "master" with the envelope ["${checkpoint.worker.2}"]:
      """
      ["ack", {"index": 0}, "${checkpoint.worker.2}"]
      """
    And I send the msgpack message to "master" with the envelope ["${checkpoint.worker.2}"]:
      """
      ["spawn", {"timestamp": 1, "user_classes_count": {"SleepyUser": 3}, "host": "http://127.0.0.1:9",
                 "stop_timeout": 0, "parsed_options": {}}, "${checkpoint.worker.2}"]
      """
    Then I eventually receive a msgpack message from "master" within 10 seconds containing:
      """
      ["spawning_complete", {"user_count": 3, "user_classes_count": {"SleepyUser": 3}}]
      """

  Scenario: a worker told to quit ends with exit code 0
    When I send the msgpack message to "master" with the envelope ["${checkpoint.worker.2}"]:
      """
      ["ack", {"index": 0}, "${checkpoint.worker.2}"]
      """
    And I send the msgpack message to "master" with the envelope ["${checkpoint.worker.2}"]:
      """
      ["spawn", {"timestamp": 1, "user_classes_count": {"SleepyUser": 1}, "host": "http://127.0.0.1:9",
                 "stop_timeout": 0, "parsed_options": {}}, "${checkpoint.worker.2}"]
      """
    And I eventually receive a msgpack message from "master" within 10 seconds containing:
      """
      ["spawning_complete", {"user_count": 1}]
      """
    And I send the msgpack message to "master" with the envelope ["${checkpoint.worker.2}"]:
      """
      ["quit", null, "${checkpoint.worker.2}"]
      """
    Then locust_worker's output contains "Got quit message from master" within 5 seconds
    And locust_worker exits with code 0 within 10 seconds
