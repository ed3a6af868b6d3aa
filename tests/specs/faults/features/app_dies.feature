Feature: an app that dies during the run
  Scenario: the step after its death says so
    Given fragile is running
    And I connect a PUSH socket to fragile's command port
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "clock"
    When I send "DIE" to fragile's command port
    And I receive nothing from "clock" within 1 second
    And I send "PING" to fragile's command port
