Feature: an app that daemonizes a helper, which leaves its process group
  @passes
  Scenario: it runs, and the run passes
    Given daemonizing is running
    Then daemonizing is still running

  @waits
  Scenario: it runs while a step waits a minute
    Given daemonizing is running
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "quiet"
    Then I receive "anything" from "quiet" within 60 seconds
