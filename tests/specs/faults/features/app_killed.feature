Feature: an app killed while a step waits on it
  Scenario: the wait fails at once, naming the app and the signal
    Given doomed is running
    And I connect a PUSH socket to doomed's command port
    And I connect a PULL socket to doomed's response port
    When I send "KILL-ME-LATER" to doomed's command port
    Then I receive "PONG" from doomed's response port within 6 seconds
