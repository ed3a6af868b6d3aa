Feature: an app started through a wrapper script that forks
  @passes
  Scenario: it runs, and the run passes
    Given wrapped is running
    Then wrapped is still running

  @fails
  Scenario: it runs, and the run fails
    Given wrapped is running
    Then wrapped is not running

  @waits
  Scenario: it runs while a step waits a minute
    Given wrapped is running
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "quiet"
    Then I receive "anything" from "quiet" within 60 seconds
