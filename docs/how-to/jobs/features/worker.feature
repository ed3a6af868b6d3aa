Feature: a worker does the jobs it is handed and pushes back their results
  A worker connects to a dispatcher's jobs and results ports. Here the spec plays the dispatcher: its
  own sockets bind the two ports, and each scenario starts a worker of its own, handed their addresses.

  Background:
    Given I bind a PUSH socket to "tcp://127.0.0.1:*" as "jobs"
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "results"
    And worker is running
    And "jobs" becomes connected within 5 seconds

  Scenario: a job's result comes back with the job's id
    When I send the multipart message ["7", "resize photos"] to "jobs"
    Then I receive the multipart message ["7", "done: resize photos"] from "results" within 2 seconds

  Scenario: jobs are done in the order they came
    When I send the multipart message ["7", "resize photos"] to "jobs"
    And I send the multipart message ["8", "print photos"] to "jobs"
    Then I receive the multipart message ["7", "done: resize photos"] from "results" within 2 seconds
    And I receive the multipart message ["8", "done: print photos"] from "results" within 2 seconds
