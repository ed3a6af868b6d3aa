Feature: a run interrupted with Ctrl-C
  Scenario: waiting when the interrupt comes
    Given longlived is running
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "quiet"
    Then I receive "anything" from "quiet" within 60 seconds
